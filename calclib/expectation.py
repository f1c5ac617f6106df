"""Expectation as an integral, and its Monte Carlo estimate: the mean of a sample.

For a random variable X with density p, the expected value of g(X) is an integral,

    E[g(X)] = ∫ g(x) p(x) dx,

and the mean of N independent samples x_1, ..., x_N of X estimates it:

    E[g(X)] ≈ (1/N) Σ g(x_i),  with standard error σ / √N,  σ² = Var[g(X)].

The estimate is unbiased (its expected value is the integral, for every N) and its error shrinks
like 1/√N whatever the dimension of X: a hundred times more samples buy one more digit. The
standard error is estimated from the sample itself, s / √N with s the sample standard deviation.

Introduced in 07-integrals-and-expectation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from calclib.finite_differences import require_callable
from calclib.integrals import IntegralResult, integrate

Sampler = Callable[[np.random.Generator, int], Any]


def expectation(
    g: Callable[[float], Any],
    density: Callable[[float], Any],
    a: float,
    b: float,
    *,
    atol: float = 1e-12,
    rtol: float = 1e-10,
) -> IntegralResult:
    """E[g(X)] = ∫_a^b g(x) p(x) dx for X with density p supported on [a, b], by :func:`integrate`.

    Parameters
    ----------
    g : callable
        The quantity whose average is wanted, e.g. a loss.
    density : callable
        The probability density p of X, zero outside [a, b] (for a density with tails, take
        [a, b] wide enough that the tails do not matter at the tolerance asked).
    a, b : float
        Where X lives.
    atol, rtol : float
        Tolerances, as in :func:`integrate`.

    Returns
    -------
    IntegralResult
        The expectation as ``value``, with the integration error estimate.

    Examples
    --------
    >>> uniform_0_2 = lambda x: 0.5  # X uniform on [0, 2]: p(x) = 1/2
    >>> round(expectation(lambda x: x**2, uniform_0_2, 0.0, 2.0).value, 12)  # E[X²] = 4/3
    1.333333333333

    Introduced in 07-integrals-and-expectation.
    """
    g, density = require_callable(g, "g"), require_callable(density, "density")
    return integrate(lambda x: g(x) * density(x), a, b, atol=atol, rtol=rtol)


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    """A sample mean (``value``), its estimated standard error s / √N, and N."""

    value: float
    standard_error: float
    n_samples: int

    def interval(self, z: float = 1.96) -> tuple[float, float]:
        """The interval value ± z · standard_error (z = 1.96: about 95 % for large N).

        Examples
        --------
        >>> MonteCarloResult(1.0, 0.5, 100).interval(z=2.0)
        (0.0, 2.0)
        """
        return (self.value - z * self.standard_error, self.value + z * self.standard_error)


def monte_carlo(
    g: Callable[[Any], Any], sample: Sampler, n_samples: int, seed: int | None = 0
) -> MonteCarloResult:
    """Estimate E[g(X)] by the mean of g over ``n_samples`` draws of X, with its standard error.

    mean = (1/N) Σ g(x_i),  standard error = s / √N,  s² = Σ (g(x_i) - mean)² / (N - 1).

    Parameters
    ----------
    g : callable
        Applied to the whole array of samples at once (write it with numpy, e.g.
        ``lambda x: x**2``); it must return one value per sample.
    sample : callable
        ``sample(rng, n)`` returns n draws of X as an array, e.g.
        ``lambda rng, n: rng.uniform(0, 2, n)``.
    n_samples : int
        N, at least 2 (one sample has no spread to estimate an error from).
    seed : int or None
        Seed of the random generator, so that a run can be repeated; None draws fresh
        randomness.

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> result = monte_carlo(lambda x: x**2, lambda rng, n: rng.uniform(0, 2, n), 10_000)
    >>> abs(result.value - 4 / 3) < 3 * result.standard_error, round(result.standard_error, 3)
    (True, 0.012)

    Introduced in 07-integrals-and-expectation.
    """
    g, sample = require_callable(g, "g"), require_callable(sample, "sample")
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"n_samples must be a whole number, got {n_samples!r}")
    if n_samples < 2:
        raise ValueError(
            f"n_samples must be at least 2 to estimate a standard error, got {n_samples}"
        )
    draws = np.asarray(sample(np.random.default_rng(seed), int(n_samples)))
    if len(draws) != n_samples:
        raise ValueError(
            f"sample(rng, {n_samples}) returned {len(draws)} draws; it must return exactly n"
        )
    with np.errstate(all="ignore"):  # a value outside g's domain is reported below
        values = np.asarray(g(draws), dtype=float)
    if values.shape != (n_samples,):
        raise ValueError(
            f"g must return one number per sample (shape ({n_samples},)), got shape "
            f"{values.shape}: write g with numpy operations so it works on a whole array"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError("g gave a value that is not finite on some sample: check its domain")
    mean = float(np.mean(values))
    return MonteCarloResult(mean, float(np.std(values, ddof=1)) / math.sqrt(n_samples), n_samples)
