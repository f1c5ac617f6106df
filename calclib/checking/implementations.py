"""Check a student's implementation of an algorithm: case by case, and by its order of accuracy.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from calclib.checking.authoring import CheckSetupError, check_tolerances
from calclib.checking.calling import (
    reference_value,
    require_callable,
    shape_failure,
    student_value,
    why_undefined,
)
from calclib.checking.failures import CheckFailure
from calclib.checking.guard import judging
from calclib.checking.misconceptions import FORWARD_NOT_CENTRAL
from calclib.checking.numbers import compare
from calclib.checking.registry import count_check
from calclib.checking.values import is_real_number, short


def _case_text(case: tuple[Any, ...]) -> str:
    """``(sin, 1.0, 0.001)``: functions by name, values short."""
    parts = [getattr(a, "__name__", None) if callable(a) else None for a in case]
    texts = [p if p else short(a, 30) for p, a in zip(parts, case)]
    return f"({', '.join(texts)})"


def check_implementation(
    implementation: object,
    reference: Callable[..., Any],
    cases: Sequence[object],
    *,
    name: str = "your implementation",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hidden: bool = False,
    misconceptions: Mapping[str, Callable[..., Any]] | None = None,
) -> None:
    """Run ``implementation(*case)`` and ``reference(*case)`` for each case; report what differs.

    Results are compared as arrays (numbers, tuples, arrays and tensors all work) within
    ``|gave - expected| <= atol + rtol * |expected|``. Every case runs; a misconception is
    named only when it explains every failing case. An argument called ``lr`` (or
    ``learning_rate``, ``eta``, …) is named when the result blew up.

    Parameters
    ----------
    implementation : callable
        The student's code, e.g. their ``central_difference``.
    reference : callable
        A right implementation with the same signature.
    cases : sequence
        Argument tuples (a single argument may be given bare).
    name : str
        What is checked, e.g. ``"central_difference"``.
    rtol, atol, hidden
        As in :func:`check_number`.
    misconceptions : mapping of str to callable, optional
        Label of a likely mistake → a wrong implementation showing it, e.g.
        ``{"a forward difference": forward_difference}``.

    Raises
    ------
    CheckFailure
        For a missing or non-callable implementation, or at the first case that differs.
    CheckSetupError
        When the test cell's reference, cases or misconceptions are wrong.

    Examples
    --------
    >>> def grads_of_product(a, b):  # d(ab)/da, d(ab)/db
    ...     return (b, a)
    >>> check_implementation(grads_of_product, lambda a, b: (b, a), [(2.0, 3.0), (-1.0, 4.0)])

    Introduced in 02-derivatives.
    """
    count_check()
    with judging(name):
        check_tolerances(rtol, atol)
        if not callable(reference):
            raise CheckSetupError("reference", f"must be a function, got {short(reference)}")
        if isinstance(cases, (str, bytes)) or not len(cases):
            raise CheckSetupError("cases", f"give a list of argument tuples, got {cases!r}")
        student = require_callable(implementation, name)
        rate_at = _learning_rate_position(reference, student)
        failing: list[_Miss] = []
        for index, raw in enumerate(cases, start=1):
            case = raw if isinstance(raw, tuple) else (raw,)
            where = f"{_case_text(case)}, case {index} of {len(cases)}"
            want = reference_value(reference, case)
            if want is None:
                reason = why_undefined(reference, case)
                problem = f"gives no finite value for case {index}, {_case_text(case)} ({reason})"
                raise CheckSetupError("reference", problem)
            wrong = {}
            for label, func in (misconceptions or {}).items():
                value = reference_value(func, case, f"misconceptions[{label!r}]")
                if value is not None and value.shape == want.shape:
                    wrong[label] = value
            before = [_snapshot(arg) for arg in case]
            gave = student_value(student, case, name, where)
            if gave.shape != want.shape:
                if gave.size != 1 or want.size != 1:
                    raise shape_failure(name, where, gave, want)
                gave = gave.reshape(want.shape)
            with np.errstate(all="ignore"):
                if np.all(np.isclose(gave, want, rtol=rtol, atol=atol)):
                    continue
            changed = [
                position
                for position, (arg, old) in enumerate(zip(case, before), start=1)
                if old is not None and not _same(_snapshot(arg), old)
            ]
            rate = _as_rate(case[rate_at]) if rate_at is not None and rate_at < len(case) else None
            failing.append(_Miss(where, gave, want, wrong, changed, rate))
        if failing:
            raise _failure(failing, len(cases), name, rtol, atol, hidden)


class _Miss:
    """One case where the implementation's result differs from the reference's."""

    def __init__(
        self,
        where: str,
        gave: np.ndarray,
        want: np.ndarray,
        wrong: dict[str, np.ndarray],
        changed: list[int],
        rate: float | None,
    ) -> None:
        self.where, self.gave, self.want, self.wrong = where, gave, want, wrong
        self.changed, self.rate = changed, rate


def _failure(
    failing: list[_Miss], n_cases: int, name: str, rtol: float, atol: float, hidden: bool
) -> CheckFailure:
    """The failure for the first failing case; a mistake is named only if it fits every one."""
    first = failing[0]
    common = [
        label
        for label in first.wrong
        if all(
            label in miss.wrong and miss.wrong[label].shape == miss.gave.shape for miss in failing
        )
    ]
    evidence = (
        np.concatenate([miss.gave.ravel() for miss in failing]),
        np.concatenate([miss.want.ravel() for miss in failing]),
    )
    wrong = {label: np.concatenate([m.wrong[label].ravel() for m in failing]) for label in common}
    where = [("Arguments", first.where)]
    if n_cases > 1:
        where.append(("Failing cases", f"{len(failing)} of {n_cases}"))
    try:
        compare(
            first.gave if first.gave.ndim else first.gave.reshape(()),
            first.want,
            name=name,
            rtol=rtol,
            atol=atol,
            hidden=hidden,
            wrong=wrong,
            where=where,
            evidence=evidence,
            reveal=True,
            learning_rate=next((m.rate for m in failing if m.rate is not None), None),
        )
    except CheckFailure as failure:
        for position in first.changed:
            failure.add("Note", IN_PLACE.format(name=name, position=position))
        return failure
    return CheckFailure(f"{name} is not right yet.")  # not reached: compare raised


LEARNING_RATE_NAMES = ("lr", "learning_rate", "eta", "alpha", "step_size", "rate")


def _learning_rate_position(*functions: object) -> int | None:
    """The position of a learning-rate argument (``lr``, ``eta``, …) in the first signature."""
    for func in functions:
        try:
            names = list(inspect.signature(func).parameters)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        for position, parameter in enumerate(names):
            if parameter in LEARNING_RATE_NAMES:
                return position
    return None


def _as_rate(value: object) -> float | None:
    return float(value) if is_real_number(value) else None  # type: ignore[arg-type]


def _same(now: np.ndarray | None, old: np.ndarray) -> bool:
    return now is not None and now.shape == old.shape and bool(np.array_equal(now, old))


IN_PLACE = (
    "{name} changed its argument {position} in place, so later steps saw other numbers: "
    "work on a copy, e.g. v = np.array(v, dtype=float)"
)


def _snapshot(arg: object) -> np.ndarray | None:
    """A copy of a numeric array or list argument (to notice in-place changes), else None."""
    if not isinstance(arg, (np.ndarray, list)):
        return None
    try:
        return np.array(arg, dtype=float)
    except (TypeError, ValueError):
        return None


def check_order(
    scheme: object,
    order: int,
    *,
    f: Callable[[float], float] = np.sin,
    df: Callable[[float], float] = np.cos,
    x: float = 0.5,
    hs: Sequence[float] = (0.1, 0.05, 0.025, 0.0125),
    name: str = "your scheme",
) -> None:
    """Check that the error of ``scheme(f, x, h)`` shrinks like ``h**order``.

    The measured order is the least-squares slope of ``log(error)`` against ``log(h)``, with
    ``error = |scheme(f, x, h) - df(x)|``; it passes from ``order - 0.5`` up. A measured
    order near 1 where 2 is wanted is named: a forward difference instead of a central one.

    Parameters
    ----------
    scheme : callable
        The student's ``scheme(f, x, h)`` (e.g. their central difference).
    order : int
        The order the scheme should have (2 for a central difference).
    f, df : callable
        A test function and its exact derivative (default: sin and cos; not exp, whose
        derivative is itself, so that returning f(x) is caught).
    x : float
        Where the derivative is approximated.
    hs : sequence of float
        Step sizes, large enough that rounding error does not matter.
    name : str
        What is checked.

    Raises
    ------
    CheckFailure
        When the scheme is missing or its error shrinks too slowly.
    CheckSetupError
        When ``order``, ``df`` or ``hs`` are wrong.

    Examples
    --------
    >>> check_order(lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h), 2)

    Introduced in 02-derivatives.
    """
    count_check()
    with judging(name):
        steps = np.asarray(hs, dtype=float)
        if steps.ndim != 1 or steps.size < 2 or not np.all(steps > 0):
            raise CheckSetupError("hs", f"give at least two step sizes > 0, got {hs!r}")
        if not isinstance(order, int) or order < 1:
            raise CheckSetupError("order", f"must be a whole number >= 1, got {order!r}")
        exact = reference_value(df, (x,), "df")
        if exact is None or exact.size != 1:
            raise CheckSetupError(
                "df", f"gives no finite number at x = {x} ({why_undefined(df, (x,))})"
            )
        student = require_callable(scheme, name)
        errors = []
        for h in hs:
            value = student_value(student, (f, x, h), name, f"h = {h:g}")
            if value.size != 1:
                raise shape_failure(name, f"h = {h:g}", value, exact.reshape(()))
            errors.append(float(np.abs(value.reshape(()) - exact.reshape(()))))
        table = ", ".join(f"h={h:g}: {e:.2g}" for h, e in zip(hs, errors))
        if not all(np.isfinite(errors)):
            raise CheckFailure(f"{name} gives no finite value for some h.", [("Errors", table)])
        if max(errors) == 0.0:
            return  # exact for this f: no error to shrink
        tiny = np.finfo(float).tiny  # an error of exactly 0 at some h: log stays finite
        measured = float(np.polyfit(np.log(steps), np.log(np.maximum(errors, tiny)), 1)[0])
        if measured >= order - 0.5:
            return
        details = [
            ("Errors", table),
            ("You gave", f"an error shrinking like h^{measured:.1f}"),
            ("Expected", f"an error shrinking like h^{order} (halving h divides it by {2**order})"),
        ]
        if order == 2 and 0.5 <= measured < 1.5:
            details.append(("Likely mistake", FORWARD_NOT_CENTRAL))
        elif measured < 0.5:
            details.append(
                ("Likely mistake", "the error does not shrink with h: is h used at all?")
            )
        raise CheckFailure(f"{name} is not accurate enough as h shrinks.", details)
