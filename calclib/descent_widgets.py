"""Widgets for gradient descent: the learning-rate regimes and "be the optimizer".

Each widget redraws a ``draw_*`` function below with :func:`calclib.figure_image.picture_box`
(the picture, at most three controls, and the numbers beside it); the static counterparts are the
``plot_*`` functions of :mod:`calclib.descent_plots`.

Introduced in 05-gradient-descent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from calclib.descent_plots import (
    plot_contour_paths,
    plot_loss_curves,
    plot_parabola_steps,
    regime_name,
)
from calclib.figure_image import picture_box
from calclib.optimizers import gradient_descent

__all__ = ["draw_lr_regime", "draw_optimizer_run", "lr_regime_widget", "optimizer_widget"]


def draw_lr_regime(
    fig: Figure, lr: float, curvature: float = 2.0, x0: float = 4.0, n_steps: int = 12
) -> dict[str, Any]:
    """Gradient descent on ``f(x) = curvature/2 · x²``: steps on the parabola and ``|x_n|``.

    Returns the numbers shown beside the picture: the factor :math:`1 - \\eta L` that multiplies
    ``x`` at every step, the bound :math:`2/L` and the regime.

    Examples
    --------
    >>> numbers = draw_lr_regime(Figure(), 0.9)
    >>> numbers["factor 1 − ηL"], numbers["regime"]
    (-0.8, 'oscillates while converging')

    Introduced in 05-gradient-descent.
    """
    left, right = fig.subplots(1, 2)
    path = plot_parabola_steps(left, lr, curvature, x0, n_steps)
    right.semilogy(np.abs(path) + 1e-300, ".-")
    right.axhline(abs(x0), color="0.7", lw=0.8)
    right.set_xlabel("step")
    right.set_title("|x| per step", fontsize=9)
    return {
        "η": float(lr),
        "factor 1 − ηL": round(1.0 - lr * curvature, 12),
        "bound 2/L": 2.0 / curvature,
        f"|x| after {n_steps} steps": float(abs(path[-1])),
        "regime": regime_name(lr, curvature),
    }


def lr_regime_widget(curvature: float = 2.0, x0: float = 4.0, n_steps: int = 12) -> widgets.HBox:
    """Slide the learning rate across the bound :math:`2/L` on ``f(x) = curvature/2 · x²``.

    Static counterpart: :func:`calclib.descent_plots.plot_lr_regimes`.

    Examples
    --------
    >>> box = lr_regime_widget()
    >>> box.children[1].children[0].value = 1.05
    >>> "diverges" in box.children[1].children[-1].value
    True

    Introduced in 05-gradient-descent.
    """
    bound = 2.0 / curvature
    slider = widgets.FloatSlider(
        value=0.1 * bound,
        min=0.02 * bound,
        max=1.2 * bound,
        step=0.01 * bound,
        description="η",
        readout_format=".3f",
        continuous_update=False,
    )
    return picture_box(
        lambda fig, lr: draw_lr_regime(fig, lr, curvature, x0, n_steps),
        {"lr": slider},
        width=7.0,
        height=3.0,
    )


def draw_optimizer_run(
    fig: Figure,
    f: Callable[[np.ndarray], Any],
    grad: Callable[[np.ndarray], Any],
    lr: float,
    start: Sequence[float],
    n_steps: int = 30,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
) -> dict[str, Any]:
    """Run gradient descent from ``start``; draw its path on the contours of ``f`` and its loss.

    Examples
    --------
    >>> bowl = lambda p: p[0] ** 2 + p[1] ** 2
    >>> numbers = draw_optimizer_run(Figure(), bowl, lambda p: 2 * np.asarray(p), 0.25, (2.0, 1.0), 5)
    >>> numbers["final loss"] < 1e-2, numbers["verdict"]
    (True, 'converging')

    Introduced in 05-gradient-descent.
    """
    run = gradient_descent(grad, np.asarray(start, dtype=float), lr=lr, n_steps=n_steps, f=f)
    losses = np.asarray(run.losses, dtype=float)  # f is given, so there is a loss per point
    left, right = fig.subplots(1, 2)
    plot_contour_paths(f, run.points, xlim, ylim, ax=left)
    plot_loss_curves(losses, ax=right)
    final = float(losses[-1])
    growing = run.diverged or not final < float(losses[0])
    return {
        "η": float(lr),
        "start": f"({start[0]:.2f}, {start[1]:.2f})",
        "final point": f"({run.points[-1][0]:.3g}, {run.points[-1][1]:.3g})",
        "final loss": final,
        "verdict": "diverging" if growing else "converging",
    }


def optimizer_widget(
    f: Callable[[np.ndarray], Any],
    grad: Callable[[np.ndarray], Any],
    lr: float = 0.05,
    start: Sequence[float] = (-2.5, 1.5),
    n_steps: int = 30,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
) -> widgets.HBox:
    """ "Be the optimizer": choose the learning rate and the start, watch the path and the loss.

    Static counterpart: :func:`calclib.descent_plots.plot_descent_run`.

    Examples
    --------
    >>> box = optimizer_widget(lambda p: p[0] ** 2 + 5 * p[1] ** 2, lambda p: np.array([2 * p[0], 10 * p[1]]))
    >>> box.children[1].children[0].value = 0.3
    >>> "diverging" in box.children[1].children[-1].value
    True

    Introduced in 05-gradient-descent.
    """
    controls = {
        "lr": widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=0, step=0.05, description="η", continuous_update=False
        ),
        "x0": widgets.FloatSlider(
            value=start[0],
            min=xlim[0],
            max=xlim[1],
            step=0.1,
            description="start x",
            continuous_update=False,
        ),
        "y0": widgets.FloatSlider(
            value=start[1],
            min=ylim[0],
            max=ylim[1],
            step=0.1,
            description="start y",
            continuous_update=False,
        ),
    }

    def draw(fig: Figure, lr: float, x0: float, y0: float) -> dict[str, Any]:
        return draw_optimizer_run(fig, f, grad, lr, (x0, y0), n_steps, xlim, ylim)

    return picture_box(draw, controls, width=8.0, height=3.4)
