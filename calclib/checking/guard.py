"""The last line of defence of every public check: no internal error reaches a student raw.

Each check reads the student's answer through code written for it (values, parsing, calling),
which turns every known problem into a :class:`~calclib.checking.failures.CheckFailure`. Should
an object still slip through in a way nobody foresaw (an exception from deep inside numpy or
sympy), :func:`judging` turns it into a failure that says the checker could not judge the answer
and that this may not be the student's mistake, instead of a traceback. The property tests
(tests/test_checking_properties.py) assert that this message never appears: each time it does,
a reader is missing.

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from calclib.checking.authoring import CheckSetupError
from calclib.checking.failures import CheckFailure
from calclib.checking.timeout import OutOfTime
from calclib.checking.values import describe_error, from_student

COULD_NOT_JUDGE = "The checker could not judge"


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
