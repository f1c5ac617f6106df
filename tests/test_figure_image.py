"""Rendering a figure to PNG bytes for a widget's image (calclib.figure_image)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from calclib.figure_image import figure_png


def test_png_bytes_and_the_figure_is_closed() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    png = figure_png(fig)
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert not plt.fignum_exists(fig.number)


def test_not_a_figure_is_refused() -> None:
    with pytest.raises(TypeError, match="needs a matplotlib Figure, got list"):
        figure_png([1, 2])
