"""Every one-variable widget builds headless, redraws when a control moves, and has a static twin."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import pytest

from calclib.plotting import static_plot
from calclib.plotting_1d import draw_secant, draw_tangent_line
from calclib.plotting_errors import draw_error_vs_h
from calclib.widgets import error_vs_h_widget, secant_widget, tangent_widget

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
