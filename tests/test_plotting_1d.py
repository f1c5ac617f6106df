"""Secant, tangent line and sign-of-f′ pictures: the numbers they show are the mathematics."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from calclib.plotting import static_plot
from calclib.plotting_1d import (
    draw_function_and_derivative,
    draw_secant,
    draw_tangent_line,
)

small = st.floats(-3, 3, allow_nan=False)


@given(a=small, b=small, x0=small, h=st.floats(1e-3, 1).flatmap(lambda v: st.sampled_from([v, -v])))
def test_secant_slope_of_a_quadratic_is_the_derivative_plus_a_h(a, b, x0, h):
    n = draw_secant(Figure(), f"{a!r}*x**2 + {b!r}*x", x0, h)
    assert n["f′(x0)"] == pytest.approx(2 * a * x0 + b, abs=1e-12)
    assert n["secant slope"] == pytest.approx(2 * a * x0 + b + a * h, abs=1e-9)


def test_secant_slope_approaches_the_derivative_from_both_sides():
    gaps = [
        draw_secant(Figure(), "sin(x)", 1.0, s * h)["slope − f′(x0)"]
        for h in (1e-1, 1e-2, 1e-3)
        for s in (1, -1)
    ]
    assert abs(gaps[4]) < abs(gaps[2]) < abs(gaps[0]) < 0.05
    assert gaps[0] < 0 < gaps[1]  # sin is concave at 1: the right secant is flatter


def test_secant_refuses_h_zero():
    with pytest.raises(ValueError, match="h = 0 gives 0/0"):
        draw_secant(Figure(), "x**2", 1.0, 0.0)


def test_tangent_line_error_is_second_order():
    n = draw_tangent_line(Figure(), "sin(x)", 1.0, 1e-3)
    assert n["f(x0 + ε)"] == pytest.approx(math.sin(1.001), rel=1e-15)
    assert n["error / ε²"] == pytest.approx(-math.sin(1.0) / 2, rel=1e-3)


def test_function_and_derivative_finds_and_names_extrema():
    assert draw_function_and_derivative(Figure(), "x**3 - 3*x") == {
        "f at x = -1 (local max)": 2.0,
        "f at x = 1 (local min)": -2.0,
    }
    assert draw_function_and_derivative(Figure(), "x**3", (-2, 2)) == {"f at x = 0 (flat)": 0.0}


def test_function_and_derivative_falls_back_to_sign_changes():
    n = draw_function_and_derivative(Figure(), "sin(x) + x/10", (-4.0, 4.0))
    xs = sorted(float(k.split()[4]) for k in n)
    exact = [-math.acos(-0.1), math.acos(-0.1)]
    assert xs == pytest.approx(exact, abs=1e-3)
    assert [k.endswith("(local min)") for k in n] == [True, False]


@pytest.mark.parametrize(
    "draw, args",
    [
        (draw_secant, ("3*x**2 - 4*x", 1.0, 0.5)),
        (draw_tangent_line, ("exp(x)", 0.0, 0.5)),
        (draw_function_and_derivative, ("x**4 - 2*x**2",)),
    ],
)
def test_static_figures_render(draw, args):
    fig = static_plot(draw, *args)
    fig.canvas.draw()
    assert fig.subfigs[0].axes and fig.subfigs[1].texts[0].get_text()


def _finite_or_text(numbers: dict) -> bool:
    return all(isinstance(v, str) or math.isfinite(v) for v in numbers.values())


def test_tangent_line_at_a_vertical_tangent_explains_instead_of_printing_inf():
    for eps in (0.5, -0.5, 0.0):
        n = draw_tangent_line(Figure(), "sqrt(x)", 0.0, eps, xlim=(0.0, 9.0))
        assert n["f′(x0)"] == "does not exist (the tangent is vertical)"
        assert "no tangent slope" in n["why no error"] and _finite_or_text(n)


def test_tangent_line_says_when_x0_plus_eps_leaves_the_domain():
    n = draw_tangent_line(Figure(), "sqrt(x)", 0.2, -0.5, xlim=(0.0, 9.0))
    assert n["why no error"] == "f(x0 + ε) is undefined at x0 + ε = -0.3"
    assert n["f′(x0)"] == pytest.approx(1 / (2 * math.sqrt(0.2))) and _finite_or_text(n)
    outside = draw_tangent_line(Figure(), "log(x)", -1.0, 0.5)
    assert outside["f(x0)"] == "undefined: x0 is outside the domain of f"


def test_tangent_line_at_eps_zero_has_no_ratio():
    n = draw_tangent_line(Figure(), "x**2", 1.0, 0.0)
    assert n["error"] == 0.0 and n["error / ε²"].startswith("undefined at ε = 0")
