"""A matplotlib backend for grading kernels: figures are built, never rasterised.

While nbgrader runs a notebook (``NBGRADER_EXECUTION`` set) nobody looks at its pictures, yet
drawing and PNG-encoding them is a large share of a kernel's time. With
``MPLBACKEND=module://grading.sandbox_figures`` (set by :func:`grading.sandbox.kernel_environment`)
every figure is still created, drawn into by the lesson's code, and queried as usual (axes,
lines, texts, limits: whatever a test cell computes is unchanged; only the positions a layout
engine would give the axes at drawing time are not computed), but

- ``savefig`` and IPython's display write a fixed 1×1 placeholder PNG (or an empty file for other
  formats) instead of rendering, and without laying the figure out first (constrained layout
  measures every tick label: most of a widget's cost once rendering is gone);
- as an IPython extension (``--IPKernelApp.extensions``, which the grading kernels get) it gives
  figures built without pyplot (``Figure()``: the lesson widgets' pictures) the same canvas, so
  their ``savefig`` is a placeholder too (a lesson widget's picture: 0.5–1 s to 0.15–0.2 s);
- ``plt.show()`` and the end of each cell close all pyplot figures, as the inline backend does
  after showing them.

Example
-------
>>> import io
>>> from matplotlib.figure import Figure
>>> fig = Figure()
>>> canvas = FigureCanvasGrading(fig)
>>> ax = fig.subplots()
>>> _ = ax.plot([0, 1], [0, 2])
>>> buffer = io.BytesIO()
>>> fig.savefig(buffer, format="png", bbox_inches="tight")
>>> buffer.getvalue() == PLACEHOLDER_PNG, float(ax.get_ylim()[1]) > 2
(True, True)
"""

from __future__ import annotations

import base64
import os
from typing import Any

from matplotlib._pylab_helpers import Gcf
from matplotlib.backend_bases import FigureManagerBase, register_backend
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# The smallest valid PNG: one transparent pixel.
PLACEHOLDER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def _write(target: Any, data: bytes) -> None:
    if hasattr(target, "write"):
        target.write(data)
    else:
        with open(target, "wb") as out:
            out.write(data)


class FigureCanvasGrading(FigureCanvasAgg):
    """Agg's canvas, except that printing writes a placeholder instead of rendering."""

    def print_figure(self, filename: Any, *args: Any, **kwargs: Any) -> None:
        fmt = kwargs.get("format") or (
            os.path.splitext(os.fspath(filename))[1][1:] if isinstance(filename, str) else "png"
        )
        _write(filename, PLACEHOLDER_PNG if str(fmt).lower() == "png" else b"")

    def print_png(self, filename: Any, *args: Any, **kwargs: Any) -> None:
        """PNG output of a figure without a pyplot canvas (``Figure().savefig``)."""
        measuring = vars(self.figure).get("draw")
        if measuring is not None:  # matplotlib wants a renderer to measure a tight bounding box
            measuring(self.get_renderer())
        _write(filename, PLACEHOLDER_PNG)


FigureCanvas = FigureCanvasGrading
FigureManager = FigureManagerBase


def show(*args: Any, **kwargs: Any) -> None:
    """Close every open figure (the inline backend shows, then closes them)."""
    Gcf.destroy_all()


def _set_grading_canvas(figure: Figure) -> None:
    """``Figure._set_base_canvas`` for grading kernels: the grading canvas, not the base one."""
    FigureCanvasGrading(figure)  # sets figure.canvas as a side effect, as the base canvas does
    if figure._dpi != figure._original_dpi:  # what the base method also undoes (high-dpi scaling)
        figure.dpi = figure._original_dpi


def load_ipython_extension(shell: Any) -> None:
    """Grading kernels: close pyplot figures after each cell; no figure is laid out or rendered.

    Every figure, with or without pyplot, gets :class:`FigureCanvasGrading`: ``savefig`` writes
    the placeholder at once. (matplotlib's own canvas would first draw the figure to lay it out,
    even to write a placeholder.)

    Examples
    --------
    The kernel loads it with ``--IPKernelApp.extensions=['grading.sandbox_figures']``.
    """
    if show not in shell.events.callbacks["post_execute"]:
        shell.events.register("post_execute", show)
    register_backend("png", __name__)
    Figure._set_base_canvas = _set_grading_canvas
