"""The instructor's grading flow, end to end, on a synthetic class.

A scratch copy of the course receives six synthetic students per assignment (see
synthetic_class/classroom.py); scripts/grade_class.py then runs the real nbgrader CLI (autograde,
generate_feedback, export) against its SQLite gradebook, and we check every score, the feedback,
and that edited test cells were put back.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS, COURSE_ROOT, nbgrader_env
from nbgrader.api import Gradebook
from synthetic_class.classroom import (
    STUDENTS,
    answers_module,
    new_course,
    place_class,
    questions,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory) -> tuple[Path, dict[str, dict[str, float]]]:
    course = new_course(tmp_path_factory.mktemp("class"), COURSE_ROOT, ASSIGNMENTS)
    expected = {assignment: place_class(course, assignment) for assignment in ASSIGNMENTS}
    # Scores are the point here; test_grading_sandbox.py covers the sandbox (and needs bwrap).
    unconfined = [] if shutil.which("bwrap") else ["--no-sandbox"]
    done = subprocess.run(
        [sys.executable, str(COURSE_ROOT / "scripts" / "grade_class.py"), "--course", str(course)]
        + unconfined,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return course, expected


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_synthetic_student_gets_the_expected_score(graded_class, assignment):
    course, expected = graded_class
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {
            student: gradebook.find_submission(assignment, student).score for student in STUDENTS
        }
    assert scores == pytest.approx(expected[assignment]), (
        f"{assignment}: nbgrader gave {scores}, expected {expected[assignment]}"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_teaches_and_hides_the_hidden_tests(graded_class, assignment):
    course, _ = graded_class
    feedback = course / "feedback" / "misconception" / assignment / f"{assignment}.html"
    html = " ".join(feedback.read_text().split())  # messages wrap: compare words, not lines
    for message in answers_module(assignment).MISCONCEPTION_FEEDBACK:
        assert " ".join(message.split()) in html, (
            f"{assignment}: feedback lacks the teaching message {message!r}"
        )
    assert "BEGIN HIDDEN TESTS" not in html


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_edited_test_cells_are_restored_before_grading(graded_class, assignment):
    """The tamperer's `pass` cells were replaced by the instructor's tests, hidden ones included."""
    course, _ = graded_class
    solution = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", 4)
    graded = nbformat.read(
        course / "autograded" / "tamperer" / assignment / f"{assignment}.ipynb", 4
    )
    test_ids = {q.test_id for q in questions(solution)}

    def test_cells(nb: nbformat.NotebookNode) -> dict[str, str]:
        return {
            c.metadata.nbgrader["grade_id"]: c.source.strip()
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id") in test_ids
        }

    assert test_cells(graded) == test_cells(solution)


def test_export_lists_every_student_and_assignment(graded_class):
    course, expected = graded_class
    with (course / "grades.csv").open() as f:
        rows = list(csv.DictReader(f))
    graded = {(row["assignment"], row["student_id"]): float(row["score"]) for row in rows}
    assert graded == {
        (assignment, student): pytest.approx(score)
        for assignment, scores in expected.items()
        for student, score in scores.items()
    }
