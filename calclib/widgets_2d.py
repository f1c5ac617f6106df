"""Interactive pictures of functions of two variables (lesson 03), at most three controls each.

Built like the widgets of :mod:`calclib.widgets`, with :func:`calclib.figure_image.picture_box`:
the picture is a ``draw_*`` function of :mod:`calclib.plotting_2d`, whose ``static_plot`` is the
still counterpart.

Introduced in 03-partial-derivatives.
"""

from __future__ import annotations

import ipywidgets as widgets
import sympy as sp

from calclib.figure_image import picture_box
from calclib.plotting_2d import draw_critical_point, draw_gradient_field

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
