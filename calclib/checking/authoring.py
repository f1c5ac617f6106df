"""Mistakes in a test cell's own setup, told apart from mistakes in the student's answer.

Every argument of a check except the answer is written by the exercise's author: the expected
value or reference, the domain, the tolerances, the misconceptions. When one of them is wrong,
the check raises :class:`CheckSetupError` naming that argument. It is not an ``AssertionError``,
so it never reads as a wrong answer, and ``challenge`` passes it on without a hint and without
blaming the student (nbgrader still scores the cell 0, as for any error). Errors raised while
the student's own object is evaluated (their function called, their formula read) stay the
student's: they become a :class:`~calclib.checking.failures.CheckFailure`.

Introduced in 01-limits.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from calclib.checking.failures import CheckFailure, last_user_frame
from calclib.checking.values import as_array, is_missing, is_real_number, short

NOT_YOUR_ANSWER = (
    "This is a mistake in the exercise's test cell, not in your answer: "
    "please tell your instructor."
)


class CheckSetupError(Exception):
    """A check's own argument (not the student's answer) is wrong: a bug in the test cell.

    Parameters
    ----------
    argument : str
        The argument at fault, as the check names it, e.g. ``"domain"`` or ``"rtol"``.
    problem : str
        What is wrong with it, with its value, and what to give instead.

    Examples
    --------
    >>> error = CheckSetupError("rtol", "must be a number >= 0, got -1")
    >>> print(error)
    Check setup error in `rtol`: must be a number >= 0, got -1.
    This is a mistake in the exercise's test cell, not in your answer: please tell your instructor.
    >>> isinstance(error, AssertionError)
    False

    Introduced in 01-limits.
    """

    def __init__(self, argument: str, problem: str) -> None:
        self.argument = argument
        self.problem = problem.rstrip(".")
        super().__init__(f"Check setup error in `{argument}`: {self.problem}.\n{NOT_YOUR_ANSWER}")

    def _render_traceback_(self) -> list[str]:
        """What IPython shows: the message, then the test-cell line that called the check."""
        lines = str(self).split("\n")
        frame = last_user_frame(self)
        if frame is not None:
            where = "the test cell" if frame.name == "<module>" else frame.name
            lines.append(f"  In {where}, line {frame.lineno}: {frame.line}")
        return lines


@contextmanager
def authored(argument: str, value: object = None) -> Iterator[None]:
    """Turn a :class:`CheckFailure` raised while reading ``argument`` into a setup error.

    The readers of answers (``as_array``, ``to_expr``) speak to a student; inside this block
    they read the author's ``argument`` (``value``, when given, is shown in the message).

    Examples
    --------
    >>> with authored("expected", "3*x**"):
    ...     raise CheckFailure("Python cannot read the formula.")
    Traceback (most recent call last):
    ...
    calclib.checking.authoring.CheckSetupError: Check setup error in `expected`: \
Python cannot read the formula (got '3*x**').
    This is a mistake in the exercise's test cell, not in your answer: please tell your instructor.

    Introduced in 01-limits.
    """
    try:
        yield
    except CheckFailure as failure:
        problem = failure.headline.rstrip(".")
        problems = [text for label, text in failure.details if label == "Problem"]
        if problems:
            problem += f": {problems[0]}"
        if value is not None:
            problem += f" (got {short(value)})"
        raise CheckSetupError(argument, problem) from None


def reference_array(value: object, argument: str) -> np.ndarray:
    """The author's ``value`` (an expected answer, a misconception) as a numpy array.

    Examples
    --------
    >>> reference_array([1, 2], "expected")
    array([1., 2.])

    Introduced in 01-limits.
    """
    if is_missing(value):
        raise CheckSetupError(argument, f"is {value!r}: give the reference value")
    with authored(argument, value):
        return as_array(value, argument)


def check_tolerances(rtol: object, atol: object) -> None:
    """Require ``rtol`` and ``atol`` to be finite numbers ``>= 0``.

    Examples
    --------
    >>> check_tolerances(1e-6, 0)
    >>> check_tolerances(1e-6, -1)
    Traceback (most recent call last):
    ...
    calclib.checking.authoring.CheckSetupError: Check setup error in `atol`: \
must be a finite number >= 0, got -1.
    This is a mistake in the exercise's test cell, not in your answer: please tell your instructor.

    Introduced in 01-limits.
    """
    for argument, value in (("rtol", rtol), ("atol", atol)):
        if not is_real_number(value) or not 0 <= float(value) < math.inf:  # type: ignore[arg-type]
            raise CheckSetupError(argument, f"must be a finite number >= 0, got {value!r}")
