"""The ``challenge`` context manager every graded test cell runs its checks in.

On failure it names the challenge, reveals the next hint of the ladder (one more per failed
attempt in this kernel) and records the result. Under nbgrader (and in plain Python) it then
raises, so the cell scores 0; in a student's own Jupyter kernel it prints the message and lets
the cell finish, so that Run All reaches the end of the notebook (see :func:`grading_mode`). On
success it prints one line to stdout. Errors that are not check failures (a name not defined
because the answer is not written yet, an exception in the student's code, a syntax error that
stopped the answer cell) become a :class:`CheckFailure` that says what to do. A
:class:`~calclib.checking.failures.CheckSetupError` (a mistake in the test cell itself) goes
through unchanged, without a hint: it is not the student's mistake.

A challenge with several parts gives partial credit: each ``part`` catches its own failure and
prints it, the challenge prints a summary, and the cell's last line ``q.score`` is the points
earned, which nbgrader 0.9.6 takes as the cell's partial grade (``determine_grade`` reads the
first ``execute_result`` that parses as a float; the cell must not raise).

What this kernel remembers about challenges (attempts, results, the challenge running now)
lives in this module (:data:`RECORDS`), so it lasts as long as the kernel: restart the
kernel and it is gone, like every other variable in the notebook.

Introduced in 01-limits.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from calclib.checking.failures import (
    FAIL_MARK,
    PASS_MARK,
    TEST_FILES,
    CheckFailure,
    CheckSetupError,
    describe_error,
    from_student,
    last_user_frame,
    student_line,
    wrap,
)
from calclib.checking.unanswered import (
    NONE_NOTE,
    NOT_ANSWERED,
    PRINT_GIVES_NONE,
    not_answered,
    previous_cell,
)
from calclib.checking.values import is_real_number

if TYPE_CHECKING:
    from typing_extensions import Self

RECORDS: dict[str, Record] = {}
CHECK_COUNTS: list[int] = []  # one counter per challenge running now (innermost last)
UNANSWERED_NAMES: dict[str, str] = {}  # a name reported undefined → the challenge that needs it
GRADING_RUNS = frozenset({"autograde", "validate"})

# Read once, when the notebook imports calclib: an answer cell that deletes the variable
# later does not turn grading off.
_GRADING_AT_IMPORT = os.environ.get("NBGRADER_EXECUTION") in GRADING_RUNS


@dataclass
class Record:
    """The latest result of one challenge in this kernel.

    Attributes
    ----------
    challenge_id : str
        The challenge (by convention the nbgrader grade id of its test cell).
    attempts : int
        How many times the test cell ran.
    failures : int
        How many of those runs failed (the hint ladder shows hint number ``failures``).
    passed : bool
        Whether the latest run passed completely.
    earned, total : float or None
        Points of the latest run, for challenges scored part by part.
    last_run : int or None
        The IPython execution count of the latest run: several ``with challenge(...)``
        blocks in one cell (visible, then hidden checks) count as one attempt.
    failed_in_run : bool
        Whether a block of the latest run failed.
    answered : bool
        False while the latest run found the answer not written yet.
    """

    challenge_id: str
    attempts: int = 0
    failures: int = 0
    passed: bool = False
    earned: float | None = None
    total: float | None = None
    last_run: int | None = None
    failed_in_run: bool = False
    answered: bool = True


def current_run() -> int | None:
    """The execution count of the running IPython cell, or ``None`` outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return None if shell is None else int(shell.execution_count)


def record(challenge_id: str) -> Record:
    """The record of ``challenge_id``, created on first use."""
    return RECORDS.setdefault(challenge_id, Record(challenge_id))


def count_check() -> None:
    """Called by every check so the running challenge can say how many passed."""
    if CHECK_COUNTS:
        CHECK_COUNTS[-1] += 1


def forget() -> None:
    """Forget every challenge (tests use this; students restart the kernel)."""
    RECORDS.clear()
    CHECK_COUNTS.clear()
    TEST_FILES.clear()
    UNANSWERED_NAMES.clear()


def grading_mode() -> bool:
    """True when a failed check must raise: under nbgrader, and in plain Python.

    nbgrader sets ``NBGRADER_EXECUTION`` to ``autograde`` or ``validate`` in the environment of
    the kernel it grades in (``nbgrader/converters/autograde.py``, ``nbgrader/validator.py``):
    there a failed check raises, and the cell scores 0. Plain Python (pytest, a grader process)
    raises too. In a student's own Jupyter kernel a failure is printed instead, and the cell
    finishes, so that Run All reaches the end of the notebook.

    Examples
    --------
    >>> grading_mode()  # doctests run in plain Python
    True

    Introduced in 01-limits.
    """
    if _GRADING_AT_IMPORT or os.environ.get("NBGRADER_EXECUTION") in GRADING_RUNS:
        return True
    ipython = sys.modules.get("IPython")
    return ipython is None or ipython.get_ipython() is None


def _raised_in_test_cell(exc: BaseException) -> bool:
    """True if ``exc`` came from the running test cell itself, not from a student's function."""
    frame = last_user_frame(exc)
    return frame is None or frame.filename in TEST_FILES


def _undefined(exc: NameError, challenge_id: str | None) -> CheckFailure:
    """A name the test cell needs is not defined: the answer is not written (or not run) yet."""
    name = str(getattr(exc, "name", None) or "your answer")
    failure = CheckFailure(f"Not answered yet: `{name}` is not defined yet.")
    failure.add("What to do", NOT_ANSWERED)
    owner = UNANSWERED_NAMES.setdefault(name, challenge_id or "")
    if owner and owner != challenge_id:
        failure.add("Depends on", f"`{name}` is the answer to {owner}: answer that challenge first")
    return failure


def as_failure(exc: BaseException, challenge_id: str | None = None) -> CheckFailure:
    """The :class:`CheckFailure` that explains ``exc`` to a student.

    Examples
    --------
    >>> print(as_failure(NameError("name 'slope' is not defined", name="slope")))
    ✗ Not answered yet: `slope` is not defined yet.
      What to do:  Write your answer in the answer cell above, in place of the `pass` under
                   YOUR CODE HERE; run that cell, then run this one again.
    >>> print(as_failure(NotImplementedError("`topo_sort` still has `pass`")).headline)
    Not answered yet: `topo_sort` still has `pass`.

    Introduced in 01-limits.
    """
    if isinstance(exc, CheckFailure):
        return exc
    if isinstance(exc, NotImplementedError):  # the stub's, or a test cell's "not written yet"
        return not_answered(describe_error(exc, with_type=False) or "this challenge")
    if isinstance(exc, NameError) and _raised_in_test_cell(exc):
        return _undefined(exc, challenge_id)
    if isinstance(exc, AssertionError) and _raised_in_test_cell(exc):
        text = describe_error(exc, with_type=False)
        return CheckFailure(f"A check failed: {text}" if text else "A check failed.")
    line = student_line(exc)
    if line is None:
        failure = CheckFailure(f"The test cell could not use your answer: {describe_error(exc)}")
    else:
        failure = CheckFailure(f"Your code raised {describe_error(exc)}")
        failure.add("Where", line)
    if "NoneType" in describe_error(exc):
        failure.add("Why None", NONE_NOTE)
    if isinstance(exc, SystemExit):
        failure.add("What to do", "exit() and sys.exit() stop the program: return a value instead")
    return failure


def _explain_with_answer_cell(failure: CheckFailure) -> None:
    """Add what the answer cell run just before tells: it did not run, or is not written yet."""
    cell = previous_cell()
    if cell.syntax_error:
        failure.details.insert(
            0, ("Answer cell", f"Python could not run the cell above ({cell.syntax_error})")
        )
        if "indented block" in cell.syntax_error:
            body = "a def needs a body: keep `pass` under # YOUR CODE HERE, or write your code"
            failure.details.insert(1, ("What to do", body))
    elif cell.raised and failure.headline.startswith("Not answered yet"):
        said = failure.headline.removeprefix("Not answered yet: ")
        failure.headline = f"The cell run before this one stopped with {cell.raised}."
        failure.details = [(k, v) for k, v in failure.details if k != "What to do"]
        failure.details.insert(0, ("The check said", said))
        failure.add("What to do", "fix that error in the answer cell, run it, then run this again")
    elif cell.placeholders and not failure.headline.startswith("Not answered yet"):
        where = ", ".join(cell.placeholders)
        failure.details.insert(0, ("The check said", failure.headline))
        failure.headline = (
            f"Not answered yet: the cell above still has `pass` under # YOUR CODE HERE ({where})."
        )
    if cell.printed and "None" in failure.message:
        names = ", ".join(f"`{name}`" for name in cell.printed)
        failure.add("Why None", f"{names} = print(...): {PRINT_GIVES_NONE}")
    failure.args = (failure.message,)


class Challenge:
    """One graded challenge: run its checks inside ``with challenge(...) as q:``.

    Use :func:`challenge` to make one. ``q.part(name, points)`` scores parts separately and
    ``q.score`` is the points earned by the parts.

    Examples
    --------
    >>> q = Challenge("doc-class", hints=["Read the table."])
    >>> q.challenge_id, q.hints
    ('doc-class', ['Read the table.'])

    Introduced in 01-limits.
    """

    def __init__(
        self,
        challenge_id: str,
        hints: Sequence[str] = (),
        points: float | None = None,
        depends_on: Sequence[str] = (),
    ) -> None:
        if not isinstance(challenge_id, str) or not challenge_id:
            problem = f"must be a non-empty string such as 'q1-limit-value', got {challenge_id!r}"
            raise CheckSetupError("challenge_id", problem)
        if isinstance(hints, str) or not all(isinstance(hint, str) for hint in hints):
            raise CheckSetupError("hints", f"give a list of strings, got {hints!r}")
        if points is not None and not (is_real_number(points) and points > 0):
            problem = f"must be positive (the test cell's points), got {points!r}"
            raise CheckSetupError("points", problem)
        if isinstance(depends_on, str) or not all(isinstance(d, str) for d in depends_on):
            raise CheckSetupError("depends_on", f"give a list of challenge ids, got {depends_on!r}")
        self.challenge_id = challenge_id
        self.hints = list(hints)
        self.points = points
        self.depends_on = list(depends_on)
        self.earned = 0.0
        self.total = 0.0
        self.n_parts = 0
        self.failed_parts: list[str] = []

    def _next_hint(self, failures: int) -> tuple[str, str] | None:
        if not self.hints:
            return None
        k = min(failures, len(self.hints))
        return f"Hint {k} of {len(self.hints)}", wrap(self.hints[k - 1])

    @contextmanager
    def part(self, name: str, points: float = 1.0) -> Iterator[None]:
        """Score one part: a failure inside is printed (stdout) instead of raised.

        Parameters
        ----------
        name : str
            The part as the summary should name it, e.g. ``"f'(0)"``.
        points : float
            Points for this part. If the challenge has ``points``, the parts' points are
            weights, scaled so that all parts together earn the challenge's points.

        Introduced in 01-limits.
        """
        if not (is_real_number(points) and points > 0):
            raise CheckSetupError("points", f"a part's points must be positive, got {points!r}")
        self.total += points
        self.n_parts += 1
        try:
            yield
        except CheckSetupError:
            raise  # the test cell is wrong: stop, whatever the parts
        except Exception as exc:  # noqa: BLE001 - any error in a part fails only that part
            failure = as_failure(exc, self.challenge_id)
            failure.headline = f"part {name!r}: {failure.headline}"
            print(failure.message)
            self.failed_parts.append(name)
        else:
            self.earned += points

    @property
    def max_score(self) -> float:
        """The points all parts together earn: the challenge's ``points``, or the parts' sum."""
        return float(self.total if self.points is None else self.points)

    @property
    def score(self) -> float:
        """Points earned by the parts that passed (end a partial-credit cell with this).

        nbgrader takes it as the cell's grade; it never exceeds :attr:`max_score`.
        """
        if not self.n_parts:
            raise CheckSetupError(
                "q.score",
                "score adds up parts: run the checks in `with q.part(name, points):` blocks, "
                "or leave out q.score (a cell without parts scores all or nothing)",
            )
        return self.max_score * self.earned / self.total

    def __enter__(self) -> Self:
        rec = record(self.challenge_id)
        run = current_run()
        if run is None or run != rec.last_run:  # a new attempt (not a second block of one cell)
            rec.attempts += 1
            rec.last_run, rec.failed_in_run = run, False
        CHECK_COUNTS.append(0)
        TEST_FILES.append(sys._getframe(1).f_code.co_filename)  # the test cell's own lines
        self.earned, self.total, self.n_parts, self.failed_parts = 0.0, 0.0, 0, []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        try:
            failure = self._finish(exc)
        finally:
            if CHECK_COUNTS:
                CHECK_COUNTS.pop()
            if TEST_FILES:
                TEST_FILES.pop()
        if failure is None:
            return False
        if grading_mode():
            if failure is exc:
                return False  # raised again as it is
            raise failure from exc
        print(str(failure))  # the student's own Jupyter: show it, and let Run All go on
        return True

    def _finish(self, exc: BaseException | None) -> BaseException | None:
        """Record the result; the exception to raise (grading) or print (Jupyter), or None."""
        n_checks = CHECK_COUNTS[-1] if CHECK_COUNTS else 0
        if isinstance(exc, KeyboardInterrupt) or (exc is not None and not from_student(exc)):
            raise exc  # the stop button, or the grader's own abort: not the student's failure
        rec = record(self.challenge_id)
        if isinstance(exc, CheckSetupError):
            rec.passed = False
            return exc  # the test cell's own mistake: no hint, no blame, shown as it is
        rec.earned, rec.total = (self.score, self.max_score) if self.n_parts else (None, None)
        rec.passed = exc is None and not self.failed_parts and not rec.failed_in_run
        rec.answered = True
        if exc is None and not self.failed_parts:
            print(f"{PASS_MARK} {self.challenge_id}: {self._summary(n_checks)}")
            return None
        if not rec.failed_in_run:
            rec.failures += 1
            rec.failed_in_run = True
        hint = self._next_hint(rec.failures)
        if exc is None:
            print(f"{FAIL_MARK} {self.challenge_id}: {self._parts_passed()}")
            if hint:
                print(f"  {hint[0]}: {hint[1]}".replace("\n", "\n" + " " * (len(hint[0]) + 4)))
            return None
        failure = as_failure(exc, self.challenge_id)
        _explain_with_answer_cell(failure)
        rec.answered = not failure.headline.startswith("Not answered yet")
        failure.set_challenge(self.challenge_id)
        for dependency in self.depends_on:
            earlier = RECORDS.get(dependency)
            if earlier is None or not earlier.passed:
                state = "does not pass yet" if earlier and earlier.attempts else "has not run yet"
                failure.add("Depends on", f"{dependency}, which {state}: fix that one first")
        if hint:
            failure.add(*hint)
        return failure

    def _summary(self, n_checks: int) -> str:
        if self.n_parts:
            return self._parts_passed()
        return f"passed ({n_checks} check{'s' if n_checks != 1 else ''})."

    def _parts_passed(self) -> str:
        n_passed = self.n_parts - len(self.failed_parts)
        points = f"{self.score:.3g} of {self.max_score:g} point{'s' if self.max_score != 1 else ''}"
        return f"{n_passed} of {self.n_parts} parts pass ({points})."


def challenge(
    challenge_id: str,
    hints: Sequence[str] = (),
    *,
    points: float | None = None,
    depends_on: Sequence[str] = (),
) -> Challenge:
    """Run a graded challenge's checks with a hint ladder, a success line and progress.

    Parameters
    ----------
    challenge_id : str
        A stable id, by convention the grade ids' stem: ``"q1-limit-value"`` for the cells
        ``q1-limit-value-answer`` and ``q1-limit-value-tests``.
    hints : sequence of str
        The hint ladder: the first failed attempt shows hint 1, the next hint 2, and so on;
        after the last, the last hint keeps showing.
    points : float, optional
        The test cell's points, for a challenge scored part by part: ``q.score`` is then
        scaled to at most ``points`` (nbgrader rejects a partial grade above the cell's
        points). Without it, the score is the sum of the passed parts' points.

    depends_on : sequence of str
        Challenges whose answers this one builds on: when this one fails while one of them
        does not pass yet, the message says so.

    Returns
    -------
    Challenge
        A context manager; ``with challenge(...) as q:`` gives ``q.part`` and ``q.score``.

    Examples
    --------
    >>> from calclib.checking import check_number
    >>> with challenge("doc-limit", hints=["Read the table."]):
    ...     check_number(2.0, 2)
    ✓ doc-limit: passed (1 check).

    Partial credit: the cell's last line is the score, which nbgrader takes as its grade.

    >>> with challenge("doc-parts", points=3) as q:
    ...     with q.part("f(0)"):
    ...         check_number(0.0, 0)
    ...     with q.part("f(1)", points=2):
    ...         check_number(1.0, 1)
    ✓ doc-parts: 2 of 2 parts pass (3 of 3 points).
    >>> q.score
    3.0

    Introduced in 01-limits.
    """
    return Challenge(challenge_id, hints, points, depends_on)
