"""Read a student's formula (a string or a sympy expression) into a sympy expression.

Strings are read by :mod:`calclib.checking.safe_parsing` (never run as code), ``^`` read as
``**`` (with a note) and, if asked, implicit multiplication (``3x``). Every symbol is made
real, so that e.g. ``sqrt(x**2)`` simplifies to ``Abs(x)``. A syntax error gets a message with
a caret under the place Python stopped reading.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import io
import tokenize
from typing import Any

import numpy as np

from calclib.checking.failures import CheckFailure
from calclib.checking.safe_parsing import parse_formula
from calclib.checking.values import is_missing, is_real_number, not_answered, short

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

    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        raise not_answered(name, value)
    if is_real_number(value):
        if isinstance(value, (int, np.integer)):
            return sympy.Integer(int(value))  # any size: math.factorial(25), -10**400
        return sympy.Float(float(value))  # type: ignore[arg-type]
    if isinstance(value, str):
        expr = parse_formula(value, name, implicit_multiplication=implicit_multiplication)
    elif isinstance(value, sympy.Basic):
        expr = value
    else:
        raise CheckFailure(
            f"{name} should be a formula (a string like '3*x**2' or a sympy expression).",
            [("You gave", f"{short(value)} (of type {type(value).__name__})")],
        )
    if not isinstance(expr, sympy.Expr):
        raise CheckFailure(
            f"{name} should be a formula with a value.", [("You gave", f"{value} (read as {expr})")]
        )
    if expr.has(sympy.zoo, sympy.nan):
        shown = value.strip() if isinstance(value, str) else str(value)
        raise CheckFailure(
            f"{name} has no value: it divides by zero.",
            [
                ("You gave", shown),
                ("Problem", "a division by 0 somewhere (such as x/0 or 1/(x - x)) is undefined"),
            ],
        )
    if notes is not None and isinstance(value, str):
        if "^" in value:
            notes.append(XOR_NOTE)
        if any(tok == "e" for tok in _names(value)):
            notes.append(E_NOTE)
    return realify(expr)


def _names(text: str) -> list[str]:
    """The names in ``text`` as Python reads them (the e of 1e-12 is part of a number)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [token.string for token in tokens if token.type == tokenize.NAME]


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

    if not isinstance(value, str):
        return int(sympy.count_ops(value))
    try:
        expr = parse_formula(value, "the formula", evaluate=False)
    except CheckFailure:  # only a size estimate; the answer was read already
        return 0
    return int(sympy.count_ops(expr))
