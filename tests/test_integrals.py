"""Riemann sums, trapezoid, Simpson and adaptive integration: the laws of the integral and the
orders of accuracy, measured as 02-derivatives measures them for differences (slope of log error
against log step)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import smooth_functions

from calclib.integrals import RULES, integrate, riemann_sum, sample_values, simpson, trapezoid

bounds = st.floats(-2.0, 2.0, allow_nan=False)
constants = st.floats(-3.0, 3.0, allow_nan=False)


def fitted_order(ns: list[int], errors: list[float]) -> float:
    """The slope of log(error) against log(Δx) = -log(n): the order of accuracy."""
    return float(np.polyfit(-np.log(ns), np.log(errors), 1)[0])


# --- laws every rule obeys ----------------------------------------------------------------


@given(smooth_functions(), smooth_functions(), constants, constants, bounds, bounds)
def test_every_rule_is_linear(f, g, alpha, beta, a, b):
    def combination(x):
        return alpha * f.f(x) + beta * g.f(x)

    for rule in (
        *(lambda h, a, b, r=r: riemann_sum(h, a, b, 6, r) for r in RULES),
        lambda h, a, b: trapezoid(h, a, b, 6),
        lambda h, a, b: simpson(h, a, b, 6),
    ):
        together = rule(combination, a, b)
        apart = alpha * rule(f.f, a, b) + beta * rule(g.f, a, b)
        assert together == pytest.approx(apart, rel=1e-9, abs=1e-9)


@given(smooth_functions(), bounds, bounds, bounds)
def test_integrate_is_additive_over_intervals(f, a, m, b):
    whole = integrate(f.f, a, b).value
    parts = integrate(f.f, a, m).value + integrate(f.f, m, b).value
    assert whole == pytest.approx(parts, rel=1e-9, abs=1e-9)


@given(smooth_functions(), bounds, bounds)
def test_swapping_the_bounds_flips_the_sign(f, a, b):
    assert integrate(f.f, b, a).value == pytest.approx(-integrate(f.f, a, b).value, abs=1e-12)
    assert simpson(f.f, b, a, 4) == pytest.approx(-simpson(f.f, a, b, 4), rel=1e-12, abs=1e-12)


@given(st.lists(constants, min_size=4, max_size=4), bounds, bounds)
def test_simpson_is_exact_on_cubics(c, a, b):
    def cubic(x):
        return c[0] + c[1] * x + c[2] * x**2 + c[3] * x**3

    def antiderivative(x):
        return c[0] * x + c[1] * x**2 / 2 + c[2] * x**3 / 3 + c[3] * x**4 / 4

    exact = antiderivative(b) - antiderivative(a)
    assert simpson(cubic, a, b, 2) == pytest.approx(exact, rel=1e-12, abs=1e-12)
    assert integrate(cubic, a, b).error <= 1e-12


@given(st.lists(constants, min_size=2, max_size=2), bounds, bounds)
def test_trapezoid_and_midpoint_are_exact_on_lines(c, a, b):
    def line(x):
        return c[0] + c[1] * x

    exact = c[0] * (b - a) + c[1] * (b**2 - a**2) / 2
    assert trapezoid(line, a, b, 1) == pytest.approx(exact, rel=1e-12, abs=1e-12)
    assert riemann_sum(line, a, b, 1, "midpoint") == pytest.approx(exact, rel=1e-12, abs=1e-12)


@given(smooth_functions(), bounds, bounds)
def test_integrate_agrees_with_the_antiderivative(f, a, b):
    # the fundamental theorem read backwards: ∫_a^b f' = f(b) - f(a)
    result = integrate(f.df, a, b)
    assert result.value == pytest.approx(f.f(b) - f.f(a), rel=1e-10, abs=1e-10)
    assert abs(result.value - (f.f(b) - f.f(a))) <= max(result.error * 10, 1e-12)
    assert result.converged


# --- orders of accuracy -------------------------------------------------------------------

ORDER_CASES = [(np.exp, 0.0, 1.0, math.e - 1), (np.cos, 0.0, 2.0, math.sin(2.0))]


@pytest.mark.parametrize(("f", "a", "b", "exact"), ORDER_CASES)
@pytest.mark.parametrize(
    ("rule", "order"),
    [
        (lambda f, a, b, n: riemann_sum(f, a, b, n, "left"), 1),
        (lambda f, a, b, n: riemann_sum(f, a, b, n, "right"), 1),
        (lambda f, a, b, n: riemann_sum(f, a, b, n, "midpoint"), 2),
        (trapezoid, 2),
        (simpson, 4),
    ],
)
def test_order_of_accuracy_by_slope(f, a, b, exact, rule, order):
    ns = [8, 16, 32, 64]
    errors = [abs(rule(f, a, b, n) - exact) for n in ns]
    assert fitted_order(ns, errors) == pytest.approx(order, abs=0.1)


def test_midpoint_error_is_half_the_trapezoid_error_with_the_opposite_sign():
    exact = math.e - 1
    mid, trap = (
        riemann_sum(np.exp, 0, 1, 50, "midpoint") - exact,
        trapezoid(np.exp, 0, 1, 50) - exact,
    )
    assert mid / trap == pytest.approx(-0.5, abs=1e-3)
    # which is why Simpson = (2 midpoint + trapezoid) / 3 cancels the Δx² term
    simpson_from_both = (2 * (mid + exact) + (trap + exact)) / 3
    assert simpson_from_both == pytest.approx(simpson(np.exp, 0, 1, 100), rel=1e-14)


# --- integrate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "a", "b", "exact"),
    [
        (lambda x: 1 / (1 + 25 * x * x), -1.0, 1.0, 2 / 5 * math.atan(5)),  # Runge's function
        (math.sqrt, 0.0, 1.0, 2 / 3),  # infinite slope at 0
        (lambda x: abs(x - 0.3), 0.0, 1.0, 0.29),  # a kink
        (lambda x: math.sin(30 * x) ** 2, 0.0, 1.0, 0.5 - math.sin(60) / 120),  # oscillating
        (lambda x: math.exp(-x * x), -5.0, 5.0, math.sqrt(math.pi) * math.erf(5)),
    ],
)
def test_integrate_is_accurate_and_its_error_estimate_is_honest(f, a, b, exact):
    result = integrate(f, a, b)
    assert result.converged
    assert abs(result.value - exact) <= max(result.error, 1e-14)
    assert abs(result.value - exact) < 1e-10


def test_integrate_counts_its_calls():
    calls = []
    result = integrate(lambda x: calls.append(x) or math.cos(x), 0.0, 1.0)
    assert result.n_evals == len(calls)


def test_integrate_reports_a_spent_budget():
    result = integrate(lambda x: math.sin(1 / (x + 1e-3)), 0.0, 1.0, max_evals=101)
    assert not result.converged
    assert result.n_evals <= 101
    assert result.error > 1e-6


def test_integrate_of_an_empty_interval_is_zero():
    assert integrate(math.exp, 1.5, 1.5).value == 0.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: integrate(math.exp, 0.0, math.inf), ValueError, "substitute"),
        (lambda: integrate(lambda x: 1 / x, 0.0, 1.0), ZeroDivisionError, "division by zero"),
        (lambda: integrate(lambda x: 1 / np.float64(x), 0.0, 1.0), ValueError, "split"),
        (lambda: integrate(math.exp, 0.0, 1.0, rtol=0), ValueError, "rtol must be a positive"),
        (lambda: integrate(math.exp, 0.0, 1.0, max_evals=10), ValueError, "max_evals must be"),
        (lambda: integrate("x**2", 0.0, 1.0), TypeError, "must be a function"),
        (lambda: simpson(math.exp, 0.0, 1.0, 3), ValueError, "use n = 4"),
        (lambda: trapezoid(math.exp, 0.0, 1.0, 0), ValueError, r"whole number >= 1"),
        (lambda: trapezoid(math.exp, 0.0, 1.0, 2.0), ValueError, r"whole number >= 1"),
        (lambda: riemann_sum(math.exp, 0.0, 1.0, 4, "centre"), ValueError, "left, right, midpoint"),
        (lambda: riemann_sum(math.exp, "0", 1.0, 4), TypeError, "the bound a must be a real"),
    ],
)
def test_mistakes_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_scalar_only_functions_are_sampled_point_by_point():
    x = np.linspace(0.0, 1.0, 5)
    assert sample_values(math.exp, x) == pytest.approx(np.exp(x))
    assert sample_values(lambda t: 2.0, x) == pytest.approx(np.full(5, 2.0))  # a constant
    assert trapezoid(math.exp, 0.0, 1.0, 200) == pytest.approx(trapezoid(np.exp, 0.0, 1.0, 200))
