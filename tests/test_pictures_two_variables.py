"""Contours, gradients, critical points, still and as widgets: the numbers beside the pictures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math

import ipywidgets as widgets
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from calclib.pictures.plotting import static_plot
from calclib.pictures.two_variables import (
    critical_point_widget,
    draw_critical_point,
    draw_gradient_field,
    gradient_widget,
)


def test_gradient_of_log_sum_exp_is_the_softmax():
    n = draw_gradient_field(Figure(), "log(exp(x) + exp(y))", (0.0, math.log(2)))
    assert n["f(x, y)"] == pytest.approx(math.log(3))
    assert (n["∂f/∂x"], n["∂f/∂y"]) == pytest.approx((1 / 3, 2 / 3))
    assert n["direction (degrees)"] == pytest.approx(math.degrees(math.atan2(2, 1)))


def test_gradient_at_a_flat_point_has_no_direction():
    n = draw_gradient_field(Figure(), "x**2 + y**2", (0.0, 0.0), field=False)
    assert n["|∇f|"] == 0.0 and n["direction (degrees)"] == "none"


@pytest.mark.parametrize(
    "f, point, kind",
    [
        ("x**2 + y**2", (0.0, 0.0), "minimum"),
        ("-x**2 - 3*y**2 + x*y", (0.0, 0.0), "maximum"),
        ("x*y", (0.0, 0.0), "saddle"),
        ("x**3 - 3*x + y**2", (-1.0, 0.0), "saddle"),
        ("x**3 - 3*x + y**2", (1.0, 0.0), "minimum"),
        ("x**4 + y**2", (0.0, 0.0), "inconclusive (a zero eigenvalue)"),
        ("x**2 + y**2", (1.0, 0.0), "not a critical point (∇f ≠ 0)"),
    ],
)
def test_critical_points_are_classified_by_the_hessian(f, point, kind):
    assert draw_critical_point(Figure(), f, point)["kind"] == kind


def test_hessian_entries_and_eigenvalues():
    n = draw_critical_point(Figure(), "x**2 + x*y + y**2", (0.0, 0.0))
    assert (n["f_xx"], n["f_xy"], n["f_yy"]) == (2.0, 1.0, 2.0)
    assert (n["λ₁"], n["λ₂"]) == pytest.approx((1.0, 3.0))


@pytest.mark.parametrize(
    "draw, args",
    [
        (draw_gradient_field, ("x**2 + 3*y**2", (1.0, 0.5))),
        (draw_critical_point, ("x**2 - y**2", (0.0, 0.0))),
    ],
)
def test_static_figures_render(draw, args):
    fig = static_plot(draw, *args, height=4.0)
    fig.canvas.draw()
    assert fig.subfigs[0].axes and fig.subfigs[1].texts[0].get_text()


@pytest.mark.parametrize(
    "draw, args, size",
    [
        (draw_gradient_field, ("x**2 + 3*y**2", (1.0, 0.5)), (5.0, 4.2)),
        (draw_gradient_field, ("x**3 - 3*x*y**2", (0.5, 0.5)), (5.0, 4.2)),
        (draw_critical_point, ("x**3 - 3*x + y**2", (-1.0, 0.0)), (8.0, 3.6)),
    ],
)
def test_colour_bar_label_clears_its_tick_labels(draw, args, size):
    fig = Figure(figsize=size, layout="constrained")  # as the widgets draw it, at 72 dpi
    draw(fig, *args)
    fig.set_dpi(72)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    bar = fig.axes[-1]
    labels = [t.get_window_extent(renderer) for t in (bar.title, bar.yaxis.label) if t.get_text()]
    ticks = [t.get_window_extent(renderer) for t in bar.get_yticklabels() if t.get_text()]
    assert "f(x, y)" in (bar.get_title(), bar.get_ylabel()) and 3 <= len(ticks) <= 7
    assert not any(label.overlaps(tick) for label in labels for tick in ticks)
    assert not any(a.overlaps(b) for i, a in enumerate(ticks) for b in ticks[i + 1 :])


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
