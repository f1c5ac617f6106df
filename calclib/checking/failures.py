"""What goes wrong in a check, and how it is told: to the student, or to the test cell's author.

A :class:`CheckFailure` is an ``AssertionError``, so nbgrader scores a test cell that raises one
as 0. In IPython and Jupyter it is shown as its message alone, without a traceback: IPython
calls an exception's ``_render_traceback_`` method, when it has one, to get the lines it
displays (the error output keeps ``output_type == "error"``, which is what nbgrader looks for).
In plain Python it is an ordinary exception with an ordinary traceback.

Every argument of a check except the answer is written by the exercise's author: the expected
value or reference, the domain, the tolerances, the misconceptions. When one of them is wrong,
the check raises :class:`CheckSetupError` naming that argument. It is not an ``AssertionError``,
so it never reads as a wrong answer, and ``challenge`` passes it on without a hint and without
blaming the student (nbgrader still scores the cell 0, as for any error). Errors raised while
the student's own object is evaluated (their function called, their formula read) stay the
student's: they become a :class:`CheckFailure`.

The last line of defence of every public check is :func:`judging`: an error nobody foresaw (an
exception from deep inside numpy or sympy) becomes a failure that says the checker could not
judge the answer and that this may not be the student's mistake, instead of a traceback. The
property tests (tests/test_checking_properties.py) assert that this message never appears: each
time it does, a reader is missing.

Introduced in 01-limits.
"""

from __future__ import annotations

import math
import sysconfig
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from calclib.checking.timeout import OutOfTime, time_limit

PASS_MARK = "✓"
FAIL_MARK = "✗"

# Frames from these places are library code, not the student's.
_LIBRARY_DIRS = (
    str(Path(__file__).resolve().parents[1]),
    sysconfig.get_paths()["stdlib"],
    sysconfig.get_paths()["purelib"],
    sysconfig.get_paths()["platlib"],
)
_VALUES = ("You gave", "Expected", "Your value", "Expected value")  # never re-wrapped
TEST_FILES: list[str] = []  # the file of each running challenge's test cell (innermost last)
NOT_YOUR_ANSWER = (
    "This is a mistake in the exercise's test cell, not in your answer: "
    "please tell your instructor."
)
COULD_NOT_JUDGE = "The checker could not judge"


def wrap(text: str, width: int = 72) -> str:
    """Break prose into lines of at most ``width`` characters, joined by newlines.

    Examples
    --------
    >>> print(wrap("one two three", width=8))
    one two
    three

    Introduced in 01-limits.
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _text_of(value: object) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.10g}"
        return text if any(c in text for c in ".eni") else text + ".0"
    if isinstance(value, np.ndarray):
        # The precision of a float above: two arrays that differ must not print alike.
        return np.array2string(value, precision=10, max_line_width=10_000, threshold=20)
    if type(value) is int and abs(value) > 10**20:
        if abs(value) < 10**300:
            return f"{float(value):.10g}"
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    return repr(value)


def short(value: object, width: int = 70) -> str:
    """A one-line description of a value for a message, cut to ``width`` characters.

    Numbers show 10 significant digits; arrays use numpy's printing with 6 digits.

    Examples
    --------
    >>> short(0.1 + 0.2)
    '0.3'
    >>> short(np.array([1.0, 2.0]))
    '[1. 2.]'

    Introduced in 01-limits.
    """
    try:
        with time_limit(1.0):
            text = _text_of(value)
    except (Exception, OutOfTime):  # noqa: BLE001 - a student's __repr__ may raise or hang
        text = f"<a {type(value).__name__} object that cannot be shown>"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class CheckFailure(AssertionError):
    """A check did not pass; the message says what was checked and what to do.

    The message has a headline, then labelled lines::

        ✗ <what> is not right yet.
          You gave:       <the student's value>
          Expected:       <the reference, unless the check is hidden>
          Likely mistake: <a named misconception, when one matches>
          Hint 1 of 3:    <added by ``challenge`` on a failed attempt>

    Parameters
    ----------
    headline : str
        One sentence saying what is wrong, e.g. ``"f'(2) is not right yet."``.
    details : list of (str, str), optional
        Labelled lines shown under the headline, in order.

    Examples
    --------
    >>> failure = CheckFailure("f'(2) is not right yet.", [("You gave", "6.0")])
    >>> print(failure)
    ✗ f'(2) is not right yet.
      You gave:  6.0
    >>> isinstance(failure, AssertionError)
    True

    Introduced in 01-limits.
    """

    def __init__(self, headline: str, details: list[tuple[str, str]] | None = None) -> None:
        self.headline = headline
        self.details: list[tuple[str, str]] = list(details or [])
        self.challenge_id: str | None = None
        super().__init__(self.message)

    def add(self, label: str, text: str) -> None:
        """Append a labelled line (e.g. a hint) and refresh the message.

        Examples
        --------
        >>> failure = CheckFailure("x is not right yet.")
        >>> failure.add("Hint 1 of 2", "Look at the table above.")
        >>> print(failure)
        ✗ x is not right yet.
          Hint 1 of 2:  Look at the table above.

        Introduced in 01-limits.
        """
        self.details.append((label, text))
        self.args = (self.message,)

    def set_challenge(self, challenge_id: str) -> None:
        """Name the challenge in the headline (``challenge`` does this)."""
        self.challenge_id = challenge_id
        self.args = (self.message,)

    @property
    def message(self) -> str:
        """The full text shown to the student."""
        prefix = f"{self.challenge_id}: " if self.challenge_id else ""
        lines = [f"{FAIL_MARK} {prefix}{self.headline}"]
        width = max((len(label) for label, _ in self.details), default=0) + 2
        for label, text in self.details:
            indent = " " * (2 + width + 1)
            if label not in _VALUES and "\n" not in text:
                text = wrap(text)
            body = text.replace("\n", "\n" + indent)
            lines.append(f"  {label + ':':<{width}} {body}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message

    def _render_traceback_(self) -> list[str]:
        """Lines IPython shows instead of a traceback (one string per line)."""
        return self.message.split("\n")


def last_user_frame(
    exc: BaseException, skip: tuple[str, ...] = ()
) -> traceback.FrameSummary | None:
    """The last frame of ``exc``'s traceback outside calclib, the standard library and packages.

    That is the line of the notebook (or of a function defined in it) that was running.
    Frames of the files in ``skip`` (the running test cell) are passed over too.

    Introduced in 01-limits.
    """
    try:
        summary = traceback.extract_tb(exc.__traceback__)
    except Exception:  # noqa: BLE001 - a traceback that cannot be read names no line
        return None
    frames = [
        frame
        for frame in summary
        if not frame.filename.startswith(_LIBRARY_DIRS) and frame.filename not in skip
    ]
    return frames[-1] if frames and frames[-1].line else None


def student_line(exc: BaseException) -> str | None:
    """The last line of the student's code in ``exc``'s traceback, e.g. ``"in f: return 1 / x"``.

    Frames in calclib, the standard library, installed packages and the running test cell
    are skipped: a line shown is always one the student wrote.

    Introduced in 01-limits.
    """
    frame = last_user_frame(exc, tuple(TEST_FILES))
    if frame is None:
        return None
    where = "your answer cell" if frame.name == "<module>" else frame.name
    return f"in {where}: {frame.line}"


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
    calclib.checking.failures.CheckSetupError: Check setup error in `expected`: \
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


def from_student(exc: BaseException) -> bool:
    """True for what a student's code may raise and a check must report: any ``Exception`` and
    Python's own ``BaseException`` kinds (``SystemExit``, ``KeyboardInterrupt``, ``BaseException``).

    Other ``BaseException`` subclasses belong to the machinery around the checks (a grader's
    abort, a test runner's exit) and pass through.

    Examples
    --------
    >>> from_student(ZeroDivisionError()), from_student(SystemExit()), from_student(OutOfTime())
    (True, True, False)

    Introduced in 01-limits.
    """
    return isinstance(exc, Exception) or type(exc).__module__ == "builtins"


def describe_error(exc: BaseException, with_type: bool = True) -> str:
    """``"ZeroDivisionError: division by zero"``, even for an exception whose ``str`` raises.

    Examples
    --------
    >>> describe_error(ValueError("bad"))
    'ValueError: bad'

    Introduced in 01-limits.
    """
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a student's exception class may break its own str()
        text = "(its message could not be shown)"
    text = " ".join(text.split())[:300]
    if not with_type:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextmanager
def judging(name: object) -> Iterator[None]:
    """Run a check's body; an unforeseen error becomes a :class:`CheckFailure` that says so.

    ``CheckFailure`` and ``CheckSetupError`` pass unchanged, and so do ``KeyboardInterrupt``
    (the stop button) and ``OutOfTime`` (an outer time limit).

    Examples
    --------
    >>> with judging("your answer"):
    ...     raise KeyError("ComplexInfinity")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ The checker could not judge your answer \
(KeyError: 'ComplexInfinity').
      Note:  this may be a gap in the checker, not a mistake of yours: if your answer looks
             right, tell your instructor.

    Introduced in 01-limits.
    """
    try:
        yield
    except (CheckFailure, CheckSetupError, KeyboardInterrupt, OutOfTime):
        raise
    except RecursionError:
        raise CheckFailure(
            f"{name} nests too deeply to be checked (a structure that contains itself?)."
        ) from None
    except BaseException as exc:  # the point: nothing raw reaches the student
        if not from_student(exc):
            raise  # a grader's own abort, a test runner's exit
        note = (
            "this may be a gap in the checker, not a mistake of yours: "
            "if your answer looks right, tell your instructor."
        )
        raise CheckFailure(
            f"{COULD_NOT_JUDGE} {name} ({describe_error(exc)}).", [("Note", note)]
        ) from exc
