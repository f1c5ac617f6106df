"""Lesson 07's pictures and widgets: the numbers they show are the numbers the rules compute."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from calclib.integrals import riemann_sum, trapezoid
from calclib.pictures.integrals import (
    SUM_RULES,
    draw_integration_error,
    draw_monte_carlo,
    draw_riemann_sum,
    exact_integral,
    integration_errors,
    monte_carlo_widget,
    riemann_widget,
)


@pytest.mark.parametrize("rule", SUM_RULES)
def test_the_riemann_picture_shows_the_sum_the_rule_computes(rule):
    numbers = draw_riemann_sum(Figure(), "sin(x)", 0.0, 2.0, 6, rule)
    if rule == "trapezoid":
        expected = trapezoid(np.sin, 0.0, 2.0, 6)
    else:
        expected = riemann_sum(np.sin, 0.0, 2.0, 6, rule)
    assert numbers["sum"] == pytest.approx(expected, rel=1e-14)
    assert numbers["exact area"] == pytest.approx(1 - math.cos(2.0), rel=1e-14)
    assert numbers["error"] == pytest.approx(expected - (1 - math.cos(2.0)), abs=1e-14)


def test_one_slice_per_rectangle_and_the_curve_on_top():
    fig = Figure()
    draw_riemann_sum(fig, "x**2", 0.0, 2.0, 8, "midpoint")
    ax = fig.axes[0]
    assert len(ax.patches) == 8
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "f(x)"


def test_exact_integral_is_sympys():
    assert exact_integral("exp(-x**2)", -1.0, 1.0) == pytest.approx(
        math.sqrt(math.pi) * math.erf(1)
    )
    assert exact_integral("x**3 - 2*x", 0.0, 2.0) == 0.0


def test_errors_fall_at_each_rules_order():
    errors = integration_errors("exp(x)", 0.0, 1.0, [16, 32])
    ratios = {name: err[0] / err[1] for name, err in errors.items()}
    assert ratios["left"] == pytest.approx(2, rel=0.05)
    assert ratios["midpoint"] == pytest.approx(4, rel=0.01)
    assert ratios["trapezoid"] == pytest.approx(4, rel=0.01)
    assert ratios["Simpson"] == pytest.approx(16, rel=0.01)


def test_error_picture_reports_orders_and_where_round_off_wins():
    numbers = draw_integration_error(Figure(), "cos(x)", 0.0, 1.0)
    assert numbers["order, midpoint"] == pytest.approx(2, abs=0.05)
    assert numbers["order, Simpson"] == pytest.approx(4, abs=0.05)
    assert numbers["best n, Simpson"] < numbers["best n, trapezoid"]


def test_monte_carlo_picture_numbers_agree_with_the_law():
    numbers = draw_monte_carlo(Figure(), 2000, seed=4)
    sigma = math.pi * math.sqrt(0.5 - 4 / math.pi**2)
    assert numbers["standard error"] == pytest.approx(sigma / math.sqrt(2000), rel=0.1)
    assert abs(numbers["error"]) < 4 * numbers["standard error"]
    with pytest.raises(ValueError, match="whole number >= 2"):
        draw_monte_carlo(Figure(), 1)


def test_widgets_redraw_when_a_control_moves():
    box = riemann_widget()
    n_slider = box.children[1].children[2]
    n_slider.value = 16
    assert box.children[1].children[-1].value.splitlines()[0] == "<pre>n = 16"
    mc = monte_carlo_widget()
    mc.children[1].children[0].value = 1000
    assert mc.children[1].children[-1].value.splitlines()[0] == "<pre>N = 1000"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x**2", 0.0, 1.0, 4, "centre"), "rule must be one of"),
        (("x**2", 1.0, 0.0, 4, "left"), "a < b"),
        (("y**2", 0.0, 1.0, 4, "left"), "only x may appear"),
    ],
)
def test_drawing_mistakes_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        draw_riemann_sum(Figure(), *args)
