"""The ``challenge`` context manager every graded test cell runs its checks in.

On failure it names the challenge, reveals the next hint of the ladder (one more per failed
attempt in this kernel), records the result and re-raises, so nbgrader scores the cell 0. On
success it prints one line to stdout. Errors that are not check failures (a name that is not
defined because the answer cell was not run, ``NotImplementedError`` from nbgrader's stub, an
exception in the student's code) become a :class:`CheckFailure` that says what to do. A
:class:`~calclib.checking.authoring.CheckSetupError` (a mistake in the test cell itself) goes
through unchanged, without a hint: it is not the student's mistake.

A challenge with several parts gives partial credit: each ``part`` catches its own failure and
prints it, the challenge prints a summary, and the cell's last line ``q.score`` is the points
earned, which nbgrader 0.9.6 takes as the cell's partial grade (``determine_grade`` reads the
first ``execute_result`` that parses as a float; the cell must not raise).

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from calclib.checking.authoring import CheckSetupError
from calclib.checking.failures import FAIL_MARK, PASS_MARK, CheckFailure, student_line, wrap
from calclib.checking.registry import CHECK_COUNTS, current_run, record
from calclib.checking.values import is_real_number, not_answered

if TYPE_CHECKING:
    from typing_extensions import Self

RUN_FIRST = (
    "Run the answer cell above (and the cells before it) first. If it still says "
    "`raise NotImplementedError()`, replace that line with your answer."
)


def as_failure(exc: Exception) -> CheckFailure:
    """The :class:`CheckFailure` that explains ``exc`` to a student.

    Examples
    --------
    >>> print(as_failure(NameError("name 'slope' is not defined", name="slope")))
    ✗ `slope` is not defined yet.
      What to do:  Run the answer cell above (and the cells before it) first. If it still
                   says `raise NotImplementedError()`, replace that line with your answer.

    Introduced in 01-limits.
    """
    if isinstance(exc, CheckFailure):
        return exc
    if isinstance(exc, NotImplementedError):
        return not_answered("this challenge")
    if isinstance(exc, NameError):
        return CheckFailure(f"`{exc.name}` is not defined yet.", [("What to do", RUN_FIRST)])
    if isinstance(exc, AssertionError):
        return CheckFailure(f"A check failed: {exc}" if str(exc) else "A check failed.")
    failure = CheckFailure(f"Your code raised {type(exc).__name__}: {exc}")
    line = student_line(exc)
    if line:
        failure.add("Where", line)
    return failure


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
        self, challenge_id: str, hints: Sequence[str] = (), points: float | None = None
    ) -> None:
        if not isinstance(challenge_id, str) or not challenge_id:
            problem = f"must be a non-empty string such as 'q1-limit-value', got {challenge_id!r}"
            raise CheckSetupError("challenge_id", problem)
        if isinstance(hints, str) or not all(isinstance(hint, str) for hint in hints):
            raise CheckSetupError("hints", f"give a list of strings, got {hints!r}")
        if points is not None and not (is_real_number(points) and points > 0):
            problem = f"must be positive (the test cell's points), got {points!r}"
            raise CheckSetupError("points", problem)
        self.challenge_id = challenge_id
        self.hints = list(hints)
        self.points = points
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
            failure = as_failure(exc)
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
        self.earned, self.total, self.n_parts, self.failed_parts = 0.0, 0.0, 0, []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        n_checks = CHECK_COUNTS.pop() if CHECK_COUNTS else 0
        if exc is not None and not isinstance(exc, Exception):
            return  # KeyboardInterrupt and the like pass through untouched
        rec = record(self.challenge_id)
        if isinstance(exc, CheckSetupError):
            rec.passed = False
            return  # the test cell's own mistake: no hint, no blame, shown as it is
        rec.earned, rec.total = (self.score, self.max_score) if self.n_parts else (None, None)
        rec.passed = exc is None and not self.failed_parts and not rec.failed_in_run
        if exc is None and not self.failed_parts:
            print(f"{PASS_MARK} {self.challenge_id}: {self._summary(n_checks)}")
            return
        if not rec.failed_in_run:
            rec.failures += 1
            rec.failed_in_run = True
        hint = self._next_hint(rec.failures)
        if exc is None:
            print(f"{FAIL_MARK} {self.challenge_id}: {self._parts_passed()}")
            if hint:
                print(f"  {hint[0]}: {hint[1]}".replace("\n", "\n" + " " * (len(hint[0]) + 4)))
            return
        failure = as_failure(exc)
        failure.set_challenge(self.challenge_id)
        if hint:
            failure.add(*hint)
        if failure is exc:
            return
        raise failure from exc

    def _summary(self, n_checks: int) -> str:
        if self.n_parts:
            return self._parts_passed()
        return f"passed ({n_checks} check{'s' if n_checks != 1 else ''})."

    def _parts_passed(self) -> str:
        n_passed = self.n_parts - len(self.failed_parts)
        points = f"{self.score:.3g} of {self.max_score:g} point{'s' if self.max_score != 1 else ''}"
        return f"{n_passed} of {self.n_parts} parts pass ({points})."


def challenge(
    challenge_id: str, hints: Sequence[str] = (), *, points: float | None = None
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
    return Challenge(challenge_id, hints, points)
