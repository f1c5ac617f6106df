"""Finite differences: their order of accuracy, exact steps, complex step and its traps."""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calclib.finite_differences import (
    backward_difference,
    central_difference,
    complex_step,
    five_point_difference,
    forward_difference,
    representable_step,
)

X = 0.7  # sin has nonzero derivatives of every order used below at this point


def observed_order(scheme, steps) -> float:
    """Slope of log(error) against log(h): the exponent p in error ~ C h^p."""
    errors = [abs(scheme(math.sin, X, h) - math.cos(X)) for h in steps]
    return float(np.polyfit(np.log(steps), np.log(errors), 1)[0])


@pytest.mark.parametrize(
    ("scheme", "order", "steps"),
    [
        (forward_difference, 1, np.geomspace(1e-2, 1e-5, 8)),
        (backward_difference, 1, np.geomspace(1e-2, 1e-5, 8)),
        (central_difference, 2, np.geomspace(1e-1, 1e-3, 8)),
        (five_point_difference, 4, np.geomspace(2e-1, 2e-2, 8)),
    ],
)
def test_error_falls_with_the_order_of_the_scheme(scheme, order, steps):
    assert observed_order(scheme, steps) == pytest.approx(order, abs=0.1)


@pytest.mark.parametrize(
    ("scheme", "tolerance"),
    [
        (forward_difference, 1e-7),
        (backward_difference, 1e-7),
        (central_difference, 1e-9),
        (five_point_difference, 1e-11),
    ],
)
@pytest.mark.parametrize("x", [-3.0, 0.0, 0.4, 2.5])
def test_default_steps_reach_the_accuracy_of_their_order(scheme, tolerance, x):
    assert scheme(np.exp, x) == pytest.approx(math.exp(x), rel=tolerance)


def test_steps_are_relative_to_x():
    # An absolute step of 6e-6 would be three ulps of 1e10: nearly all digits would cancel.
    assert central_difference(lambda x: x**2, 1e10) == pytest.approx(2e10, rel=1e-9)


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-12, 1e-1),
)
def test_steps_are_exactly_representable(x, h):
    step = representable_step(x, h)
    assert (x + step) - x == step
    assert step == pytest.approx(h * max(1.0, abs(x)), rel=1e-3)


def test_identity_has_slope_exactly_one_thanks_to_exact_steps():
    assert forward_difference(lambda x: x, 0.1) == 1.0


def test_schemes_are_vectorised_over_arrays():
    x = np.linspace(-1, 1, 5)
    for scheme in (forward_difference, central_difference, five_point_difference):
        assert scheme(np.sin, x) == pytest.approx(np.cos(x), rel=1e-7)


@pytest.mark.parametrize("x", [-2.0, -0.3, 0.0, 0.9, 4.0])
@pytest.mark.parametrize(
    ("f", "df"),
    [(np.sin, np.cos), (np.exp, np.exp), (lambda z: z**3 - 2 * z, lambda t: 3 * t**2 - 2)],
)
def test_complex_step_is_exact_to_a_few_ulp(f, df, x):
    exact = df(x)
    assert abs(complex_step(f, x) - exact) <= 4 * np.spacing(abs(exact))


def test_complex_step_accepts_cmath_and_arrays():
    assert complex_step(cmath.exp, 1.0) == pytest.approx(math.e, rel=1e-15)
    x = np.array([0.1, 1.0, 2.0])
    assert complex_step(np.tanh, x) == pytest.approx(1 - np.tanh(x) ** 2, rel=1e-15)


def test_complex_step_refuses_math_functions():
    with pytest.raises(TypeError, match=r"cannot take the complex input .*use cmath.sin or np.sin"):
        complex_step(math.sin, 1.0)


def test_complex_step_refuses_comparisons():
    with pytest.raises(TypeError, match="'>' not supported .* no abs\\(\\) or comparisons"):
        complex_step(lambda x: x if x > 0 else -x, 1.0)


@pytest.mark.parametrize("f", [abs, np.abs, lambda x: x.real**2])
def test_complex_step_refuses_a_real_result(f):
    with pytest.raises(TypeError, match="returned the real value .* imaginary part .* was lost"):
        complex_step(f, 1.0)


@pytest.mark.parametrize(
    "f",
    [lambda x: abs(x) + x, lambda x: x * x.conjugate(), lambda x: np.exp(x) * abs(x)],
)
def test_complex_step_warns_when_f_silently_drops_the_imaginary_part(f):
    with pytest.warns(RuntimeWarning, match="f probably drops the imaginary part"):
        complex_step(f, 1.0)


def test_complex_step_check_does_not_flag_steep_functions():
    slope = complex_step(lambda x: np.tanh(1000 * x), 0.001)
    assert slope == pytest.approx(1000 / np.cosh(1.0) ** 2, rel=1e-14)


def test_complex_step_check_can_be_switched_off():
    assert complex_step(lambda x: abs(x) + x, 1.0, check=False) == 1.0


@pytest.mark.parametrize(
    "scheme",
    [forward_difference, backward_difference, central_difference, five_point_difference],
)
def test_bad_input_is_named(scheme):
    with pytest.raises(
        TypeError, match="f must be a function such as math.sin .* got 3 of type int"
    ):
        scheme(3, 1.0)
    with pytest.raises(ValueError, match="x must be finite, got nan"):
        scheme(math.sin, math.nan)
    with pytest.raises(ValueError, match=r"x must be finite, got \[1.0, inf\]"):
        scheme(np.sin, [1.0, math.inf])
    with pytest.raises(TypeError, match="x must be a real number or an array of them, got 'one'"):
        scheme(math.sin, "one")
    with pytest.raises(TypeError, match=r"got \(1\+2j\) of type complex"):
        scheme(math.sin, 1 + 2j)
    with pytest.raises(ValueError, match="the step h must be a positive finite number, got -0.1"):
        scheme(math.sin, 1.0, h=-0.1)
    with pytest.raises(TypeError, match="f must return a real number, got 'a' of type str"):
        scheme(lambda x: "a", 1.0)
    with pytest.raises(
        ValueError, match=r"f\(x\) has shape \(2,\) for x of shape \(\); .*jacobian"
    ):
        scheme(lambda x: np.array([x, x]), 1.0)


def test_complex_step_bad_input_is_named():
    with pytest.raises(TypeError, match="f must be a function"):
        complex_step(None, 1.0)
    with pytest.raises(ValueError, match="x must be finite, got inf"):
        complex_step(np.sin, math.inf)
    with pytest.raises(ValueError, match="the step h must be a positive finite number, got 0"):
        complex_step(np.sin, 1.0, h=0)
