"""derivative(): accuracy, honest error estimates, domain edges, kinks, arrays and bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from strategies import BASES, points, smooth_functions

from calclib.derivative import DerivativeResult, derivative

GRID = np.linspace(-2, 2, 9) + 0.05  # avoids the exact zeros of the bases' derivatives


@pytest.mark.parametrize("base", BASES, ids=repr)
def test_smooth_functions_to_near_machine_precision(base):
    for x in GRID:
        result = derivative(base.f, x)
        exact = base.df(x)
        assert abs(result.value - exact) <= 1e-12 * max(1.0, abs(exact))
        assert result.n_evals <= 25


def test_error_estimate_bounds_the_true_error_in_almost_every_case():
    cases = [(base, x) for base in BASES for x in GRID]
    covered = [
        derivative(b.f, x).error >= abs(derivative(b.f, x).value - b.df(x)) for b, x in cases
    ]
    assert np.mean(covered) >= 0.95


def test_typical_cost_is_a_dozen_evaluations():
    assert derivative(math.exp, 1.0).n_evals <= 15
    assert np.median([derivative(b.f, 0.3).n_evals for b in BASES]) <= 15


@given(smooth_functions(), smooth_functions(), points)
def test_linearity(f, g, x):
    combined = derivative(lambda t: 2 * f.f(t) - 3 * g.f(t), x).value
    separate = 2 * derivative(f.f, x).value - 3 * derivative(g.f, x).value
    scale = 1 + abs(2 * f.df(x)) + abs(3 * g.df(x)) + abs(f.f(x)) + abs(g.f(x))
    assert combined == pytest.approx(separate, abs=1e-10 * scale)


@given(smooth_functions(), smooth_functions(), points)
def test_product_rule(f, g, x):
    product = derivative(lambda t: f.f(t) * g.f(t), x).value
    rule = derivative(f.f, x).value * g.f(x) + f.f(x) * derivative(g.f, x).value
    scale = (1 + abs(f.f(x)) + abs(f.df(x))) * (1 + abs(g.f(x)) + abs(g.df(x)))
    assert product == pytest.approx(rule, abs=1e-10 * scale)


@given(smooth_functions(), smooth_functions(bounded=True), points)
def test_chain_rule(outer, inner, x):
    composed = derivative(lambda t: outer.f(inner.f(t)), x).value
    rule = derivative(outer.f, inner.f(x)).value * derivative(inner.f, x).value
    u = inner.f(x)
    scale = (1 + abs(outer.f(u)) + abs(outer.df(u))) * (1 + abs(inner.df(x)))
    assert composed == pytest.approx(rule, abs=1e-10 * scale)


@pytest.mark.parametrize(
    ("f", "x", "exact"),
    [
        (np.sqrt, 0.3, 0.5 / math.sqrt(0.3)),
        (np.log, 0.01, 100.0),
        (np.log, 1e-6, 1e6),
        (math.log, 0.01, 100.0),  # raises ValueError left of 0 instead of returning nan
        (math.sqrt, 1e-4, 50.0),
        (lambda t: np.log(-t), -0.001, -1000.0),  # the edge is on the right
        (np.arccos, 0.999, -1 / math.sqrt(1 - 0.999**2)),
    ],
)
def test_near_a_domain_edge_the_step_shrinks_instead_of_returning_nan(f, x, exact):
    result = derivative(f, x)
    assert result.value == pytest.approx(exact, rel=1e-10)
    assert abs(result.value - exact) <= result.error


def test_at_a_domain_edge_the_difference_goes_one_sided():
    result = derivative(lambda t: np.sqrt(t) ** 3, 0.0)  # defined for t >= 0 only, slope 0
    assert abs(result.value) < 1e-5 and result.error < 1e-5
    square = derivative(lambda t: t**2 if t >= 0 else math.nan, 0.0)  # smooth up to the edge
    assert abs(square.value) <= square.error < 1e-12


def test_an_infinite_slope_gives_a_large_error():
    result = derivative(np.sqrt, 0.0)
    assert math.isfinite(result.value) and result.error >= 1.0


@pytest.mark.parametrize(
    ("f", "left", "right"),
    [
        (abs, -1.0, 1.0),
        (lambda t: max(t, 0.0), 0.0, 1.0),
        (lambda t: max(t, 2 * t), 1.0, 2.0),
        (lambda t: abs(t) + math.sin(t), 0.0, 2.0),
    ],
)
def test_at_a_kink_both_one_sided_slopes_lie_within_the_error(f, left, right):
    result = derivative(f, 0.0)
    assert abs(result.value - left) <= result.error * (1 + 1e-12)
    assert abs(result.value - right) <= result.error * (1 + 1e-12)


def test_next_to_a_kink_the_slope_is_exact():
    assert derivative(abs, 1e-3).value == pytest.approx(1.0, abs=1e-14)
    assert derivative(abs, -1e-3).value == pytest.approx(-1.0, abs=1e-14)


def test_a_jump_gives_a_large_error():
    result = derivative(np.sign, 0.0)
    assert result.error >= 1.0


def test_float32_functions_get_an_error_at_float32_precision():
    result = derivative(lambda t: np.sin(np.float32(t)), 1.0)
    assert abs(result.value - math.cos(1.0)) <= result.error
    assert 1e-7 < result.error < 1e-3


def test_arrays_of_points_give_arrays_of_results():
    x = np.array([[0.1, 0.5], [1.0, 2.0]])
    result = derivative(np.sin, x)
    assert result.value.shape == result.error.shape == result.n_evals.shape == (2, 2)
    assert result.value == pytest.approx(np.cos(x), rel=1e-13)
    assert result.n_evals.dtype.kind == "i"
    assert result.value[1, 0] == derivative(np.sin, 1.0).value


def test_a_scalar_point_gives_plain_numbers():
    result = derivative(math.sin, 1)
    assert type(result.value) is float and type(result.error) is float
    assert type(result.n_evals) is int


def test_result_is_frozen():
    result = derivative(math.sin, 0.0)
    assert isinstance(result, DerivativeResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 2.0  # type: ignore[misc]


def test_a_smaller_initial_step_resolves_fine_structure_faster():
    narrow = lambda t: math.exp(-((t / 0.01) ** 2))
    exact = -2 * 0.004 / 0.01**2 * narrow(0.004)
    default, small = derivative(narrow, 0.004), derivative(narrow, 0.004, initial_step=1e-3)
    assert default.value == pytest.approx(exact, rel=1e-10)
    assert small.value == pytest.approx(exact, rel=1e-10)
    assert small.n_evals < default.n_evals


@pytest.mark.parametrize(
    ("f", "x", "error", "message"),
    [
        ("sin", 1.0, TypeError, "f must be a function such as math.sin .* got 'sin' of type str"),
        (math.sin, math.nan, ValueError, "x must be finite, got nan"),
        (math.sin, [0.0, -math.inf], ValueError, r"x must be finite, got \[0.0, -inf\]"),
        (math.sin, None, TypeError, "x must be a real number or an array of them, got None"),
        (lambda t: "a", 1.0, TypeError, "f must return a real number, got 'a' of type str"),
        (lambda t: [t, t], 1.0, ValueError, r"f\(x\) has shape \(2,\) .* use jacobian"),
        (lambda t: 1j * t, 1.0, TypeError, r"f must return a real number, got 1j"),
        (np.log, -1.0, ValueError, r"f\(-1.0\) = nan: f is not defined there"),
        (
            lambda t: 0.0 if t == 2.0 else math.nan,
            2.0,
            ValueError,
            "f is undefined on both sides of x = 2.0",
        ),
    ],
)
def test_bad_input_is_named(f, x, error, message):
    with pytest.raises(error, match=message):
        derivative(f, x)


def test_bad_initial_step_is_named():
    with pytest.raises(ValueError, match="initial_step must be a positive number, got -1"):
        derivative(math.sin, 0.0, initial_step=-1)
