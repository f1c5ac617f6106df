"""Manual grading finishes: a submission flagged for a deleted test cell is scored by hand.

nbgrader flags the submission (the deleted cell has no score and no box in the Formgrader);
`python -m grading.manual` lists the flagged cell, refuses scores out of range and unknown cells,
and a valid score clears the flag and counts in the total and in regenerated feedback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COURSE_ROOT, nbgrader_env
from instructor_course import answered_copy, autograde, new_course, submit

pytestmark = pytest.mark.slow

ASSIGNMENT = "01-limits"


def _manual(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grading.manual", *args, "--course", str(course)],
        cwd=COURSE_ROOT,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _last_test_cell(assignment: str) -> tuple[str, float]:
    import nbformat

    notebook = nbformat.read(COURSE_ROOT / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    tests = [
        c.metadata["nbgrader"]
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]
    return tests[-1]["grade_id"], float(tests[-1]["points"])


def test_a_deleted_test_cell_is_flagged_then_scored_by_hand(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course", COURSE_ROOT, [ASSIGNMENT])
    deleted, points = _last_test_cell(ASSIGNMENT)
    submit(course, "ana", ASSIGNMENT, answered_copy(ASSIGNMENT, delete=(deleted,)))
    autograde(course, ASSIGNMENT)

    listing = _manual(course, ASSIGNMENT, "ana")
    assert listing.returncode == 0, listing.stderr
    assert f"{deleted}  ({ASSIGNMENT}.ipynb)  no score yet, out of {points:g}" in listing.stdout
    assert "not in the submission" in listing.stdout

    # Mistakes are refused with what to do, and change nothing.
    too_many = _manual(course, ASSIGNMENT, "ana", deleted, str(points + 1))
    assert too_many.returncode == 2
    assert f"give a number from 0 to {points:g}" in too_many.stderr
    unknown = _manual(course, ASSIGNMENT, "ana", "q9-no-such-tests", "1")
    assert unknown.returncode == 2 and deleted in unknown.stderr
    nobody = _manual(course, ASSIGNMENT, "zoe")
    assert nobody.returncode == 2 and "by: ana" in nobody.stderr
    assert "no score yet" in _manual(course, ASSIGNMENT, "ana").stdout

    scored = _manual(course, ASSIGNMENT, "ana", deleted, str(points))
    assert scored.returncode == 0, scored.stderr
    assert "nothing is flagged" in _manual(course, ASSIGNMENT, "ana").stdout

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "ana")
        assert not submission.needs_manual_grade
        assert submission.score == submission.max_score, "the hand score did not count"
        total = submission.max_score
    assert f"total now {total:g} of {total:g}" in scored.stdout

    feedback = subprocess.run(
        ["nbgrader", "generate_feedback", ASSIGNMENT, "--force"],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert feedback.returncode == 0, feedback.stderr
    html = (course / "feedback" / "ana" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert f"Score: {total:g}" in html.replace(".0 ", " ").replace(".0<", "<"), "stale feedback"
