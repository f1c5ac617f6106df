"""Pictures of gradient descent (lesson 05): paths on a contour plot, loss curves, learning-rate
regimes, and the widgets "learning-rate regimes" and "be the optimizer".

Each ``plot_*`` function draws into a new figure (or the ``ax`` given) and returns the figure;
each widget redraws a ``draw_*`` function with :func:`calclib.pictures.figure_image.picture_box`
(the picture, at most three controls, and the numbers beside it), and the ``plot_*`` functions are
their still counterparts.

Introduced in 05-gradient-descent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from calclib.optimizers import gradient_descent
from calclib.pictures.figure_image import picture_box

__all__ = [
    "draw_lr_regime",
    "draw_optimizer_run",
    "lr_regime_widget",
    "optimizer_widget",
    "plot_contour_paths",
    "plot_descent_run",
    "plot_loss_curves",
    "plot_lr_regimes",
    "plot_parabola_steps",
    "quadratic_descent_1d",
    "regime_name",
]

Paths = Mapping[str, Any] | Any


def _as_named(paths: Paths, name: str) -> dict[str, np.ndarray]:
    """A single array, a trajectory (with ``.points``/``.losses``) or a mapping -> {name: array}."""
    if isinstance(paths, Mapping):
        return {str(key): np.asarray(getattr(v, name, v), dtype=float) for key, v in paths.items()}
    return {"": np.asarray(getattr(paths, name, paths), dtype=float)}


def _grid_values(f: Callable[[np.ndarray], Any], xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """f on a grid: vectorised as ``f(np.array([X, Y]))`` when it can, point by point otherwise."""
    grid_x, grid_y = np.meshgrid(xs, ys)
    try:
        values = np.asarray(f(np.array([grid_x, grid_y])), dtype=float)
        if values.shape == grid_x.shape:
            return values
    except (TypeError, ValueError, IndexError):
        pass
    points = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)
    return np.array([float(f(p)) for p in points]).reshape(grid_x.shape)


def _finite_prefix(path: np.ndarray, bound: float = 1e6) -> np.ndarray:
    """The part of a path before it leaves every sensible scale (a diverging run)."""
    ok = np.all(np.isfinite(path), axis=tuple(range(1, path.ndim))) & (
        np.abs(path).reshape(len(path), -1).max(axis=1) < bound
    )
    stop = len(path) if ok.all() else int(np.argmin(ok))
    return path[:stop]


def _axes(ax: Axes | None, size: tuple[float, float] = (5.0, 4.0)) -> Axes:
    return plt.subplots(figsize=size)[1] if ax is None else ax


def plot_contour_paths(
    f: Callable[[np.ndarray], Any],
    paths: Paths,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    ax: Axes | None = None,
    levels: int = 25,
    log_levels: bool = False,
    labels: tuple[str, str] = ("x", "y"),
) -> Figure:
    """Contour lines of ``f(p)``, ``p = (x, y)``, with optimisation paths drawn on top.

    Parameters
    ----------
    f : callable
        Loss of a point ``p`` (a length-2 array); vectorised over ``p = [X, Y]`` if possible.
    paths : array (n, 2), trajectory with ``.points``, or mapping name -> either
        The visited points, start first.
    xlim, ylim : (float, float)
        Window shown.
    ax : Axes, optional
        Where to draw.
    levels : int
        Number of contour levels.
    log_levels : bool
        Space the levels logarithmically (for valleys such as Rosenbrock's).
    labels : (str, str)
        Names of the two coordinates, for the axes (``("a", "b")`` for a loss ``f(a, b)``).

    Examples
    --------
    >>> path = np.array([[2.0, 1.0], [1.0, 0.5], [0.5, 0.25]])
    >>> fig = plot_contour_paths(lambda p: p[0] ** 2 + p[1] ** 2, {"GD": path})
    >>> len(fig.axes[0].lines)
    2

    Introduced in 05-gradient-descent.
    """
    ax = _axes(ax)
    xs, ys = np.linspace(*xlim, 100), np.linspace(*ylim, 100)
    values = _grid_values(f, xs, ys)
    if log_levels:
        low = max(values.min(), 1e-3 * (values.max() - values.min()) / levels, 1e-12)
        ax.contour(xs, ys, values, levels=np.geomspace(low, values.max(), levels), cmap="viridis")
    else:
        ax.contour(xs, ys, values, levels=levels, cmap="viridis")
    for name, path in _as_named(paths, "points").items():
        shown = _finite_prefix(path)
        line = ax.plot(shown[:, 0], shown[:, 1], ".-", lw=1.2, ms=4, label=name or None)[0]
        ax.plot(shown[:1, 0], shown[:1, 1], "o", color=line.get_color(), ms=7)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if isinstance(paths, Mapping):
        ax.legend(loc="upper right", fontsize=8)
    return ax.figure  # type: ignore[return-value]


def plot_loss_curves(
    losses: Paths, ax: Axes | None = None, log: bool = True, floor: float = 1e-30
) -> Figure:
    """Loss against step for one run or several (a mapping name -> losses or trajectory).

    Non-finite losses (a diverging run) are cut off; ``log`` uses a logarithmic loss axis, on
    which losses below ``floor`` (an exact 0 included, which a log axis cannot show) are drawn
    at ``floor``.

    Examples
    --------
    >>> fig = plot_loss_curves({"lr 0.1": 0.8 ** (2 * np.arange(20))})
    >>> fig.axes[0].get_yscale()
    'log'

    Introduced in 05-gradient-descent.
    """
    ax = _axes(ax)
    for name, curve in _as_named(losses, "losses").items():
        shown = _finite_prefix(curve.reshape(len(curve), -1), bound=1e300)[:, 0]
        if log:
            shown = np.maximum(shown, floor)
        ax.plot(np.arange(len(shown)), shown, ".-", ms=3, label=name or None)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    if isinstance(losses, Mapping):
        ax.legend(fontsize=8)
    return ax.figure  # type: ignore[return-value]


def quadratic_descent_1d(lr: float, curvature: float, x0: float, n_steps: int) -> np.ndarray:
    """Iterates of gradient descent on ``f(x) = curvature/2 · x²``: ``x ← x − lr·curvature·x``.

    So :math:`x_n = (1 - \\eta L)^n x_0`: it shrinks when :math:`|1 - \\eta L| < 1`, that is
    :math:`0 < \\eta < 2/L`.

    Examples
    --------
    >>> quadratic_descent_1d(0.1, 2.0, 10.0, 3)
    array([10.  ,  8.  ,  6.4 ,  5.12])

    Introduced in 05-gradient-descent.
    """
    return x0 * (1.0 - lr * curvature) ** np.arange(n_steps + 1)


def regime_name(lr: float, curvature: float) -> str:
    """Name what gradient descent with step ``lr`` does on a quadratic of curvature ``L``.

    Examples
    --------
    >>> [regime_name(lr, 2.0) for lr in (0.1, 0.5, 0.8, 1.0, 1.2)]
    ['converges smoothly', 'converges in one step', 'oscillates while converging', 'oscillates forever', 'diverges']

    Introduced in 05-gradient-descent.
    """
    factor = 1.0 - lr * curvature
    if np.isclose(factor, 0.0):
        return "converges in one step"
    if np.isclose(abs(factor), 1.0):
        return "oscillates forever" if factor < 0 else "does not move"
    if abs(factor) > 1.0:
        return "diverges"
    return "converges smoothly" if factor > 0 else "oscillates while converging"


def plot_parabola_steps(
    ax: Axes, lr: float, curvature: float = 2.0, x0: float = 4.0, n_steps: int = 12
) -> np.ndarray:
    """Draw the iterates of :func:`quadratic_descent_1d` on the parabola; return them.

    Examples
    --------
    >>> path = plot_parabola_steps(plt.subplots()[1], 0.9, 2.0, 4.0, 3)
    >>> path.round(3).tolist()
    [4.0, -3.2, 2.56, -2.048]

    Introduced in 05-gradient-descent.
    """
    path = quadratic_descent_1d(lr, curvature, x0, n_steps)
    reach = max(1.2 * abs(x0), min(np.abs(path).max(), 4 * abs(x0)))
    xs = np.linspace(-reach, reach, 200)
    ax.plot(xs, curvature / 2 * xs**2, color="0.6")
    shown = path[np.abs(path) <= reach]
    ax.plot(shown, curvature / 2 * shown**2, "o-", ms=3, lw=1)
    ax.set_title(f"η = {lr:g}: {regime_name(lr, curvature)}", fontsize=9)
    ax.set_xlabel("x")
    return path


def plot_lr_regimes(
    lrs: tuple[float, ...] = (0.1, 0.9, 1.05),
    curvature: float = 2.0,
    x0: float = 4.0,
    n_steps: int = 12,
) -> Figure:
    """Gradient descent on ``f(x) = curvature/2 · x²`` for several learning rates, side by side.

    One panel per learning rate shows the steps on the parabola; the last panel shows
    :math:`|x_n|` on a log axis, with the bound :math:`\\eta < 2/L` in its title.

    Examples
    --------
    >>> fig = plot_lr_regimes((0.1, 0.9, 1.05))
    >>> len(fig.axes)
    4

    Introduced in 05-gradient-descent.
    """
    fig, axes = plt.subplots(1, len(lrs) + 1, figsize=(3.2 * (len(lrs) + 1), 3.0))
    for ax, lr in zip(axes, lrs):
        path = plot_parabola_steps(ax, lr, curvature, x0, n_steps)
        axes[-1].semilogy(np.abs(path) + 1e-300, ".-", label=f"η = {lr:g}")
    axes[-1].set_title(f"|x| per step (bound 2/L = {2 / curvature:g})", fontsize=9)
    axes[-1].set_xlabel("step")
    axes[-1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_descent_run(
    f: Callable[[np.ndarray], Any],
    run: Any,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    title: str | None = None,
) -> Figure:
    """One run (a trajectory with ``.points`` and ``.losses``): its path on the contours and its loss.

    The static counterpart of :func:`optimizer_widget`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> points = np.array([[2.0, 1.0], [1.0, 0.5]])
    >>> run = SimpleNamespace(points=points, losses=(points**2).sum(axis=1))
    >>> len(plot_descent_run(lambda p: p[0] ** 2 + p[1] ** 2, run).axes)
    2

    Introduced in 05-gradient-descent.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.8))
    plot_contour_paths(f, run.points, xlim, ylim, ax=left)
    plot_loss_curves(run.losses, ax=right)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


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

    Static counterpart: :func:`plot_lr_regimes`.

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

    Static counterpart: :func:`plot_descent_run`.

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
