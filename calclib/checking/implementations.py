"""Check a student's implementation: of an algorithm, case by case and by its order of accuracy
(:func:`check_implementation`, :func:`check_order`); of a gradient, that it came from torch
autograd and not from a number typed or copied in (:func:`check_autograd`).

A visible check that compares a gradient with ``gradient(f, point)`` can be passed by copying that
call. :func:`check_autograd` asks for the tensors instead: the input ``x`` (a leaf with
``requires_grad=True``) and the output ``f``. It passes when ``f`` is one number built from ``x``
by torch operations (its graph reaches ``x``) and ``x.grad`` holds what ``f.backward()`` put
there. The gradient's values are then checked as usual, e.g. with ``check_array(x.grad, ...)``.

The check only reads the tensors' attributes (``requires_grad``, ``grad_fn``, ``grad``,
``numel()``, ``shape``), so it also works on a stand-in for a tensor that lives in another
process: the grader's judge (``grading/judge_wire.py``) keeps the student's tensors in the
student's kernel and hands this check proxies whose class sets ``stands_for_tensor = True``.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import inspect
import sys
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from calclib.checking.challenge import count_check
from calclib.checking.failures import CheckFailure, CheckSetupError, judging, short
from calclib.checking.functions import (
    reference_value,
    shape_failure,
    student_function,
    student_value,
    why_undefined,
)
from calclib.checking.misconceptions import FORWARD_NOT_CENTRAL
from calclib.checking.numeric import compare
from calclib.checking.unanswered import not_answered
from calclib.checking.values import check_tolerances, is_missing, is_real_number

if TYPE_CHECKING:
    from typing_extensions import TypeIs

LEARNING_RATE_NAMES = ("lr", "learning_rate", "eta", "alpha", "step_size", "rate")
IN_PLACE = (
    "{name} changed its argument {position} in place, so later steps saw other numbers: "
    "work on a copy, e.g. v = np.array(v, dtype=float)"
)
MAX_NODES = 100_000  # graph nodes searched for x
BUILD_FROM_X = (
    "build f from x with torch functions (torch.log, (x**2).sum(), …), then call f.backward()"
)


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
        student = student_function(implementation, name)
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
        student = student_function(scheme, name)
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


def _reaches(grad_fn: object, x: object) -> bool:
    """True if the autograd graph under ``grad_fn`` accumulates into the leaf ``x``."""
    seen: set[int] = set()
    queue = deque([grad_fn])
    while queue and len(seen) < MAX_NODES:
        node = queue.popleft()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "variable", None) is x:
            return True
        queue.extend(child for child, _ in getattr(node, "next_functions", ()))
    return False


def is_tensor(value: object) -> TypeIs[Any]:
    """True for a torch tensor, or a stand-in whose class declares ``stands_for_tensor = True``.

    Examples
    --------
    >>> import torch
    >>> is_tensor(torch.tensor(1.0)), is_tensor([1.0])
    (True, False)

    Introduced in 06-autograd.
    """
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return True
    try:
        return getattr(type(value), "stands_for_tensor", False) is True
    except Exception:  # noqa: BLE001 - a metaclass whose attribute lookup raises
        return False


def check_autograd(x: object, f: object, *, name: str = "the gradient") -> None:
    """Check that ``x.grad`` was computed by ``f.backward()`` through torch's autograd.

    Parameters
    ----------
    x : torch.Tensor
        The student's input: a leaf tensor made with ``requires_grad=True``.
    f : torch.Tensor
        The student's output: one number computed from ``x`` with torch operations, on which
        ``.backward()`` was called.
    name : str
        What is checked, as messages say it.

    Raises
    ------
    CheckFailure
        When ``x`` or ``f`` is missing or not a tensor, ``x`` does not require gradients, ``f``
        is not one number computed from ``x`` by torch, or ``.backward()`` has not run.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> f = (x**2).sum()
    >>> f.backward()
    >>> check_autograd(x, f)
    >>> check_autograd(x, torch.tensor(5.0))
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ the gradient did not come from autograd: f was \
not computed from x by torch operations.
      You gave:    tensor(5.)
      What to do:  build f from x with torch functions (torch.log, (x**2).sum(), …), then
                   call f.backward()

    Introduced in 06-autograd.
    """
    count_check()
    with judging(name):
        for value, which in ((x, "x"), (f, "f")):
            if is_missing(value):
                raise not_answered(f"{which} (for {name})", value)
        if not is_tensor(x):
            raise CheckFailure(
                f"x should be a torch tensor (for {name}).",
                [
                    ("You gave", f"{short(x)} (of type {type(x).__name__})"),
                    ("What to do", "x = torch.tensor([...], requires_grad=True)"),
                ],
            )
        if not is_tensor(f):
            raise CheckFailure(
                f"f should be the torch tensor computed from x (for {name}).",
                [("You gave", f"{short(f)} (of type {type(f).__name__})")],
            )
        if not x.requires_grad or x.grad_fn is not None:
            raise CheckFailure(
                f"x does not collect a gradient (for {name}).",
                [("What to do", "make x a leaf with torch.tensor([...], requires_grad=True)")],
            )
        if f.numel() != 1:
            raise CheckFailure(
                f"f should be one number (for {name}), not shape {tuple(f.shape)}.",
                [("What to do", "sum it, or pick the one output whose gradient you want")],
            )
        if f.grad_fn is None or not _reaches(f.grad_fn, x):
            raise CheckFailure(
                f"{name} did not come from autograd: "
                "f was not computed from x by torch operations.",
                [("You gave", short(f)), ("What to do", BUILD_FROM_X)],
            )
        if x.grad is None:
            raise CheckFailure(
                f"{name} is not there yet: x.grad is None.",
                [("What to do", "call f.backward() (once) after computing f")],
            )
