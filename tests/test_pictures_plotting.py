"""Shared picture machinery: reading formulas, dtype-keeping evaluation, static figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy as sp

from calclib.pictures.plotting import as_expression, numeric, static_plot


def test_as_expression_reads_strings_and_keeps_sympy_expressions():
    x = sp.Symbol("x")
    assert as_expression("3*x**2 - 4*x") == 3 * x**2 - 4 * x
    assert as_expression(sp.exp(x)) == sp.exp(x)
    assert as_expression("x*y", ("x", "y")).free_symbols == set(sp.symbols("x y"))


def test_as_expression_names_a_stray_symbol():
    with pytest.raises(ValueError, match="uses t; only x may appear"):
        as_expression("t**2")


def test_as_expression_rejects_a_python_function_with_advice():
    with pytest.raises(TypeError, match="got function; write the function as a formula in x"):
        as_expression(lambda x: x**2)  # type: ignore[arg-type]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_numeric_keeps_the_dtype(dtype):
    g = numeric(as_expression("exp(x) + x**3"))
    assert g(np.ones(3, dtype)).dtype == dtype


def test_numeric_broadcasts_a_constant_to_the_input_shape():
    out = numeric(sp.Integer(7), ("x", "y"))(np.zeros((2, 3)), np.zeros((2, 3)))
    assert out.shape == (2, 3) and np.all(out == 7)


def test_static_plot_under_nbgrader_draws_nothing(monkeypatch):
    calls = []
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    fig = static_plot(lambda f, a: calls.append(a) or {"a": a}, 2.0, width=4.0)
    assert calls == [] and fig.axes == [] and tuple(fig.get_size_inches()) == (6.6, 3.6)
    monkeypatch.delenv("NBGRADER_EXECUTION")
    static_plot(lambda f, a: calls.append(a) or {"a": a}, 2.0)
    assert calls == [2.0]


def test_static_plot_prints_the_numbers_and_leaves_no_open_figure():
    before = plt.get_fignums()
    fig = static_plot(lambda f, a: f.add_subplot().plot([0, a]) and {"a": a, "b": "yes"}, 2.0)
    assert plt.get_fignums() == before
    assert fig.subfigs[1].texts[0].get_text() == "a = 2\nb = yes"
    assert len(fig.subfigs[0].axes) == 1
