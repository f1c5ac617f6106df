"""sympy helpers: equality proofs within a time limit, formulas as numpy functions.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from calclib.checking.parsing import is_formula, to_expr


class _OutOfTime(BaseException):
    """Raised inside sympy when the time limit is over (BaseException: never swallowed)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[bool]:
    """Interrupt the block after ``seconds``; yields False where that is impossible.

    Uses ``SIGALRM``, so it works in the main thread on Unix (a Jupyter kernel runs cells
    there); elsewhere the caller skips the slow work.
    """
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield False
        return

    def _stop(signum: int, frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def proven_equal(answer: Any, expected: Any, seconds: float) -> bool:
    """True if sympy proves ``answer == expected`` within ``seconds`` (False: not proven)."""
    import sympy

    difference = answer - expected
    if difference == 0:
        return True
    try:
        with time_limit(seconds) as limited:
            if not limited:
                return bool(sympy.expand(difference) == 0)
            return bool(sympy.simplify(difference) == 0)
    except _OutOfTime:
        return False


def symbols_of(expr: Any, names: Sequence[str] | None = None) -> list[Any]:
    """The variables of ``expr``: real symbols called ``names``, or its symbols sorted by name.

    The order is the argument order of the formula as a function.

    Examples
    --------
    >>> symbols_of(to_expr("y*x")), symbols_of(to_expr("x**2"), ["x", "y"])
    ([x, y], [x, y])

    Introduced in 02-derivatives.
    """
    import sympy

    if names is None:
        return sorted(expr.free_symbols, key=lambda s: s.name)
    variables = [sympy.Symbol(name, real=True) for name in names]
    missing = expr.free_symbols - set(variables)
    if missing:
        raise ValueError(f"variables={list(names)} leaves out {sorted(map(str, missing))}")
    return variables


def as_function(value: object, variables: Sequence[Any] | None = None) -> Callable[..., Any]:
    """A numpy function of a formula (arguments: its symbols sorted by name), or ``value``.

    Examples
    --------
    >>> as_function("x**2 + y")(3.0, 1.0)
    10.0

    Introduced in 02-derivatives.
    """
    if not is_formula(value):
        if not callable(value):
            raise TypeError(f"expected a function or a formula, got {value!r}")
        return value
    import sympy

    expr = to_expr(value, "the reference formula")
    return sympy.lambdify(list(variables or symbols_of(expr)), expr, modules="numpy")
