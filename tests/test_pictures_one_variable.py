"""One-variable pictures and widgets: the numbers they show are the mathematics."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from calclib.pictures.one_variable import (
    draw_error_vs_h,
    draw_function_and_derivative,
    draw_secant,
    draw_tangent_line,
    error_vs_h_widget,
    secant_widget,
    tangent_widget,
)
from calclib.pictures.plotting import static_plot

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


@pytest.mark.parametrize("f", ["exp(x)", "sin(x)", "x**3", "log(1 + x**2) + x"])
def test_measured_best_h_is_near_the_model(f):
    n = draw_error_vs_h(Figure(), f, 1.0)
    assert 0.1 < n["best h, central"] / n["model h*, central"] < 10
    if "model h*, forward" in n:
        assert 0.05 < n["best h, forward"] / n["model h*, forward"] < 20


def test_central_beats_forward_and_complex_step_is_exact_to_rounding():
    n = draw_error_vs_h(Figure(), "exp(x)", 1.0, h=1e-3)
    assert n["central error"] < 1e-3 * n["forward error"]
    small = draw_error_vs_h(Figure(), "exp(x)", 1.0, h=1e-10)
    assert small["complex step error"] < 1e-15
    assert small["forward error"] > 1e-8  # round-off has taken over


def test_float32_moves_the_best_step_up():
    n64 = draw_error_vs_h(Figure(), "exp(x)", 1.0, "float64")
    n32 = draw_error_vs_h(Figure(), "exp(x)", 1.0, "float32")
    assert n32["best h, central"] > 50 * n64["best h, central"]
    assert n32["model h*, forward"] == pytest.approx(np.sqrt(2 * np.finfo(np.float32).eps))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64', got 'float16'"):
        draw_error_vs_h(Figure(), "exp(x)", 1.0, "float16")
    with pytest.raises(ValueError, match="has a kink or jump"):
        draw_error_vs_h(Figure(), "abs(x)", 1.0)


def test_static_figure_renders_with_its_numbers():
    fig = static_plot(draw_error_vs_h, "sin(x)", 1.0, "float32", 1e-2, height=4.2)
    fig.canvas.draw()
    assert "central error" in fig.subfigs[1].texts[0].get_text()


PNG = b"\x89PNG"
# widget factory, a control to move and its new value, the static twin and its arguments
CASES = [
    (secant_widget, 0, 0.01, draw_secant, ("3*x**2 - 4*x", 1.0, 0.01)),
    (tangent_widget, 1, 0.1, draw_tangent_line, ("sin(x)", 1.0, 0.1)),
    (error_vs_h_widget, 1, "float32", draw_error_vs_h, ("exp(x)", 1.0, "float32", 1e-3)),
]


def parts(box: widgets.HBox) -> tuple[widgets.Image, list[widgets.ValueWidget], widgets.HTML]:
    image, side = box.children
    return image, list(side.children[:-1]), side.children[-1]


@pytest.mark.parametrize(
    "make, index, value, draw, args", CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_widget_redraws_when_a_control_moves(make, index, value, draw, args):
    image, controls, numbers = parts(make())
    assert bytes(image.value).startswith(PNG) and 1 <= len(controls) <= 3
    before = (image.value, numbers.value)
    controls[index].value = value
    assert bytes(image.value).startswith(PNG)
    assert bytes(image.value) != bytes(before[0]) and numbers.value != before[1]


@pytest.mark.parametrize(
    "make, index, value, draw, args", CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_static_twin_shows_the_numbers_the_widget_shows(make, index, value, draw, args):
    _, controls, numbers = parts(make())
    controls[index].value = value
    fig = static_plot(draw, *args)
    fig.canvas.draw()
    assert fig.subfigs[1].texts[0].get_text() in numbers.value


def test_secant_widget_looks_from_the_left():
    _, (size, side), numbers = parts(secant_widget("x**2", 1.0))
    size.value, side.value = 0.5, -1.0
    assert "h = -0.5" in numbers.value and "secant slope = 1.5" in numbers.value


def test_tangent_widget_explains_the_vertical_tangent_of_sqrt_at_0():
    _, (point, eps), numbers = parts(tangent_widget("sqrt(x)", 4.0, (0.0, 9.0)))
    assert point.min == 0.0  # the slider reaches the edge of the domain ...
    point.value = 0.0
    assert "does not exist (the tangent is vertical)" in numbers.value
    assert "inf" not in numbers.value and "nan" not in numbers.value  # ... and says why
    point.value, eps.value = 0.5, -1.0
    assert "undefined at x0 + ε = -0.5" in numbers.value and "nan" not in numbers.value
