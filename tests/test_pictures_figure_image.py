"""Rendering a figure to PNG bytes for a widget's image (calclib.pictures.figure_image)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from calclib.pictures.figure_image import figure_png, picture_box


def test_png_bytes_and_the_figure_is_closed() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    png = figure_png(fig)
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert not plt.fignum_exists(fig.number)


def test_not_a_figure_is_refused() -> None:
    with pytest.raises(TypeError, match="needs a matplotlib Figure, got list"):
        figure_png([1, 2])


def test_picture_box_redraws_on_change_and_limits_controls() -> None:
    import ipywidgets as widgets

    calls = []

    def draw(fig, h):
        calls.append(h)
        fig.add_subplot().plot([0, h])
        return {"h": h}

    box = picture_box(draw, {"h": widgets.FloatSlider(value=0.5)})
    box.children[1].children[0].value = 0.25
    assert calls == [0.5, 0.25] and box.children[1].children[-1].value == "<pre>h = 0.25</pre>"
    assert box.children[0].value[:4] == b"\x89PNG"
    four = {name: widgets.FloatSlider() for name in "abcd"}
    with pytest.raises(ValueError, match="at most 3 controls, got 4"):
        picture_box(draw, four)


def test_picture_box_under_nbgrader_draws_only_when_a_control_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ipywidgets as widgets

    calls = []

    def draw(fig, h):
        calls.append(h)
        return {"h": h}

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    slider = widgets.FloatSlider(value=0.5)
    box = picture_box(draw, {"h": slider})
    assert calls == [] and box.children[0].value == b""
    slider.value = 0.75
    assert calls == [0.75] and box.children[0].value[:4] == b"\x89PNG"
