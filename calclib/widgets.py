"""Interactive pictures for lessons 01–03 (ipywidgets 8), at most three controls each.

Every widget redraws a ``draw_*`` function (from :mod:`calclib.plotting_1d` or
:mod:`calclib.plotting_errors`; the two-variable widgets are in :mod:`calclib.widgets_2d`) into a
PNG image with :func:`calclib.figure_image.picture_box`, which lists the numbers it computed beside
the picture. ``static_plot`` of the same ``draw_*`` function is its still counterpart, so a lesson
reads the same where widgets do not run. Nothing here needs a display or blocks headless
execution.

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import sympy as sp

from calclib.figure_image import picture_box
from calclib.plotting_1d import draw_secant, draw_tangent_line
from calclib.plotting_errors import draw_error_vs_h


def secant_widget(f: str | sp.Expr = "3*x**2 - 4*x", x0: float = 1.0) -> widgets.HBox:
    """Slide |h| towards 0 and watch the secant through x0 and x0 + h turn into the tangent.

    Controls: |h| (log scale, 10⁻⁴ to 2) and the side (h > 0 or h < 0). Still counterpart:
    ``static_plot(draw_secant, f, x0, h)``.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, a formula in x.
    x0 : float
        The point of tangency.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> secant_widget().children[1].children[-1].value.splitlines()[1]
    'secant slope = 5'

    Introduced in 01-limits.
    """
    size = widgets.FloatLogSlider(value=1.0, base=10, min=-4, max=0.3, step=0.05, description="|h|")
    side = widgets.ToggleButtons(options=[("h > 0", 1.0), ("h < 0", -1.0)], description="side")
    return picture_box(
        lambda fig, h, sign: draw_secant(fig, f, x0, sign * h), {"h": size, "sign": side}
    )


def tangent_widget(
    f: str | sp.Expr = "sin(x)", x0: float = 1.0, x_range: tuple[float, float] = (-3.0, 3.0)
) -> widgets.HBox:
    """Move x0 and ε: the tangent's value f(x0) + ε f′(x0) against the true f(x0 + ε).

    Controls: x0 and ε. Still counterpart: ``static_plot(draw_tangent_line, f, x0, eps)``.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, a formula in x.
    x0 : float
        The starting point of tangency.
    x_range : (float, float)
        The x-range drawn, which is also the range of the x0 slider.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> tangent_widget("x**2").children[1].children[-1].value.splitlines()[-1]
    'error / ε² = 1</pre>'

    Introduced in 02-derivatives.
    """
    point = widgets.FloatSlider(
        value=x0, min=x_range[0], max=x_range[1], step=0.05, description="x0"
    )
    eps = widgets.FloatSlider(value=0.5, min=-1.5, max=1.5, step=0.01, description="ε")
    return picture_box(
        lambda fig, x0, eps: draw_tangent_line(fig, f, x0, eps, x_range), {"x0": point, "eps": eps}
    )


def error_vs_h_widget(
    functions: Sequence[str] = ("exp(x)", "sin(x)", "x**3", "log(1 + x**2)"), x0: float = 1.0
) -> widgets.HBox:
    """Pick f, the precision and a step h: the errors of forward, central and complex step.

    Controls: f, dtype (float64 or float32) and h (log scale, 10⁻¹⁶ to 1). Still counterpart:
    ``static_plot(draw_error_vs_h, f, x0, dtype, h)``.

    Parameters
    ----------
    functions : sequence of str
        Smooth functions to choose from, formulas in x.
    x0 : float
        Where to differentiate.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> error_vs_h_widget().children[1].children[-1].value.splitlines()[0]
    '<pre>h = 0.001'

    Introduced in 02-derivatives.
    """
    controls = {
        "f": widgets.Dropdown(options=list(functions), description="f(x)"),
        "dtype": widgets.ToggleButtons(options=["float64", "float32"], description="dtype"),
        "h": widgets.FloatLogSlider(
            value=1e-3, base=10, min=-16, max=0, step=0.25, description="h", continuous_update=False
        ),
    }
    return picture_box(
        lambda fig, f, dtype, h: draw_error_vs_h(fig, f, x0, dtype, h), controls, height=4.2
    )
