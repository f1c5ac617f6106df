"""Gradient-descent widgets build headless, follow their controls and close their figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from calclib.descent_widgets import (
    draw_lr_regime,
    draw_optimizer_run,
    lr_regime_widget,
    optimizer_widget,
)


def bowl(p):
    return p[0] ** 2 + 5 * p[1] ** 2


def bowl_grad(p):
    return np.array([2 * p[0], 10 * p[1]])


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
