"""What this kernel remembers about challenges: attempts, results, the challenge running now.

State lives in this module, so it lasts as long as the kernel (restart the kernel and it is
gone, like every other variable in the notebook).

Introduced in 01-limits.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


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


RECORDS: dict[str, Record] = {}
CHECK_COUNTS: list[int] = []  # one counter per challenge running now (innermost last)
TEST_FILES: list[str] = []  # the file of each running challenge's test cell (innermost last)
UNANSWERED_NAMES: dict[str, str] = {}  # a name reported undefined → the challenge that needs it


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
