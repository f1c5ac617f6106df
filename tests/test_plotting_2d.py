"""Contours with gradients and critical points: the numbers beside the pictures."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from calclib.plotting import static_plot
from calclib.plotting_2d import draw_critical_point, draw_gradient_field


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
