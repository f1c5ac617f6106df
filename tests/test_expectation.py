"""Expectation as an integral and Monte Carlo: unbiased, and an error that shrinks like 1/√N."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calclib.expectation import MonteCarloResult, expectation, monte_carlo


def uniform(low: float, high: float):
    return lambda rng, n: rng.uniform(low, high, n)


@given(st.floats(-2.0, 2.0), st.floats(0.1, 3.0))
def test_expectation_of_a_uniform_variable_matches_the_formulas(low, width):
    high = low + width
    density = lambda x: 1 / width
    mean = expectation(lambda x: x, density, low, high).value
    second = expectation(lambda x: x * x, density, low, high).value
    assert mean == pytest.approx((low + high) / 2, abs=1e-10)
    assert second - mean**2 == pytest.approx(width**2 / 12, abs=1e-10)  # the variance


def test_expectation_under_a_normal_density():
    normal = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    assert expectation(lambda x: x**2, normal, -12.0, 12.0).value == pytest.approx(1.0, abs=1e-10)
    assert expectation(lambda x: x**4, normal, -12.0, 12.0).value == pytest.approx(3.0, abs=1e-9)


def test_monte_carlo_is_repeatable_with_a_seed_and_not_without():
    g, sample = (lambda x: x**2), uniform(0, 2)
    assert monte_carlo(g, sample, 100, seed=3) == monte_carlo(g, sample, 100, seed=3)
    assert monte_carlo(g, sample, 100, seed=None) != monte_carlo(g, sample, 100, seed=None)


def test_monte_carlo_is_unbiased():
    # the mean of many small estimates is the integral, within its own standard error
    estimates = [monte_carlo(lambda x: x**2, uniform(0, 2), 10, seed=s).value for s in range(4000)]
    sigma = math.sqrt(64 / 45 / 10)  # Var[X²] = E[X⁴] - E[X²]² = 16/5 - 16/9 for U(0, 2)
    assert np.mean(estimates) == pytest.approx(4 / 3, abs=4 * sigma / math.sqrt(4000))
    assert np.std(estimates) == pytest.approx(sigma, rel=0.05)


def test_monte_carlo_error_shrinks_like_one_over_root_n():
    ns = np.array([100, 400, 1600, 6400, 25600])
    spreads = []
    for n in ns:
        values = [monte_carlo(np.sin, uniform(0, math.pi), int(n), seed=s).value for s in range(60)]
        spreads.append(np.std(values))
    slope = np.polyfit(np.log(ns), np.log(spreads), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.1)


def test_standard_error_estimates_the_true_spread():
    result = monte_carlo(lambda x: x**2, uniform(0, 2), 40_000, seed=1)
    assert result.standard_error == pytest.approx(math.sqrt(64 / 45 / 40_000), rel=0.03)
    low, high = result.interval()
    assert low < 4 / 3 < high


def test_interval_is_symmetric():
    assert MonteCarloResult(2.0, 0.25, 10).interval(z=2) == (1.5, 2.5)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: monte_carlo(lambda x: x, uniform(0, 1), 1), ValueError, "at least 2"),
        (lambda: monte_carlo(lambda x: x, uniform(0, 1), 10.0), TypeError, "whole number"),
        (lambda: monte_carlo(lambda x: 1.0, uniform(0, 1), 10), ValueError, "one number per"),
        (lambda: monte_carlo(np.log, uniform(-1, 0), 10), ValueError, "not finite"),
        (lambda: monte_carlo(lambda x: x, lambda rng, n: [0.5], 10), ValueError, "exactly n"),
        (lambda: expectation(lambda x: x, 0.5, 0, 2), TypeError, "density must be a function"),
    ],
)
def test_mistakes_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
