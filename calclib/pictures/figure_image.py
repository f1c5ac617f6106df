"""Render a matplotlib figure to PNG bytes, and a picture widget built on that.

Every lesson's widgets redraw a static figure into an ``ipywidgets.Image`` whenever a control
moves: the same function draws the static plot and the widget's picture, and it works under any
matplotlib backend (Agg included), with or without a browser. It imports neither sympy nor torch,
so a lesson pays only for what it uses.

Introduced in 01-limits.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["figure_png", "format_number_lines", "picture_box"]
MAX_CONTROLS = 3


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """Return ``fig`` as PNG bytes and close it (so Jupyter does not show it a second time).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    dpi : int
        Resolution of the image.

    Returns
    -------
    bytes
        The PNG file's content.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> figure_png(fig)[:4]
    b'\\x89PNG'
    >>> plt.fignum_exists(fig.number)
    False

    Introduced in 01-limits.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"figure_png needs a matplotlib Figure, got {type(fig).__name__}.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def format_number_lines(numbers: Mapping[str, Any]) -> list[str]:
    """One ``name = value`` line per entry, floats to 6 significant digits.

    Examples
    --------
    >>> format_number_lines({"η": 0.1, "regime": "diverges"})
    ['η = 0.1', 'regime = diverges']

    Introduced in 01-limits.
    """
    return [f"{k} = {v:.6g}" if isinstance(v, float) else f"{k} = {v}" for k, v in numbers.items()]


def picture_box(
    draw: Callable[..., Mapping[str, Any]],
    controls: Mapping[str, Any],
    width: float = 6.0,
    height: float = 3.6,
) -> Any:
    """A picture ``draw(fig, **{name: control.value})`` and its numbers, redrawn on every change.

    Returns an ``ipywidgets.HBox``: the image on the left; the controls (at most three) and the
    numbers ``draw`` returned on the right. While nbgrader grades the notebook
    (``NBGRADER_EXECUTION`` set) the picture is drawn only once a control moves: nobody sees it.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> box = picture_box(lambda fig, h: {"h": h}, {"h": widgets.FloatSlider(value=0.5)})
    >>> box.children[1].children[0].value = 0.25
    >>> box.children[1].children[-1].value
    '<pre>h = 0.25</pre>'

    Introduced in 01-limits.
    """
    import ipywidgets as widgets

    if len(controls) > MAX_CONTROLS:
        raise ValueError(
            f"a lesson widget has at most {MAX_CONTROLS} controls, got {len(controls)} "
            f"({', '.join(controls)}); split it into two widgets"
        )
    image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width * 72:.0f}px"))
    numbers = widgets.HTML()

    def redraw(_change: object = None) -> None:
        fig = Figure(figsize=(width, height), layout="constrained")
        shown = draw(fig, **{name: control.value for name, control in controls.items()})
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=72)
        image.value = png.getvalue()
        numbers.value = f"<pre>{html.escape(chr(10).join(format_number_lines(shown)))}</pre>"

    for control in controls.values():
        control.observe(redraw, names="value")
    if not being_graded():  # under nbgrader nobody moves a slider
        redraw()
    return widgets.HBox([image, widgets.VBox([*controls.values(), numbers])])


def being_graded() -> bool:
    """Whether nbgrader is running this notebook (it sets ``NBGRADER_EXECUTION``): nobody looks.

    >>> being_graded() == bool(os.environ.get("NBGRADER_EXECUTION"))
    True
    """
    return bool(os.environ.get("NBGRADER_EXECUTION"))
