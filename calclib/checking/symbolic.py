"""sympy helpers: equality proofs within a time limit, formulas as numpy functions.

Introduced in 02-derivatives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from calclib.checking.authoring import CheckSetupError, authored
from calclib.checking.parsing import is_formula, to_expr
from calclib.checking.timeout import OutOfTime, time_limit


@cache
def warm_up() -> None:
    """Run ``simplify`` once, untimed, so that the modules it imports lazily are imported whole.

    A time limit that strikes in the middle of an import would leave a half-imported module
    behind (and an open file); after this, the timed proofs import nothing.

    Introduced in 02-derivatives.
    """
    import sympy

    x = sympy.Symbol("x", real=True)
    sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 + sympy.exp(x) / x + sympy.sqrt(x**2))


def proven_equal(answer: Any, expected: Any, seconds: float) -> bool:
    """True if sympy proves ``answer == expected`` within ``seconds`` (False: not proven).

    Where no time limit can be set (outside the main thread) only ``expand`` is tried; an
    error inside sympy counts as "not proven", and the numeric comparison decides.

    Examples
    --------
    >>> proven_equal(to_expr("sin(x)**2 + cos(x)**2"), to_expr("1"), 2.0)
    True

    Introduced in 02-derivatives.
    """
    import sympy

    warm_up()
    try:
        with time_limit(seconds) as limited:
            difference = answer - expected
            if difference == 0:
                return True
            if not limited:
                return bool(sympy.expand(difference) == 0)
            return bool(sympy.simplify(difference) == 0)
    except OutOfTime:
        return False
    except Exception:  # noqa: BLE001 - a sympy failure is no proof; the numbers decide
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
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise CheckSetupError(
            "variables", f"give a list of names such as ['x', 'y'], got {names!r}"
        )
    variables = [sympy.Symbol(name, real=True) for name in names]
    missing = expr.free_symbols - set(variables)
    if missing:
        left_out = sorted(map(str, missing))
        raise CheckSetupError("variables", f"{list(names)} leaves out {left_out} of {expr}")
    return variables


def as_function(
    value: object, variables: Sequence[Any] | None = None, argument: str = "reference"
) -> Callable[..., Any]:
    """A numpy function of a formula (arguments: its symbols sorted by name), or ``value``.

    ``value`` is the test cell's own (``argument`` names it in a :class:`CheckSetupError`),
    or a student's formula already read by :func:`~calclib.checking.parsing.to_expr`.

    Examples
    --------
    >>> as_function("x**2 + y")(3.0, 1.0)
    10.0

    Introduced in 02-derivatives.
    """
    if not is_formula(value):
        if not callable(value):
            problem = f"expected a function or a formula, got {value!r}"
            raise CheckSetupError(argument, problem)
        return value
    import sympy

    with authored(argument, value):
        expr = to_expr(value, argument)
    return sympy.lambdify(list(variables or symbols_of(expr)), expr, modules="numpy")
