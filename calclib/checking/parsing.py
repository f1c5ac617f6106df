"""Read a student's formula (a string or a sympy expression) into a sympy expression.

Strings are parsed with ``sympy.parsing.sympy_parser`` and its standard transformations,
``^`` read as ``**`` (with a note) and, if asked, implicit multiplication (``3x``). Every
symbol is made real, so that e.g. ``sqrt(x**2)`` simplifies to ``Abs(x)``. A syntax error gets
a message with a caret under the place Python stopped reading.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from calclib.checking.failures import CheckFailure
from calclib.checking.values import is_missing, not_answered, short

XOR_NOTE = "^ was read as ** (in Python, x**2 is x squared; x^2 means something else)."
E_NOTE = "e was read as Euler's number; exp(x) is the clearest way to write e**x."


def is_formula(value: object) -> bool:
    """True for a string or a sympy object (checked without importing sympy).

    Examples
    --------
    >>> is_formula("3*x**2"), is_formula(lambda x: x)
    (True, False)

    Introduced in 02-derivatives.
    """
    return isinstance(value, str) or type(value).__module__.split(".")[0] == "sympy"


def is_constant(value: object) -> bool:
    """True for a plain number (not a bool), which also counts as a formula: a constant.

    Examples
    --------
    >>> is_constant(5), is_constant(np.float64(0.5)), is_constant(True)
    (True, True, False)

    Introduced in 02-derivatives.
    """
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _caret(text: str, exc: SyntaxError) -> str:
    """``text`` with a caret under the column where Python stopped reading."""
    column = max(1, min(exc.offset or 1, len(text) + 1))
    return f"{text}\n{' ' * (column - 1)}^"


def _syntax_failure(text: str, name: str, error: Exception) -> CheckFailure:
    """A failure pointing at the syntax error in ``text`` (located by Python's parser)."""
    try:
        compile(text, "<your formula>", "eval")
        located = None
    except SyntaxError as exc:
        located = exc
    headline = f"Python cannot read {name}"
    if located is not None:
        details = [("You gave", _caret(text, located)), ("Problem", str(located.msg))]
    else:
        details = [("You gave", text), ("Problem", str(error) or type(error).__name__)]
    if "np." in text or "math." in text:
        details.append(("What to do", "write sin(x), exp(x), … without np. or math."))
    elif any(ch.isdigit() and nxt.isalpha() for ch, nxt in itertools.pairwise(text)):
        details.append(("What to do", "write multiplication with *, e.g. 3*x, not 3x"))
    return CheckFailure(f"{headline}.", details)


def realify(expr: Any) -> Any:
    """``expr`` with every symbol replaced by a real symbol of the same name.

    Examples
    --------
    >>> import sympy
    >>> realify(sympy.sqrt(sympy.Symbol("x") ** 2))
    Abs(x)

    Introduced in 02-derivatives.
    """
    import sympy

    return expr.xreplace({s: sympy.Symbol(s.name, real=True) for s in expr.free_symbols})


def to_expr(
    value: object,
    name: str = "your formula",
    *,
    implicit_multiplication: bool = False,
    notes: list[str] | None = None,
) -> Any:
    """The sympy expression (with real symbols) of a string or sympy answer.

    Parameters
    ----------
    value : str or sympy expression
        The formula, e.g. ``"3*x^2"`` or ``sympy.sin(x)``.
    name : str
        How messages refer to it.
    implicit_multiplication : bool
        Also accept ``3x`` and ``2 sin(x)``.
    notes : list of str, optional
        Receives notes about how the string was read (``^`` as ``**``, ``e`` as Euler's number).

    Raises
    ------
    CheckFailure
        For a missing answer or a formula that cannot be read (with a caret under the spot).

    Examples
    --------
    >>> to_expr("3*x^2")
    3*x**2

    Introduced in 02-derivatives.
    """
    import sympy
    from sympy.parsing import sympy_parser as sp

    if is_missing(value) or value == "":
        raise not_answered(name, value)
    if isinstance(value, sympy.Basic):
        return realify(value)
    if is_constant(value):
        return sympy.sympify(float(value))  # type: ignore[arg-type]
    if not isinstance(value, str):
        raise CheckFailure(
            f"{name} should be a formula (a string like '3*x**2' or a sympy expression).",
            [("You gave", f"{short(value)} (of type {type(value).__name__})")],
        )
    transformations: tuple[Callable[..., Any], ...] = sp.standard_transformations + (
        sp.convert_xor,
    )
    if implicit_multiplication:
        transformations += (sp.implicit_multiplication_application,)
    local = {"ln": sympy.log, "e": sympy.E}
    try:
        expr = sp.parse_expr(value, local_dict=local, transformations=transformations)
    except Exception as exc:  # noqa: BLE001 - sympy raises many kinds for unreadable text
        raise _syntax_failure(value, name, exc) from None
    if not isinstance(expr, sympy.Expr):
        raise CheckFailure(
            f"{name} should be a formula with a value.", [("You gave", f"{value} (read as {expr})")]
        )
    if notes is not None:
        if "^" in value:
            notes.append(XOR_NOTE)
        if any(tok == "e" for tok in _names(value)):
            notes.append(E_NOTE)
    return realify(expr)


def _names(text: str) -> list[str]:
    """The identifiers in ``text``."""
    return re.findall(r"[A-Za-z_]\w*", text)


def written_size(value: object) -> int:
    """How many operations the formula has as written, before sympy tidies it up.

    ``"x^2 + x^2"`` has three (sympy would read it as ``2*x**2``, two).

    Examples
    --------
    >>> written_size("x^2 + x^2"), written_size("2*x**2")
    (3, 2)

    Introduced in 02-derivatives.
    """
    import sympy
    from sympy.parsing import sympy_parser as sp

    if not isinstance(value, str):
        return int(sympy.count_ops(value))
    transformations = sp.standard_transformations + (sp.convert_xor,)
    try:
        expr = sp.parse_expr(value, transformations=transformations, evaluate=False)
    except Exception:  # noqa: BLE001 - only a size estimate; the answer was read already
        return 0
    return int(sympy.count_ops(expr))
