"""Gradient-descent pictures and widgets render headless (Agg), follow their controls, show
what they promise and close their figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from calclib.optimizers import gradient_descent
from calclib.pictures.descent import (
    draw_lr_regime,
    draw_optimizer_run,
    lr_regime_widget,
    optimizer_widget,
    plot_contour_paths,
    plot_descent_run,
    plot_loss_curves,
    plot_lr_regimes,
    plot_parabola_steps,
    quadratic_descent_1d,
    regime_name,
)


def bowl(p):
    return p[0] ** 2 + 5 * p[1] ** 2


def bowl_grad(p):
    return np.array([2 * p[0], 10 * p[1]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_quadratic_iterates_are_powers_of_the_factor() -> None:
    path = quadratic_descent_1d(0.1, 2.0, 10.0, 20)
    assert path[20] == pytest.approx(10 * 0.8**20) and path[20] == pytest.approx(0.1153, abs=1e-4)


@pytest.mark.parametrize(
    ("lr", "regime"),
    [
        (0.1, "converges smoothly"),
        (0.9, "oscillates while converging"),
        (1.05, "diverges"),
        (0.5, "converges in one step"),
        (1.0, "oscillates forever"),
    ],
)
def test_regime_names_follow_the_bound(lr: float, regime: str) -> None:
    assert regime_name(lr, curvature=2.0) == regime


def test_contour_paths_draw_each_path_and_its_start() -> None:
    runs = {
        "GD": gradient_descent(bowl_grad, [-2.0, 1.0], lr=0.05, n_steps=10, f=bowl),
        "raw array": np.array([[1.0, 1.0], [0.5, 0.2]]),
    }
    ax = plot_contour_paths(bowl, runs).axes[0]
    assert len(ax.lines) == 4  # a path and a start marker per run
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD", "raw array"]
    np.testing.assert_allclose(ax.lines[0].get_xydata(), runs["GD"].points)


def test_a_diverging_path_is_cut_before_it_blows_up() -> None:
    run = gradient_descent(bowl_grad, [-2.0, 1.0], lr=0.3, n_steps=200, f=bowl)
    ax = plot_contour_paths(bowl, run).axes[0]
    assert np.all(np.abs(ax.lines[0].get_xydata()) < 1e6)
    ax = plot_loss_curves(run).axes[0]
    assert np.all(np.isfinite(ax.lines[0].get_ydata()))


def test_contours_of_a_function_that_is_not_vectorised() -> None:
    def scalar_only(p):
        return float(p[0]) ** 2 + float(p[1]) ** 2  # float() of an array raises

    assert plot_contour_paths(scalar_only, np.zeros((1, 2)), xlim=(-1, 1), ylim=(-1, 1)).axes


def test_loss_curves_use_a_log_axis_and_label_runs() -> None:
    ax = plot_loss_curves({"a": [1.0, 0.1, 0.01], "b": [1.0, 0.5]}).axes[0]
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert plot_loss_curves([3.0, 2.0], log=False).axes[0].get_yscale() == "linear"


def test_a_loss_of_exactly_zero_is_drawn_at_the_floor() -> None:
    ax = plot_loss_curves([1.0, 1e-12, 0.0], floor=1e-20).axes[0]
    assert ax.lines[0].get_ydata().tolist() == [1.0, 1e-12, 1e-20]
    assert ax.get_ylim()[0] > 1e-22  # the axis does not run down to 1e-300


def test_lr_regimes_has_a_panel_per_rate_and_a_summary() -> None:
    fig = plot_lr_regimes((0.1, 0.9, 1.05), curvature=2.0)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].endswith("converges smoothly") and titles[2].endswith("diverges")
    assert "2/L = 1" in titles[3]


def test_parabola_steps_return_the_iterates() -> None:
    path = plot_parabola_steps(plt.subplots()[1], 0.9, 2.0, 4.0, 3)
    np.testing.assert_allclose(path, [4.0, -3.2, 2.56, -2.048])


def test_descent_run_has_path_and_loss_panels() -> None:
    run = gradient_descent(bowl_grad, [-2.0, 1.0], lr=0.19, n_steps=30, f=bowl)
    fig = plot_descent_run(bowl, run, title="η = 0.19")
    assert len(fig.axes) == 2 and fig._suptitle.get_text() == "η = 0.19"


def test_contour_axes_carry_the_coordinates_names() -> None:
    # 05 drew the loss (a - b)² with its axes labelled x and y.
    path = np.array([[3.0, -1.0], [1.0, 1.0]])
    fig = plot_contour_paths(lambda p: (p[0] - p[1]) ** 2, path, labels=("a", "b"))
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("a", "b")
    plt.close(fig)


def parts(box):
    image, side = box.children
    return image, side.children[:-1], side.children[-1]


def test_lr_regime_widget_reports_the_regime_of_its_slider() -> None:
    open_before = plt.get_fignums()  # other tests in this process may have left figures open
    box = lr_regime_widget(curvature=2.0)
    image, (slider,), numbers = parts(box)
    assert image.value[:4] == b"\x89PNG" and "converges smoothly" in numbers.value
    first = image.value
    slider.value = 0.9
    assert "oscillates while converging" in numbers.value and image.value != first
    slider.value = 1.1
    assert "diverges" in numbers.value
    assert plt.get_fignums() == open_before  # the widget leaves no pyplot figure behind


def test_draw_lr_regime_numbers() -> None:
    numbers = draw_lr_regime(Figure(), 0.1, curvature=2.0, x0=10.0, n_steps=20)
    assert numbers["factor 1 − ηL"] == 0.8
    assert numbers["|x| after 20 steps"] == 10 * 0.8**20


def test_optimizer_widget_has_three_controls_and_flags_divergence() -> None:
    box = optimizer_widget(bowl, bowl_grad, lr=0.05, start=(-2.5, 1.5), n_steps=30)
    image, (lr, x0, _), numbers = parts(box)
    assert "converging" in numbers.value and "start = (-2.50, 1.50)" in numbers.value
    x0.value = 1.0
    assert "start = (1.00, 1.50)" in numbers.value
    lr.value = 0.3  # above the bound 2/10
    assert "diverging" in numbers.value
    assert image.value[:4] == b"\x89PNG"


def test_draw_optimizer_run_reaches_the_minimum() -> None:
    numbers = draw_optimizer_run(Figure(), bowl, bowl_grad, 0.09, (-2.0, 1.0), n_steps=60)
    assert numbers["final loss"] < 1e-6 and numbers["verdict"] == "converging"
