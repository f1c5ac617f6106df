"""Check a derivative: a function against ``calclib.derivative`` or an exact one, a formula
against ``sympy.diff``; name the chain-rule and wrong-variable mistakes.

Introduced in 02-derivatives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calclib.checking.challenge import count_check
from calclib.checking.expressions import compare_expressions
from calclib.checking.failures import CheckFailure, CheckSetupError, authored, judging, short
from calclib.checking.formulas import as_function, is_formula, symbols_of, to_expr
from calclib.checking.functions import (
    Domain,
    Function,
    Sampling,
    argument_names,
    check_arity,
    compare_functions,
    intervals,
)
from calclib.checking.misconceptions import (
    FUNCTION_NOT_DERIVATIVE,
    INNER_DERIVATIVE,
    WRONG_VARIABLE,
)
from calclib.checking.values import is_real_number


def inner_derivative_mistakes(f: Any, x: Any, limit: int = 8) -> dict[str, Any]:
    """For each inner function ``u`` of ``f``, the derivative with ``u'`` left out (chain rule).

    The inner functions are the arguments of functions (``sin(u)``, ``exp(u)``) and of powers
    (``u**n``), not terms of sums. With ``f = g(u(x))`` written as ``G(x, u)``, the answer
    without the inner derivative is ``∂G/∂x + ∂G/∂u`` (the factor ``u'(x)`` dropped), for at
    most ``limit`` inner functions.

    Examples
    --------
    >>> from calclib.checking.formulas import to_expr
    >>> list(inner_derivative_mistakes(to_expr("sin(x**2)"), to_expr("x")).values())
    [cos(x**2)]

    Introduced in 04-chain-rule.
    """
    import sympy

    u = sympy.Dummy("u")
    wrong: dict[str, Any] = {}
    inner = [
        arg
        for node in sympy.preorder_traversal(f)
        if isinstance(node, (sympy.Function, sympy.Pow))  # compositions, not sums or products
        for arg in node.args
    ]
    for node in dict.fromkeys(inner):
        if node.is_Atom or x not in node.free_symbols or len(wrong) >= limit:
            continue
        outer = f.subs(node, u)
        without_inner = (sympy.diff(outer, x) + sympy.diff(outer, u)).subs(u, node)
        wrong.setdefault(INNER_DERIVATIVE.format(inner=node), without_inner)
    return wrong


def derivative_expected(
    f: object, exact: object, wrt: int
) -> tuple[Any, dict[str, Any], list[Any]]:
    """The derivative of formula ``f`` in variable number ``wrt``, wrong formulas, variables.

    The wrong formulas are ``f`` itself, its partial derivatives in the other variables and,
    for each inner function, the derivative without that inner derivative (chain rule).

    Examples
    --------
    >>> expected, wrong, variables = derivative_expected("sin(x**2)", None, 0)
    >>> expected, variables, len(wrong)
    (2*x*cos(x**2), [x], 2)

    Introduced in 02-derivatives.
    """
    import sympy

    with authored("f", f):
        f_expr = to_expr(f, "the function")
    variables = symbols_of(f_expr)
    if not isinstance(wrt, int) or not 0 <= wrt < len(variables):
        raise CheckSetupError("wrt", f"is {wrt!r} but {f_expr} has the variables {variables}")
    x = variables[wrt]
    if exact is None:
        expected = sympy.diff(f_expr, x)
    else:
        with authored("exact", exact):
            expected = to_expr(exact, "the exact derivative")
    wrong: dict[str, Any] = {FUNCTION_NOT_DERIVATIVE: f_expr}
    for other in variables:
        if other != x:
            label = WRONG_VARIABLE.format(other=other.name, wanted=x.name)
            wrong[label] = sympy.diff(f_expr, other)
    wrong.update(inner_derivative_mistakes(f_expr, x))
    return expected, wrong, variables


def numeric_partial(f: Function, wrt: int) -> Function:
    """The partial derivative of ``f(*args)`` in argument ``wrt``, from ``calclib.partial``.

    Examples
    --------
    >>> round(numeric_partial(lambda x, y: x**2 * y, 1)(3.0, 2.0), 10)
    9.0

    Introduced in 03-partial-derivatives.
    """
    from calclib.multivariable import partial

    def partial_at(*point: float) -> float:
        return float(partial(lambda v: f(*v), list(point), wrt).value)

    return partial_at


FUNCTION_NOT_FORMULA = "write it as a function: def df(x): return 3 * x**2 (or a lambda)"


def _label(label: str) -> str:
    return f"misconceptions[{label!r}]"


def check_derivative(
    df: object,
    f: object,
    *,
    exact: object = None,
    wrt: int = 0,
    name: str = "your derivative",
    domain: Domain = (-2.0, 2.0),
    n_points: int = 12,
    points: Sequence[object] = (),
    seed: int = 0,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    spread: bool = False,
    hidden: bool = False,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check a student's derivative ``df`` of ``f`` (a function or a formula).

    ``df`` may be a callable, compared on sample points with the exact derivative when
    ``exact`` is given and otherwise with ``calclib.derivative``'s numeric one, or a formula
    (a string such as ``"3*x**2"`` or a sympy expression) when ``f`` is a formula too, checked
    with :func:`check_expression` against ``sympy.diff(f)``. For a function of several
    arguments, ``wrt`` is the index of the variable (the partial derivative ∂f/∂x_wrt).

    Besides the mistakes every check names (sign, factor of 2 or ½), it recognises ``f``
    itself returned instead of its derivative, a partial derivative with respect to another
    variable, and, for formulas, a missing inner derivative (chain rule).

    Parameters
    ----------
    df : callable, str, sympy expression or number
        The student's derivative (a number is a constant formula, e.g. ``-1``).
    f : callable, str or sympy expression
        The function whose derivative is asked for.
    exact : callable, str or sympy expression, optional
        The exact derivative, when known (preferred to the numeric one).
    wrt : int
        Which argument to differentiate with respect to (0 for the first).
    name, domain, n_points, points, seed, rtol, atol, spread, hidden, misconceptions
        As in :func:`check_function` (misconceptions map a label to a wrong derivative).

    Raises
    ------
    CheckFailure
        When ``df`` is missing or is not the derivative of ``f``.
    CheckSetupError
        When the test cell's own arguments are wrong (e.g. ``wrt`` out of range).

    Examples
    --------
    >>> check_derivative(lambda x: 3 * x**2, lambda x: x**3, exact=lambda x: 3 * x**2)
    >>> check_derivative("3*x**2", "x**3")

    Introduced in 02-derivatives.
    """
    count_check()
    with judging(name):
        options = Sampling(name, domain, n_points, tuple(points), seed, rtol, atol, hidden, spread)
        wrong: dict[str, Any] = dict(misconceptions or {})
        if is_formula(f):
            expected, formulas, symbols = derivative_expected(f, exact, wrt)
            wrong.update(formulas)
            names = [s.name for s in symbols]
            if is_formula(df) or is_real_number(df):
                compare_expressions(df, expected, options, wrong, variables=names)
                return
            reference = as_function(expected, symbols)
            wrong = {label: as_function(v, symbols, _label(label)) for label, v in wrong.items()}
        elif is_formula(df):
            raise CheckFailure(
                f"{name} should be a Python function here, not a formula.",
                [("You gave", short(df)), ("What to do", FUNCTION_NOT_FORMULA)],
            )
        else:
            function = as_function(f, argument="f")
            n_args = len(intervals(domain))
            if not isinstance(wrt, int) or not 0 <= wrt < n_args:
                raise CheckSetupError("wrt", f"is {wrt!r} but the domain has {n_args} interval(s)")
            check_arity(function, n_args, "f")
            names = argument_names(function, n_args)
            exact_function = None if exact is None else as_function(exact, argument="exact")
            reference = numeric_partial(function, wrt) if exact_function is None else exact_function
            wrong = {label: as_function(v, argument=_label(label)) for label, v in wrong.items()}
            wrong[FUNCTION_NOT_DERIVATIVE] = function
            for other in range(n_args):
                if other != wrt:
                    label = WRONG_VARIABLE.format(other=names[other], wanted=names[wrt])
                    wrong[label] = numeric_partial(function, other)
        compare_functions(df, reference, options, wrong)
