"""The two-variable widgets build headless, redraw when a control moves, and have static twins."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import pytest

from calclib.plotting import static_plot
from calclib.plotting_2d import draw_critical_point, draw_gradient_field
from calclib.widgets_2d import critical_point_widget, gradient_widget

PNG = b"\x89PNG"
# widget factory, a control to move and its new value, the static twin and its arguments
CASES = [
    (gradient_widget, 0, -1.0, draw_gradient_field, ("x**2 + 3*y**2", (-1.0, 0.5))),
    (critical_point_widget, 0, "saddle  x² − y²", draw_critical_point, ("x**2 - y**2", (0, 0))),
]
IDS = ["gradient", "critical_point"]


def parts(box: widgets.HBox) -> tuple[widgets.Image, list[widgets.ValueWidget], widgets.HTML]:
    image, side = box.children
    return image, list(side.children[:-1]), side.children[-1]


@pytest.mark.parametrize("make, index, value, draw, args", CASES, ids=IDS)
def test_widget_redraws_when_a_control_moves(make, index, value, draw, args):
    image, controls, numbers = parts(make())
    assert bytes(image.value).startswith(PNG) and 1 <= len(controls) <= 3
    before = (bytes(image.value), numbers.value)
    controls[index].value = value
    assert bytes(image.value).startswith(PNG)
    assert bytes(image.value) != before[0] and numbers.value != before[1]


@pytest.mark.parametrize("make, index, value, draw, args", CASES, ids=IDS)
def test_static_twin_shows_the_numbers_the_widget_shows(make, index, value, draw, args):
    _, controls, numbers = parts(make())
    controls[index].value = value
    fig = static_plot(draw, *args)
    fig.canvas.draw()
    assert fig.subfigs[1].texts[0].get_text() in numbers.value


def test_gradient_widget_follows_the_point():
    _, (x_slider, y_slider, _field), numbers = parts(gradient_widget("x*y"))
    x_slider.value, y_slider.value = 2.0, -1.5
    assert "∂f/∂x = -1.5" in numbers.value and "∂f/∂y = 2" in numbers.value


def test_critical_point_widget_takes_custom_examples():
    box = critical_point_widget({"quartic": ("x**4 + y**2", (0.0, 0.0))})
    assert "kind = inconclusive (a zero eigenvalue)" in parts(box)[2].value
