"""Check a formula: symbolic equivalence within a time limit, numeric comparison otherwise.

A formula answer (string, sympy expression) passes when ``simplify(answer - expected) == 0``
is proven within ``time_limit`` seconds, or, failing a proof, when it agrees with the expected
formula on seeded sample points. A right answer that is longer than the expected one passes
with a note that it simplifies. A callable answer is compared on sample points.

Introduced in 02-derivatives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from calclib.checking.challenge import count_check
from calclib.checking.failures import (
    CheckFailure,
    CheckSetupError,
    authored,
    describe_error,
    judging,
    short,
)
from calclib.checking.formulas import (
    as_function,
    is_formula,
    proven_equal,
    symbols_of,
    to_expr,
    written_size,
)
from calclib.checking.functions import Domain, Sampling, compare_functions, intervals
from calclib.checking.values import is_missing, is_real_number


def compare_expressions(
    answer: object,
    expected: object,
    options: Sampling,
    misconceptions: Mapping[str, object],
    *,
    variables: Sequence[str] | None = None,
    time_limit: float = 2.0,
    implicit_multiplication: bool = False,
) -> None:
    """The work of :func:`check_expression`, without counting a check (see its docstring).

    Examples
    --------
    >>> compare_expressions("x*3*x", "3*x**2", Sampling("f'(x)", (-2, 2)), {})

    Introduced in 02-derivatives.
    """
    import sympy

    name = options.name
    if not is_real_number(time_limit) or not time_limit > 0:
        raise CheckSetupError("time_limit", f"must be a number of seconds > 0, got {time_limit!r}")
    if is_missing(expected):
        raise CheckSetupError("expected", f"is {expected!r}: give the right formula")
    with authored("expected", expected):
        target = to_expr(expected, "the expected formula")
    symbols = symbols_of(target, variables) or [sympy.Symbol("x", real=True)]  # x if constant
    if len(intervals(options.domain)) != len(symbols):
        problem = f"has {len(intervals(options.domain))} interval(s) for the variables {symbols}"
        raise CheckSetupError("domain", f"{problem}: give one (low, high) interval per variable")
    mistakes = _read_misconceptions(misconceptions)
    wrong = {
        label: as_function(value, symbols, f"misconceptions[{label!r}]")
        for label, value in mistakes.items()
        if not getattr(value, "free_symbols", set()) - set(symbols)  # others are never values
    }
    notes: list[str] = []
    _refuse_non_formula(answer, name)
    formula = is_formula(answer) or is_real_number(answer)
    typed = answer.strip() if isinstance(answer, str) else None
    if formula:
        expr = to_expr(answer, name, implicit_multiplication=implicit_multiplication, notes=notes)
        shown = typed or (short(answer) if is_real_number(answer) else str(expr))
        extra = sorted(s.name for s in expr.free_symbols - set(symbols))
        if extra:
            allowed = ", ".join(v.name for v in symbols)
            details = [("You gave", shown), ("Unknown", ", ".join(extra))]
            details.append(("Variables", allowed))
            details += _matching_formula(expr, mistakes, time_limit)
            raise CheckFailure(f"{name} uses a variable that does not belong here.", details)
        if proven_equal(expr, target, time_limit):
            _print_notes(notes, written_size(answer), target, options.hidden, proven=True)
            return
        try:
            student: object = as_function(expr, symbols)
        except Exception as exc:  # noqa: BLE001 - sympy cannot turn every formula into numpy
            raise CheckFailure(
                f"{name} cannot be evaluated as numbers.",
                [("You gave", shown), ("Problem", describe_error(exc))],
            ) from None
    else:
        student = answer
    try:
        compare_functions(student, as_function(target, symbols), options, wrong)
    except CheckFailure as failure:
        if formula:
            _show_formula(failure, shown)
        for note in notes:
            failure.add("Note", note)
        raise
    if formula:
        _print_notes(notes, written_size(answer), target, options.hidden, proven=False)


def _refuse_non_formula(answer: object, name: str) -> None:
    """A failure for answers that are neither a formula, a number nor a function."""
    usage = "write it as text, e.g. '3*x**2', or as a sympy expression"
    if isinstance(answer, (bytes, bytearray)):
        raise CheckFailure(
            f"{name} should be text, not bytes.",
            [("You gave", short(answer)), ("What to do", "remove the b before the quotes")],
        )
    if isinstance(answer, (bool, np.bool_)):
        raise CheckFailure(
            f"{name} should be a formula, not True or False.",
            [("You gave", repr(answer)), ("What to do", usage)],
        )
    if isinstance(answer, (complex, np.complexfloating)):
        raise CheckFailure(
            f"{name} should be a real formula, not a complex number.",
            [("You gave", short(answer)), ("What to do", usage)],
        )
    if is_formula(answer) or is_real_number(answer) or callable(answer) or is_missing(answer):
        return
    raise CheckFailure(
        f"{name} should be a formula.",
        [("You gave", f"{short(answer)} (of type {type(answer).__name__})"), ("What to do", usage)],
    )


def _read_misconceptions(misconceptions: Mapping[str, object]) -> dict[str, object]:
    """The test cell's misconceptions, formulas read into sympy (callables kept)."""
    read: dict[str, object] = {}
    for label, value in misconceptions.items():
        argument = f"misconceptions[{label!r}]"
        if is_formula(value) or is_real_number(value):
            with authored(argument, value):
                read[label] = to_expr(value, argument)
        elif callable(value):
            read[label] = value
        else:
            raise CheckSetupError(argument, f"must be a formula or a function, got {short(value)}")
    return read


def _matching_formula(
    expr: Any, mistakes: Mapping[str, object], seconds: float
) -> list[tuple[str, str]]:
    """A "Likely mistake" line if ``expr`` equals one of the misconceptions' formulas."""
    for label, wrong in mistakes.items():
        if is_formula(wrong) and proven_equal(expr, wrong, seconds):
            return [("Likely mistake", label)]
    return []


def _show_formula(failure: CheckFailure, formula: str) -> None:
    """Show the student's formula (as read) first; the numbers become values at a point.

    The expected formula is not shown: it would give the answer away; the expected value at
    the failing point is (unless the check is hidden).
    """
    renamed = {"You gave": "Your value", "Expected": "Expected value"}
    failure.details = [(renamed.get(label, label), text) for label, text in failure.details]
    failure.details.insert(0, ("You gave", formula))
    failure.args = (failure.message,)


def _print_notes(notes: list[str], size: int, target: Any, hidden: bool, proven: bool) -> None:
    """Print the notes of a right answer, and say if it simplifies when that is proven (stdout)."""
    import sympy

    if proven and size > sympy.count_ops(target):
        notes.append("right, and it simplifies" + ("." if hidden else f" to {target}."))
    for note in notes:
        print(f"Note: {note}")


def check_expression(
    answer: object,
    expected: object,
    *,
    name: str = "your formula",
    domain: Domain = (-2.0, 2.0),
    n_points: int = 12,
    seed: int = 0,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    spread: bool = False,
    variables: Sequence[str] | None = None,
    time_limit: float = 2.0,
    implicit_multiplication: bool = False,
    hidden: bool = False,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check a formula answer: a string (``"3*x**2"``), a sympy expression or a callable.

    Passes when sympy proves ``simplify(answer - expected) == 0`` within ``time_limit``
    seconds, or else when the two agree on seeded sample points of ``domain`` (the numeric
    fallback decides, and names the smallest input where they differ). ``^`` is read as
    ``**`` with a note; a right answer longer than ``expected`` passes with a note that it
    simplifies. A string Python cannot read gets a caret under the problem.

    Parameters
    ----------
    answer : str, sympy expression, number or callable
        The student's formula (a number is a constant formula).
    expected : str or sympy expression
        The right formula.
    name : str
        What is checked, e.g. ``"f'(x)"``.
    domain : (low, high) or sequence of (low, high)
        Sample points for the numeric comparison, one interval per variable.
    n_points, seed, rtol, atol, spread, hidden
        As in :func:`check_function`.
    variables : sequence of str, optional
        The variables the answer may use, in argument order (for a callable answer and for
        ``domain``); by default the symbols of ``expected`` sorted by name (x for a constant).
    time_limit : float
        Seconds sympy may spend proving equality.
    implicit_multiplication : bool
        Accept ``3x`` for ``3*x``.
    misconceptions : mapping of str to formula or callable, optional
        Label of a likely mistake → the wrong formula it gives.

    Raises
    ------
    CheckFailure
        When the answer is missing, unreadable, uses a foreign variable, or is not equal.
    CheckSetupError
        When the test cell's own arguments are wrong (e.g. an unreadable ``expected``).

    Examples
    --------
    >>> check_expression("3*x*x", "3*x**2")
    >>> check_expression("x^2 + x^2", "2*x**2")
    Note: ^ was read as ** (in Python, x**2 is x squared; x^2 means something else).
    Note: right, and it simplifies to 2*x**2.

    Introduced in 02-derivatives.
    """
    count_check()
    with judging(name):
        compare_expressions(
            answer,
            expected,
            Sampling(name, domain, n_points, (), seed, rtol, atol, hidden, spread),
            dict(misconceptions or {}),
            variables=variables,
            time_limit=time_limit,
            implicit_multiplication=implicit_multiplication,
        )
