"""Definite integrals as limits of sums: Riemann sums, the trapezoid and Simpson rules, `integrate`.

The integral of f over [a, b] is the limit of Riemann sums: cut [a, b] into n slices of width
Δx = (b - a) / n, take f at one point of each slice, and add up f · Δx. Which point (the left end,
the right end, the middle) does not matter in the limit, but it matters for the error at finite n:

- left and right sums: error O(Δx), first order;
- the midpoint sum and the trapezoid rule (the average of the left and right sums): O(Δx²);
- Simpson's rule, (2 · midpoint + trapezoid) / 3, which fits a parabola to each pair of slices and
  is exact for cubics: O(Δx⁴).

:func:`integrate` applies Simpson's rule adaptively: it halves only the slices where two estimates
disagree, and reports an estimate of its own error, as :func:`calclib.derivative` does for f′.

Introduced in 07-integrals-and-expectation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from calclib.finite_differences import EPS, require_callable

Rule = Literal["left", "right", "midpoint"]
RULES: tuple[Rule, ...] = ("left", "right", "midpoint")


def _interval(a: object, b: object) -> tuple[float, float]:
    """a and b as finite floats, or a ValueError saying what to do instead."""
    bounds = []
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"the bound {name} must be a real number, got {value!r}")
        if not math.isfinite(float(value)):
            raise ValueError(
                f"the bound {name} = {value} is not finite: these rules need a finite interval; "
                "substitute x = t / (1 - t**2) to map an infinite one onto a finite one"
            )
        bounds.append(float(value))
    return bounds[0], bounds[1]


def _slices(n: object, *, even: bool = False) -> int:
    """n as a positive whole number (even if ``even``), or an error naming the value."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n (the number of slices) must be a whole number >= 1, got {n!r}")
    if even and n % 2:
        raise ValueError(
            f"Simpson's rule pairs the slices, so n must be even, got n = {n}; use n = {n + 1}"
        )
    return int(n)


def sample_values(f: Callable[..., Any], x: NDArray[np.float64]) -> NDArray[np.float64]:
    """f at every point of ``x``: one vectorised call if f takes arrays, else point by point.

    Parameters
    ----------
    f : callable
        A function of one real number; numpy functions are called once on the whole array,
        ``math`` functions (which refuse arrays) once per point.
    x : numpy.ndarray
        The points, a 1-d float array.

    Returns
    -------
    numpy.ndarray
        The values, same shape as ``x``.

    Raises
    ------
    ValueError
        If f is not finite at some point (the integral of such a function needs more care).

    Examples
    --------
    >>> import math
    >>> sample_values(math.exp, np.array([0.0, 1.0])).round(4)
    array([1.    , 2.7183])

    Introduced in 07-integrals-and-expectation.
    """
    f = require_callable(f)
    with np.errstate(all="ignore"):
        try:
            values = np.asarray(f(x), dtype=float)
        except (TypeError, ValueError, ArithmeticError):
            values = np.array([np.nan])
        if values.shape != x.shape:  # a function of one number only (math.exp), or a constant
            values = np.array([float(f(float(t))) for t in x])
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        where = float(x[bad[0]])
        raise ValueError(
            f"f({where:g}) = {values[bad[0]]}: f must be finite at every point the rule samples; "
            "if f blows up at an end of the interval, split the interval or substitute to remove "
            "the singularity"
        )
    return values


def riemann_sum(
    f: Callable[..., Any], a: float, b: float, n: int, rule: Rule = "midpoint"
) -> float:
    """The Riemann sum of f over [a, b] with n equal slices, sampled at the left, right or middle.

    Δx = (b - a) / n,  x_i = a + i Δx,
    left: Σ_{i=0}^{n-1} f(x_i) Δx,  right: Σ_{i=1}^{n} f(x_i) Δx,
    midpoint: Σ_{i=0}^{n-1} f(x_i + Δx/2) Δx.

    Parameters
    ----------
    f : callable
        The integrand, a function of one real number.
    a, b : float
        The interval; b < a gives the negative of the sum over [b, a].
    n : int
        The number of slices, at least 1.
    rule : {"left", "right", "midpoint"}
        Where in each slice f is sampled.

    Returns
    -------
    float

    Examples
    --------
    >>> riemann_sum(lambda x: x**2, 0.0, 1.0, 4, "left"), riemann_sum(lambda x: x**2, 0, 1, 4, "right")
    (0.21875, 0.46875)
    >>> riemann_sum(lambda x: x**2, 0, 1, 1000, "midpoint")  # the area is 1/3
    0.33333325

    Introduced in 07-integrals-and-expectation.
    """
    a, b = _interval(a, b)
    n = _slices(n)
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    dx = (b - a) / n
    offset = {"left": 0.0, "right": 1.0, "midpoint": 0.5}[rule]
    x = a + (np.arange(n) + offset) * dx
    return float(np.sum(sample_values(f, x.astype(np.float64))) * dx)


def trapezoid(f: Callable[..., Any], a: float, b: float, n: int) -> float:
    """The composite trapezoid rule: straight lines between n + 1 equally spaced points.

    T_n = Δx [f(x_0)/2 + f(x_1) + ... + f(x_{n-1}) + f(x_n)/2],  Δx = (b - a) / n,
    the average of the left and right Riemann sums. Error ≈ -(b - a) Δx² f″ / 12: second order.

    Parameters
    ----------
    f : callable
        The integrand.
    a, b : float
        The interval.
    n : int
        The number of slices, at least 1 (n + 1 evaluations of f).

    Returns
    -------
    float

    Examples
    --------
    >>> trapezoid(lambda x: x**2, 0.0, 1.0, 4)  # (left + right) / 2 = (0.21875 + 0.46875) / 2
    0.34375
    >>> trapezoid(lambda x: 3 * x + 1, -1.0, 2.0, 1)  # exact for straight lines
    7.5

    Introduced in 07-integrals-and-expectation.
    """
    a, b = _interval(a, b)
    n = _slices(n)
    y = sample_values(f, np.linspace(a, b, n + 1))
    return float((b - a) / n * (np.sum(y) - (y[0] + y[-1]) / 2))


def simpson(f: Callable[..., Any], a: float, b: float, n: int) -> float:
    """The composite Simpson rule: a parabola through each pair of slices (n even).

    S_n = Δx / 3 [f(x_0) + 4 f(x_1) + 2 f(x_2) + 4 f(x_3) + ... + 4 f(x_{n-1}) + f(x_n)],
    Δx = (b - a) / n. Error ≈ -(b - a) Δx⁴ f⁗ / 180: fourth order, exact for cubics.

    Parameters
    ----------
    f : callable
        The integrand.
    a, b : float
        The interval.
    n : int
        The number of slices, even and at least 2 (n + 1 evaluations of f).

    Returns
    -------
    float

    Examples
    --------
    >>> simpson(lambda x: x**3 - 2 * x, 0.0, 2.0, 2)  # exact for cubics: 16/4 - 4 = 0
    0.0
    >>> round(simpson(np.sin, 0.0, np.pi, 10), 6)  # the area is 2
    2.000110

    Introduced in 07-integrals-and-expectation.
    """
    a, b = _interval(a, b)
    n = _slices(n, even=True)
    y = sample_values(f, np.linspace(a, b, n + 1))
    return float((b - a) / n / 3 * (y[0] + y[-1] + 4 * np.sum(y[1:-1:2]) + 2 * np.sum(y[2:-1:2])))


@dataclass(frozen=True, slots=True)
class IntegralResult:
    """An estimate of ∫_a^b f (``value``), an estimate of its error, and the calls of f it cost.

    ``converged`` is False when the evaluation budget ran out before every slice met the
    tolerance; ``error`` is then the (larger) error estimate reached.
    """

    value: float
    error: float
    n_evals: int
    converged: bool


def _simpson_panel(fa: float, fm: float, fb: float, width: float) -> float:
    return width / 6 * (fa + 4 * fm + fb)


def integrate(
    f: Callable[[float], Any],
    a: float,
    b: float,
    *,
    atol: float = 1e-12,
    rtol: float = 1e-10,
    max_evals: int = 100_000,
) -> IntegralResult:
    """∫_a^b f(x) dx by adaptive Simpson's rule, with an estimate of the error.

    On a slice [l, r] with middle m, Simpson's rule on the whole slice, S, and on its two
    halves, S₂, differ by about 15 times the error of S₂ (both errors scale like width⁵), so
    E ≈ |S₂ - S| / 15. A slice is accepted when E ≤ its share of max(atol, rtol · |∫|) (its
    width over b - a), and then contributes S₂ + (S₂ - S) / 15 (Richardson's correction);
    otherwise it is halved. The start is 8 equal slices, so that a function is sampled at 17
    points before any is accepted. f is called with one float at a time.

    Parameters
    ----------
    f : callable
        The integrand, a function of one real number, finite on [a, b].
    a, b : float
        The interval (finite); b < a gives -∫_b^a f.
    atol, rtol : float
        Absolute and relative tolerance: the target is error ≤ max(atol, rtol · |value|).
    max_evals : int
        A budget of calls of f; when it runs out, the result has ``converged=False``.

    Returns
    -------
    IntegralResult
        ``value``, ``error`` (Σ |S₂ - S| over the accepted slices, 15 times the estimate
        above, which stays an upper bound at kinks where the error model fails; plus the
        rounding of the sum, 4 ε_mach Σ|slice|), ``n_evals`` and ``converged``.

    Raises
    ------
    ValueError
        For an infinite bound, a tolerance ≤ 0, or a point where f is not finite.

    Examples
    --------
    >>> result = integrate(np.exp, 0.0, 1.0)
    >>> abs(result.value - (np.e - 1)) < 1e-12, result.error < 1e-9, result.converged
    (True, True, True)
    >>> integrate(lambda x: x**3, 0.0, 2.0)  # exact for cubics: 17 calls, then 16 to check
    IntegralResult(value=4.0, error=3.5...e-15, n_evals=33, converged=True)

    Introduced in 07-integrals-and-expectation.
    """
    f = require_callable(f)
    a, b = _interval(a, b)
    for name, value in (("atol", atol), ("rtol", rtol)):
        if not (isinstance(value, (int, float)) and 0 < value < math.inf):
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    if isinstance(max_evals, bool) or not isinstance(max_evals, int) or max_evals < 17:
        raise ValueError(
            f"max_evals must be a whole number >= 17 (the first pass samples 17 points), "
            f"got {max_evals!r}"
        )
    if a == b:
        return IntegralResult(0.0, 0.0, 0, True)
    if b < a:
        flipped = integrate(f, b, a, atol=atol, rtol=rtol, max_evals=max_evals)
        return IntegralResult(-flipped.value, flipped.error, flipped.n_evals, flipped.converged)

    def g(t: float) -> float:
        with np.errstate(all="ignore"):  # a value outside f's domain is reported below
            y = float(f(t))
        if not math.isfinite(y):
            raise ValueError(
                f"f({t:g}) = {y}: integrate needs f finite on [{a:g}, {b:g}]; if f blows up at an "
                "end, split the interval or substitute to remove the singularity"
            )
        return y

    panels = 8
    x = np.linspace(a, b, 2 * panels + 1)
    y = [g(float(t)) for t in x]
    n_evals = len(y)
    # A slice on the stack: (left, right, f(left), f(middle), f(right), Simpson on the slice).
    stack = [
        (
            float(x[2 * i]),
            float(x[2 * i + 2]),
            y[2 * i],
            y[2 * i + 1],
            y[2 * i + 2],
            _simpson_panel(y[2 * i], y[2 * i + 1], y[2 * i + 2], float(x[2 * i + 2] - x[2 * i])),
        )
        for i in range(panels)
    ]
    rough = sum(slice_[5] for slice_ in stack)
    target = max(atol, rtol * abs(rough))
    total, error, magnitude, converged = 0.0, 0.0, 0.0, True
    while stack:
        left, right, f_left, f_mid, f_right, whole = stack.pop()
        middle = (left + right) / 2
        width = right - left
        if n_evals + 2 > max_evals or middle in (left, right):
            total += whole  # out of budget, or the slice cannot be halved in floating point
            magnitude += abs(whole)
            error += abs(whole - width * f_mid)  # Simpson against the midpoint rule: pessimistic
            converged = False
            continue
        f_q1, f_q3 = g((left + middle) / 2), g((middle + right) / 2)
        n_evals += 2
        halves = _simpson_panel(f_left, f_q1, f_mid, width / 2) + _simpson_panel(
            f_mid, f_q3, f_right, width / 2
        )
        estimate = abs(halves - whole) / 15
        if estimate <= target * width / (b - a):
            total += halves + (halves - whole) / 15
            magnitude += abs(halves)
            error += abs(halves - whole)  # 15 times the estimate: safe where f is not smooth
        else:
            stack.append(
                (
                    middle,
                    right,
                    f_mid,
                    f_q3,
                    f_right,
                    _simpson_panel(f_mid, f_q3, f_right, width / 2),
                )
            )
            stack.append(
                (left, middle, f_left, f_q1, f_mid, _simpson_panel(f_left, f_q1, f_mid, width / 2))
            )
    rounding = 4 * EPS * magnitude  # the sum itself is rounded, however exact the rule
    return IntegralResult(float(total), float(error + rounding), n_evals, converged)
