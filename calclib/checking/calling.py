"""Call a student's function, or the test cell's own, safely and quietly.

A student's function may raise, return ``None``, text or a value of the wrong shape: each
becomes a :class:`~calclib.checking.failures.CheckFailure` that says so, with the input. The
test cell's functions (references, misconceptions) may be undefined at a point (``None``);
any other error in them is a :class:`~calclib.checking.authoring.CheckSetupError`. Warnings
never reach stderr.

Introduced in 01-limits.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from calclib.checking.authoring import CheckSetupError
from calclib.checking.failures import CheckFailure, student_line
from calclib.checking.timeout import OutOfTime, time_limit
from calclib.checking.unanswered import NOT_ANSWERED, placeholder_in, returns_print
from calclib.checking.values import (
    as_array,
    describe_error,
    from_student,
    is_missing,
    not_answered,
    short,
)


def quietly(func: Callable[..., Any], point: tuple[Any, ...]) -> Any:
    """Call ``func(*point)`` with numpy warnings and Python warnings silenced (no stderr).

    Examples
    --------
    >>> quietly(np.log, (0.0,))
    np.float64(-inf)

    Introduced in 01-limits.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return func(*point)


def reference_value(
    func: Callable[..., Any], point: tuple[Any, ...], argument: str = "reference"
) -> np.ndarray | None:
    """The test cell's ``func`` at ``point``, or ``None`` where it is undefined.

    Undefined: an arithmetic, value or type error, no number, nan or inf. Any other error
    (a name not defined, an attribute missing) is a bug in the test cell: a
    :class:`CheckSetupError` naming ``argument``.

    Examples
    --------
    >>> reference_value(np.log, (-1.0,)) is None, reference_value(np.exp, (0.0,))
    (True, array(1.))

    Introduced in 01-limits.
    """
    try:
        value = np.asarray(as_array(quietly(func, point)))
    except (ArithmeticError, ValueError, TypeError, CheckFailure):
        return None
    except Exception as exc:  # the test cell's own function is broken
        problem = f"raised {type(exc).__name__}: {exc} (with arguments {point})"
        raise CheckSetupError(argument, problem) from exc
    return value if np.all(np.isfinite(value)) else None


def why_undefined(func: Callable[..., Any], point: tuple[Any, ...]) -> str:
    """What ``func`` did at ``point`` instead of giving a finite number (for a setup error).

    Examples
    --------
    >>> why_undefined(lambda x: 1 / x, (0.0,))
    'ZeroDivisionError: float division by zero'

    Introduced in 01-limits.
    """
    try:
        value = quietly(func, point)
    except Exception as exc:  # noqa: BLE001 - only described
        return f"{type(exc).__name__}: {exc}"
    return f"it returned {short(value)}"


def require_callable(f: object, name: str) -> Callable[..., Any]:
    """``f`` if it is a function; else a failure for the student (missing: "not answered").

    Examples
    --------
    >>> require_callable(abs, "f")
    <built-in function abs>
    >>> require_callable(3, "f")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f should be a function (a def or a lambda).
      You gave:  3 (of type int)

    Introduced in 01-limits.
    """
    if is_missing(f):
        raise not_answered(name, f)
    if not callable(f):
        raise CheckFailure(
            f"{name} should be a function (a def or a lambda).",
            [("You gave", f"{short(f)} (of type {type(f).__name__})")],
        )
    return f  # type: ignore[return-value]


STUDENT_SECONDS = 5.0  # the longest one call into a student's code may take


def call_student(func: Callable[..., Any], point: tuple[Any, ...], name: str, where: str) -> Any:
    """``func(*point)`` within ``STUDENT_SECONDS``, quietly; any error a :class:`CheckFailure`.

    Every error the student's code raises becomes a failure that names it, the input and the
    student's own line: exceptions, ``SystemExit``, a ``KeyboardInterrupt`` it raises itself,
    and running out of time (an endless loop).

    Examples
    --------
    >>> call_student(lambda x: 1 / x, (0.0,), "f", "x = 0")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f raised ZeroDivisionError: float division by zero
      At:     x = 0
      Where:  in <lambda>: ...

    Introduced in 01-limits.
    """
    try:
        with time_limit(STUDENT_SECONDS):
            return quietly(func, point)
    except CheckFailure:
        raise
    except NotImplementedError:
        raise not_answered(name) from None
    except OutOfTime:
        raise CheckFailure(
            f"{name} did not finish within {STUDENT_SECONDS:g} s.",
            [
                ("At", where),
                ("Likely mistake", "a loop that never ends (a while condition that stays true?)"),
            ],
        ) from None
    except BaseException as exc:  # everything the student's code raises
        if not from_student(exc):
            raise
        failure = CheckFailure(f"{name} raised {describe_error(exc)}", [("At", where)])
        line = student_line(exc)
        if line:
            failure.add("Where", line)
        if isinstance(exc, SystemExit):
            failure.add("What to do", "exit() stops the whole program: return a value instead")
        raise failure from None


def _none_failure(func: Callable[..., Any], name: str, where: str) -> CheckFailure:
    """Why ``func`` returned None: not answered yet, print, or a missing return."""
    placeholder = placeholder_in(func)
    if placeholder:
        return CheckFailure(f"Not answered yet: {placeholder}.", [("What to do", NOT_ANSWERED)])
    if returns_print(func):
        mistake = "`return print(...)`: print shows a value but gives back None; return the value"
    else:
        mistake = "a missing `return`: without it a function gives None"
    return CheckFailure(f"{name} returned None.", [("At", where), ("Likely mistake", mistake)])


def student_value(
    func: Callable[..., Any], point: tuple[Any, ...], name: str, where: str
) -> np.ndarray:
    """The student's value at ``point``; a :class:`CheckFailure` that says why if there is none.

    ``where`` describes the point for the message, e.g. ``"x = 0"``.

    Examples
    --------
    >>> student_value(lambda x: x + 1, (1.0,), "f", "x = 1")
    array(2.)
    >>> student_value(lambda x: None, (1.0,), "f", "x = 1")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f returned None.
      At:              x = 1
      Likely mistake:  a missing `return`: without it a function gives None

    Introduced in 01-limits.
    """
    value = call_student(func, point, name, where)
    if value is None:
        raise _none_failure(func, name, where)
    try:
        with time_limit(STUDENT_SECONDS):
            return as_array(value, f"the value of {name}")
    except CheckFailure as failure:
        failure.details.insert(0, ("At", where))
        failure.args = (failure.message,)
        raise
    except OutOfTime:
        raise CheckFailure(
            f"The value of {name} took more than {STUDENT_SECONDS:g} s to read as a number.",
            [("At", where)],
        ) from None


def shape_failure(name: str, where: str, gave: np.ndarray, expected: np.ndarray) -> CheckFailure:
    """The failure for a value of the wrong shape at one point.

    Examples
    --------
    >>> print(shape_failure("f", "x = 1", np.zeros(2), np.array(1.0)))
    ✗ f returned a value of the wrong shape.
      At:        x = 1
      You gave:  [0. 0.] (shape (2,))
      Expected:  a single number

    Introduced in 01-limits.
    """
    wanted = "a single number" if expected.size == 1 else f"shape {expected.shape}"
    return CheckFailure(
        f"{name} returned a value of the wrong shape.",
        [("At", where), ("You gave", f"{short(gave)} (shape {gave.shape})"), ("Expected", wanted)],
    )
