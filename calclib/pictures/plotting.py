"""What every picture of lessons 01–03 and 07 shares: formulas in, still figures with numbers out.

Each picture comes as a pair. A ``draw_*(fig, ...)`` function (in
:mod:`calclib.pictures.one_variable`, :mod:`calclib.pictures.two_variables`,
:mod:`calclib.pictures.integrals`) draws into a matplotlib ``Figure`` and returns the numbers it
shows; :func:`static_plot` turns it into a still figure with those numbers printed beside the axes
(for GitHub and nbgrader feedback, where widgets do not run), and the ``*_widget`` beside it
redraws it as controls move (with :func:`calclib.pictures.figure_image.picture_box`, which lists
the same number lines beside the picture). Functions are given as sympy expressions (a string
such as ``"3*x**2 - 4*x"`` works), so exact derivatives are at hand for reference lines.

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from calclib.pictures.figure_image import being_graded, format_number_lines

Numbers = dict[str, float | str]
NumericFunction = Callable[..., np.ndarray]


def as_expression(f: str | sp.Expr, variables: Sequence[str] = ("x",)) -> sp.Expr:
    """Read a formula such as ``"3*x**2 - 4*x"`` as a sympy expression in ``variables``.

    Parameters
    ----------
    f : str or sympy.Expr
        The formula, in Python syntax (``**`` for powers, ``exp``, ``log``, ``sin`` ...).
    variables : sequence of str
        The names that may appear in it.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    TypeError
        If ``f`` is not a string or a sympy expression (a Python function, say).
    ValueError
        If the formula uses a name that is not in ``variables``.

    Examples
    --------
    >>> as_expression("3*x**2 - 4*x")
    3*x**2 - 4*x

    Introduced in 01-limits.
    """
    if not isinstance(f, (str, sp.Expr)):
        raise TypeError(
            f"expected a formula such as 'x**2' (a string or sympy expression), got "
            f"{type(f).__name__}; write the function as a formula in {', '.join(variables)}"
        )
    expr = sp.sympify(f, locals={name: sp.Symbol(name) for name in variables})
    extra = sorted(str(s) for s in expr.free_symbols if str(s) not in variables)
    if extra:
        raise ValueError(
            f"the formula {expr} uses {', '.join(extra)}; only {', '.join(variables)} may appear"
        )
    return expr


def numeric(expr: sp.Expr, variables: Sequence[str] = ("x",)) -> NumericFunction:
    """Turn ``expr`` into a vectorised numpy function that keeps the input's dtype.

    float32 in gives float32 out and complex in gives complex out, which the error plots of
    numeric differentiation rely on. A constant is broadcast to the shape of the input.

    Parameters
    ----------
    expr : sympy.Expr
        The formula.
    variables : sequence of str
        Names of the arguments, in order.

    Returns
    -------
    callable
        ``g(*arrays) -> numpy.ndarray``.

    Examples
    --------
    >>> g = numeric(as_expression("x**2"))
    >>> g(np.float32(3.0)).dtype, numeric(sp.Integer(5))(np.zeros(2))
    (dtype('float32'), array([5., 5.]))

    Introduced in 01-limits.
    """
    symbols = [sp.Symbol(name) for name in variables]
    g = sp.lambdify(symbols, expr, modules="numpy")

    def evaluate(*args: np.ndarray) -> np.ndarray:
        out = np.asarray(g(*args))
        shape = np.broadcast(*args).shape
        if out.shape != shape:
            out = np.broadcast_to(out, shape).astype(np.result_type(*args, out))
        return out

    return evaluate


def static_plot(
    draw: Callable[..., Numbers],
    *args: object,
    width: float = 6.0,
    height: float = 3.6,
    **kwargs: object,
) -> Figure:
    """Draw ``draw(fig, *args, **kwargs)`` as a still figure, its numbers printed on the right.

    This is the static counterpart of every widget of lessons 01–03. The figure is closed in
    pyplot, so a notebook shows it exactly once: as the value of the cell. While nbgrader grades
    (``NBGRADER_EXECUTION`` set) the figure stays empty and ``draw`` is not called: nobody sees it.

    Parameters
    ----------
    draw : callable
        A ``draw_*`` function: ``draw(fig, ...) -> dict`` of the numbers it shows.
    *args, **kwargs
        Passed on to ``draw``.
    width, height : float
        Size of the drawing in inches (the numbers take 2.6 inches more).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from calclib.pictures.one_variable import draw_secant
    >>> fig = static_plot(draw_secant, "x**2", 1.0, 0.5)
    >>> fig.subfigs[1].texts[0].get_text().splitlines()[1]
    'secant slope = 2.5'

    Introduced in 01-limits.
    """
    if being_graded():  # nobody looks at it, and draw costs time
        return Figure(figsize=(width + 2.6, height))
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width + 2.6, height), layout="constrained")
    plot_area, number_area = fig.subfigures(1, 2, width_ratios=[width, 2.6], squeeze=False)[0]
    numbers = draw(plot_area, *args, **kwargs)
    number_area.text(
        0.0,
        0.5,
        "\n".join(format_number_lines(numbers)),
        ha="left",
        va="center",
        family="monospace",
        fontsize=8,
    )
    plt.close(fig)
    return fig
