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
from instructor_course import (
    answered_copy,
    autograde,
    instructor_api,
    new_course,
    submit,
    succeeded,
)

from grading.manual import main as manual_main

pytestmark = pytest.mark.slow

ASSIGNMENT = "01-limits"


def _manual(course: Path, *args: str, capsys: pytest.CaptureFixture | None = None):
    """``python -m grading.manual *args --course course``: (exit code, stdout, stderr).

    With ``capsys``, its ``main`` runs in this process (no interpreter and nbgrader start-up);
    without, the real command runs (the documented way, once in this test).
    """
    argv = [*args, "--course", str(course)]
    if capsys is None:
        done = subprocess.run(
            [sys.executable, "-m", "grading.manual", *argv],
            cwd=COURSE_ROOT,
            env=nbgrader_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr
    capsys.readouterr()
    code = manual_main(argv)
    out, err = capsys.readouterr()
    return code, out, err


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


def test_a_deleted_test_cell_is_flagged_then_scored_by_hand(tmp_path: Path, capsys) -> None:
    course = new_course(tmp_path / "course", COURSE_ROOT, [ASSIGNMENT])
    deleted, points = _last_test_cell(ASSIGNMENT)
    submit(course, "ana", ASSIGNMENT, answered_copy(ASSIGNMENT, delete=(deleted,)))
    autograde(course, ASSIGNMENT)

    code, listing, err = _manual(course, ASSIGNMENT, "ana", capsys=capsys)
    assert code == 0, err
    assert f"{deleted}  ({ASSIGNMENT}.ipynb)  no score yet, out of {points:g}" in listing
    assert "not in the submission" in listing

    # Mistakes are refused with what to do, and change nothing.
    code, _, err = _manual(course, ASSIGNMENT, "ana", deleted, str(points + 1), capsys=capsys)
    assert code == 2
    assert f"give a number from 0 to {points:g}" in err
    code, _, err = _manual(course, ASSIGNMENT, "ana", "q9-no-such-tests", "1", capsys=capsys)
    assert code == 2 and deleted in err
    code, _, err = _manual(course, ASSIGNMENT, "zoe", capsys=capsys)
    assert code == 2 and "by: ana" in err
    assert "no score yet" in _manual(course, ASSIGNMENT, "ana", capsys=capsys)[1]

    code, scored, err = _manual(course, ASSIGNMENT, "ana", deleted, str(points))
    assert code == 0, err
    assert "nothing is flagged" in _manual(course, ASSIGNMENT, "ana", capsys=capsys)[1]

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "ana")
        assert not submission.needs_manual_grade
        assert submission.score == submission.max_score, "the hand score did not count"
        total = submission.max_score
    assert f"total now {total:g} of {total:g}" in scored

    # Feedback regenerated as the Formgrader's Generate Feedback does (nbgrader's API).
    succeeded(instructor_api(course).generate_feedback(ASSIGNMENT, force=True))
    html = (course / "feedback" / "ana" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert f"Score: {total:g}" in html.replace(".0 ", " ").replace(".0<", "<"), "stale feedback"
