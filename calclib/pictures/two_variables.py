"""Pictures of functions of two variables (lesson 03): contours, gradient arrows, critical points.

The gradient ∇f = (∂f/∂x, ∂f/∂y) is drawn as an arrow at a point: it is perpendicular to the
level curve through that point and points uphill, the steepest way. At a critical point (∇f = 0)
the Hessian H = [[f_xx, f_xy], [f_xy, f_yy]] decides: both eigenvalues > 0 is a minimum, both < 0
a maximum, opposite signs a saddle, a zero eigenvalue leaves the test inconclusive.

The widgets (:func:`gradient_widget`, :func:`critical_point_widget`) redraw these pictures with
:func:`calclib.pictures.figure_image.picture_box`; ``static_plot`` of the same ``draw_*`` function
is their still counterpart.

Introduced in 03-partial-derivatives.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import sympy as sp
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from calclib.pictures.figure_image import picture_box
from calclib.pictures.plotting import Numbers, as_expression, numeric

XY = ("x", "y")


def _grid(xlim: tuple[float, float], ylim: tuple[float, float], n: int) -> tuple[np.ndarray, ...]:
    return tuple(np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n)))


def _contours(ax: Axes, f: sp.Expr, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Filled contours of f with white level lines, a colour bar, equal axes."""
    gx, gy = _grid(xlim, ylim, 120)
    z = numeric(f, XY)(gx, gy)
    filled = ax.contourf(gx, gy, z, levels=20, cmap="viridis", alpha=0.85)
    ax.contour(
        gx, gy, z, levels=filled.levels, colors="white", linewidths=0.4, negative_linestyles="solid"
    )
    colorbar = ax.figure.colorbar(filled, ax=ax, shrink=0.8)
    colorbar.locator = MaxNLocator(nbins=5)  # few ticks, so their labels stay short and apart
    colorbar.ax.set_title("f(x, y)", fontsize=9)  # above the bar, clear of the ticks
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def draw_gradient_field(
    fig: Figure,
    f: str | sp.Expr,
    point: tuple[float, float],
    xlim: tuple[float, float] = (-2.0, 2.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
    field: bool = True,
) -> Numbers:
    """Draw the contours of f, small gradient arrows on a grid, and ∇f at ``point``.

    The red arrow is the direction of ∇f(point) = (∂f/∂x, ∂f/∂y), drawn at a fixed length (its
    size is in the numbers); the dashed line, perpendicular to it, is the level curve's tangent.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw.
    f : str or sympy.Expr
        The function, a formula in x and y.
    point : (float, float)
        Where to draw the gradient.
    xlim, ylim : (float, float)
        The region shown.
    field : bool
        Whether to draw unit gradient arrows on a 13 × 13 grid as well.

    Returns
    -------
    dict
        f, both partial derivatives, |∇f| and the gradient's direction in degrees at ``point``.

    Examples
    --------
    >>> n = draw_gradient_field(Figure(), "x**2 + 3*y**2", (1.0, 1.0))
    >>> n["∂f/∂x"], n["∂f/∂y"], n["|∇f|"] == 40**0.5
    (2.0, 6.0, True)

    Introduced in 03-partial-derivatives.
    """
    expr = as_expression(f, XY)
    x, y = sp.symbols(XY)
    dfdx, dfdy = (numeric(sp.diff(expr, v), XY) for v in (x, y))
    px, py = point
    ax = fig.add_subplot()
    _contours(ax, expr, xlim, ylim)
    if field:
        gx, gy = _grid(xlim, ylim, 13)
        u, v = dfdx(gx, gy).astype(float), dfdy(gx, gy).astype(float)
        size = np.hypot(u, v)
        size[size == 0] = 1.0
        ax.quiver(gx, gy, u / size, v / size, color="white", alpha=0.6, width=0.003)
    g = np.array([float(dfdx(px, py)), float(dfdy(px, py))])
    norm = float(np.hypot(*g))
    reach = 0.2 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
    if norm > 0:
        ux, uy = g / norm * reach
        ax.annotate(
            "",
            (px + ux, py + uy),
            (px, py),
            arrowprops={"arrowstyle": "-|>", "color": "red", "lw": 2.5},
        )
        ax.plot([px - uy, px + uy], [py + ux, py - ux], "w--", lw=1.5)
    ax.plot([px], [py], "o", color="red")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return {
        "f(x, y)": float(numeric(expr, XY)(px, py)),
        "∂f/∂x": float(g[0]),
        "∂f/∂y": float(g[1]),
        "|∇f|": norm,
        "direction (degrees)": float(np.degrees(np.arctan2(g[1], g[0]))) if norm else "none",
    }


def _classify(gradient: np.ndarray, eigenvalues: np.ndarray) -> str:
    scale = max(1.0, float(np.max(np.abs(eigenvalues))))
    if np.max(np.abs(gradient)) > 1e-9 * scale:
        return "not a critical point (∇f ≠ 0)"
    if np.any(np.abs(eigenvalues) <= 1e-12 * scale):
        return "inconclusive (a zero eigenvalue)"
    if np.all(eigenvalues > 0):
        return "minimum"
    return "maximum" if np.all(eigenvalues < 0) else "saddle"


def draw_critical_point(
    fig: Figure,
    f: str | sp.Expr,
    point: tuple[float, float],
    radius: float = 1.5,
    azim: float = -60.0,
) -> Numbers:
    """Draw f around ``point`` as a surface (seen from angle ``azim``) and as contours.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw.
    f : str or sympy.Expr
        The function, a formula in x and y.
    point : (float, float)
        The point to examine, usually a critical point (∇f = 0).
    radius : float
        Half the width of the square shown around ``point``.
    azim : float
        The azimuth of the 3-D view, in degrees.

    Returns
    -------
    dict
        ∇f, the Hessian's entries and eigenvalues λ₁ ≤ λ₂ at ``point``, and ``kind``: minimum,
        maximum, saddle, inconclusive, or not a critical point.

    Examples
    --------
    >>> draw_critical_point(Figure(), "x**2 - y**2", (0.0, 0.0))["kind"]
    'saddle'

    Introduced in 03-partial-derivatives.
    """
    expr = as_expression(f, XY)
    xy = sp.symbols(XY)
    at = dict(zip(xy, point))
    gradient = np.array([float(sp.diff(expr, v).subs(at)) for v in xy])
    hessian = np.array(sp.hessian(expr, xy).subs(at), dtype=float)
    eigenvalues = np.linalg.eigvalsh(hessian)
    px, py = point
    xlim, ylim = (px - radius, px + radius), (py - radius, py + radius)
    ax3d = fig.add_subplot(1, 2, 1, projection="3d", computed_zorder=False)
    gx, gy = _grid(xlim, ylim, 40)
    ax3d.plot_surface(gx, gy, numeric(expr, XY)(gx, gy), cmap="viridis", alpha=0.85)
    ax3d.scatter([px], [py], [float(expr.subs(at))], color="red", s=40, depthshade=False)
    ax3d.view_init(elev=30, azim=azim)
    ax3d.set_xlabel("x")
    ax3d.set_ylabel("y")
    ax2d = fig.add_subplot(1, 2, 2)
    _contours(ax2d, expr, xlim, ylim)
    ax2d.plot([px], [py], "o", color="red")
    return {
        "∂f/∂x": float(gradient[0]),
        "∂f/∂y": float(gradient[1]),
        "f_xx": float(hessian[0, 0]),
        "f_xy": float(hessian[0, 1]),
        "f_yy": float(hessian[1, 1]),
        "λ₁": float(eigenvalues[0]),
        "λ₂": float(eigenvalues[1]),
        "kind": _classify(gradient, eigenvalues),
    }


CRITICAL_POINT_EXAMPLES = {
    "bowl  x² + y²": ("x**2 + y**2", (0.0, 0.0)),
    "cap  −x² − y²": ("-x**2 - y**2", (0.0, 0.0)),
    "saddle  x² − y²": ("x**2 - y**2", (0.0, 0.0)),
    "monkey saddle  x³ − 3xy²": ("x**3 - 3*x*y**2", (0.0, 0.0)),
}


def gradient_widget(
    f: str | sp.Expr = "x**2 + 3*y**2",
    point: tuple[float, float] = (1.0, 0.5),
    xlim: tuple[float, float] = (-2.0, 2.0),
    ylim: tuple[float, float] = (-2.0, 2.0),
) -> widgets.HBox:
    """Move the point over the contour map: ∇f stays perpendicular to the level curve.

    Controls: x, y and whether to draw arrows everywhere. Still counterpart:
    ``static_plot(draw_gradient_field, f, point, xlim, ylim)``.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, a formula in x and y.
    point : (float, float)
        Where the point starts.
    xlim, ylim : (float, float)
        The region shown (and the sliders' ranges).

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> gradient_widget().children[1].children[-1].value.splitlines()[1:3]
    ['∂f/∂x = 2', '∂f/∂y = 3']

    Introduced in 03-partial-derivatives.
    """
    controls = {
        "x": widgets.FloatSlider(
            value=point[0],
            min=xlim[0],
            max=xlim[1],
            step=0.05,
            description="x",
            continuous_update=False,
        ),
        "y": widgets.FloatSlider(
            value=point[1],
            min=ylim[0],
            max=ylim[1],
            step=0.05,
            description="y",
            continuous_update=False,
        ),
        "field": widgets.Checkbox(value=True, description="arrows everywhere"),
    }
    return picture_box(
        lambda fig, x, y, field: draw_gradient_field(fig, f, (x, y), xlim, ylim, field),
        controls,
        width=5.0,
        height=4.2,
    )


def critical_point_widget(
    examples: dict[str, tuple[str, tuple[float, float]]] | None = None,
) -> widgets.HBox:
    """Choose a critical point and turn the surface: ∇f = 0 there, the Hessian says which kind.

    Controls: the example and the viewing angle. Still counterpart:
    ``static_plot(draw_critical_point, f, point)``.

    Parameters
    ----------
    examples : dict, optional
        Label → (formula in x and y, critical point); by default a bowl, a cap, a saddle and a
        monkey saddle.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> critical_point_widget().children[1].children[-1].value.splitlines()[-1]
    'kind = minimum</pre>'

    Introduced in 03-partial-derivatives.
    """
    choices = examples or CRITICAL_POINT_EXAMPLES
    controls = {
        "example": widgets.Dropdown(options=list(choices), description="f"),
        "azim": widgets.FloatSlider(
            value=-60, min=-180, max=180, step=5, description="turn", continuous_update=False
        ),
    }
    return picture_box(
        lambda fig, example, azim: draw_critical_point(fig, *choices[example], azim=azim),
        controls,
        width=8.0,
        height=3.6,
    )
