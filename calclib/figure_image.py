"""Render a matplotlib figure to PNG bytes, for the image inside a widget.

Widgets in lessons 04–06 redraw a static figure into an ``ipywidgets.Image`` whenever a control
moves: the same function draws the static plot and the widget's picture, and it works under any
matplotlib backend (Agg included), with or without a browser.

Introduced in 04-chain-rule.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["figure_png"]


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

    Introduced in 04-chain-rule.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"figure_png needs a matplotlib Figure, got {type(fig).__name__}.")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
