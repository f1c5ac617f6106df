"""Contours with gradients and critical points: the numbers beside the pictures."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pytest
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
