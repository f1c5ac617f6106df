"""The error-versus-h picture: the U shape, its bottom, and float32 against float64."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from calclib.plotting import static_plot
from calclib.plotting_errors import draw_error_vs_h


@pytest.mark.parametrize("f", ["exp(x)", "sin(x)", "x**3", "log(1 + x**2) + x"])
def test_measured_best_h_is_near_the_model(f):
    n = draw_error_vs_h(Figure(), f, 1.0)
    assert 0.1 < n["best h, central"] / n["model h*, central"] < 10
    if "model h*, forward" in n:
        assert 0.05 < n["best h, forward"] / n["model h*, forward"] < 20


def test_central_beats_forward_and_complex_step_is_exact_to_rounding():
    n = draw_error_vs_h(Figure(), "exp(x)", 1.0, h=1e-3)
    assert n["central error"] < 1e-3 * n["forward error"]
    small = draw_error_vs_h(Figure(), "exp(x)", 1.0, h=1e-10)
    assert small["complex step error"] < 1e-15
    assert small["forward error"] > 1e-8  # round-off has taken over


def test_float32_moves_the_best_step_up():
    n64 = draw_error_vs_h(Figure(), "exp(x)", 1.0, "float64")
    n32 = draw_error_vs_h(Figure(), "exp(x)", 1.0, "float32")
    assert n32["best h, central"] > 50 * n64["best h, central"]
    assert n32["model h*, forward"] == pytest.approx(np.sqrt(2 * np.finfo(np.float32).eps))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64', got 'float16'"):
        draw_error_vs_h(Figure(), "exp(x)", 1.0, "float16")
    with pytest.raises(ValueError, match="has a kink or jump"):
        draw_error_vs_h(Figure(), "abs(x)", 1.0)


def test_static_figure_renders_with_its_numbers():
    fig = static_plot(draw_error_vs_h, "sin(x)", 1.0, "float32", 1e-2, height=4.2)
    fig.canvas.draw()
    assert "central error" in fig.subfigs[1].texts[0].get_text()
