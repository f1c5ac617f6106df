"""The course exchange end to end, with the real nbgrader CLI and two student accounts.

An instructor (root here) creates the exchange with `make exchange`, releases 01-limits and
students fetch it, answer and submit from their own HOMEs: bob on time, then again (a
resubmission, collected with ``--update``); ana after the due date (late). The instructor collects,
autogrades, generates and releases feedback, and each student fetches their own feedback only.
The students run the real ``nbgrader`` command; the instructor's steps other than autograde go
through nbgrader's Python API in the test process, as the Formgrader's buttons do (the same
exchange code; test_instructor_day.py runs them as commands).

Where the test runs as root with ``useradd`` available, the students are real system users: each
nbgrader command runs in a process that has dropped to the student's uid and gid, so the exchange's
permissions are enforced by the kernel as on a shared JupyterHub (a student cannot list the inbox
or read another's feedback). Elsewhere the students are separate HOMEs and ``USER`` names under the
one account, which still exercises the whole flow but not the permissions.
"""

from __future__ import annotations

import datetime
import re
import shutil
import stat
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT, nbgrader_env
from exchange_accounts import COURSE_ID, Student, new_exchange, student_accounts
from instructor_course import instructor_api, succeeded
from synthetic_class.classroom import new_course

pytestmark = pytest.mark.slow

ASSIGNMENT = "01-limits"


@pytest.fixture
def exchange_root() -> Iterator[Path]:
    """A fresh exchange made by `make exchange`, outside pytest's root-only tmp folders."""
    with new_exchange() as root:
        yield root


@pytest.fixture
def students(exchange_root: Path) -> Iterator[dict[str, Student]]:
    """ana and bob, each with a HOME of their own and the student-side nbgrader config."""
    with student_accounts(exchange_root) as accounts:
        yield accounts


def _instructor(course: Path, exchange_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(nbgrader_env(), NBGRADER_EXCHANGE=str(exchange_root))
    if not shutil.which("bwrap"):
        env["GRADING_SANDBOX"] = "off"  # the sandbox's own tests say why it is missing
    command = ["nbgrader", *args]
    done = subprocess.run(
        command, cwd=course, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)}\n{done.stdout}{done.stderr}"
    return done


def _answer(student: Student, marker: str) -> None:
    """The student fills every answer cell with the solution's code, plus a marker comment."""
    solution = nbformat.read(COURSE_ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: re.sub(
            r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", "", cell.source, flags=re.MULTILINE
        )
        for cell in solution.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    path = student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(path, 4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            prefix = f"# {marker}\n" if cell.cell_type == "code" else ""
            cell.source = prefix + answers[grade_id]
    nbformat.write(notebook, path)


def test_release_fetch_submit_collect_grade_and_feedback_through_the_exchange(
    tmp_path: Path, exchange_root: Path, students: dict[str, Student]
) -> None:
    mode = stat.S_IMODE(exchange_root.stat().st_mode)
    assert mode == 0o1777, f"make exchange made {oct(mode)}, not world-writable and sticky"

    course = new_course(tmp_path / "course", COURSE_ROOT, [ASSIGNMENT])
    course.chmod(0o700)  # the instructor's course (solutions, gradebook) stays theirs
    ana, bob = students["ana"], students["bob"]
    api = instructor_api(course, exchange_root)
    with api.gradebook as gradebook:
        for student in (ana, bob):
            gradebook.update_or_create_student(
                student.name, first_name=student.name.split("-")[1].title(), last_name="Test"
            )

    succeeded(api.release_assignment(ASSIGNMENT))
    for student in (ana, bob):
        listing = student.nbgrader("list").stderr
        assert f"{COURSE_ID} {ASSIGNMENT}" in listing, listing
        student.nbgrader("fetch_assignment", ASSIGNMENT)
        fetched = student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert (
            fetched.read_bytes() == (course / "notebooks" / ASSIGNMENT / fetched.name).read_bytes()
        )

    # bob hands in an unanswered copy, which the instructor collects; then he answers and hands
    # in again, and collect --update takes the newer one.
    bob.nbgrader("submit", ASSIGNMENT)
    succeeded(api.collect(ASSIGNMENT, update=False))
    _answer(bob, "bob's resubmission")
    bob.nbgrader("submit", ASSIGNMENT)

    # The deadline passes; ana submits late.
    due = datetime.datetime.now(datetime.timezone.utc)
    with api.gradebook as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=due.isoformat())
    time.sleep(1.5)
    _answer(ana, "ana's late answer")
    ana.nbgrader("submit", ASSIGNMENT)
    succeeded(api.collect(ASSIGNMENT, update=True))
    submitted = course / "submitted" / bob.name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "bob's resubmission" in submitted.read_text(), "collect --update kept the old copy"

    if students["ana"].uid is not None:
        # The inbox is write-only for students: ana cannot list it, let alone read bob's work.
        inbound = exchange_root / COURSE_ID / "inbound"
        list_inbox = "import os, sys; os.setgid(%d); os.setuid(%d); os.listdir(sys.argv[1])"
        probe = subprocess.run(
            [sys.executable, "-c", list_inbox % (ana.gid, ana.uid), str(inbound)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "PermissionError" in probe.stderr, "a student could list the submissions inbox"

    _instructor(course, exchange_root, "autograde", ASSIGNMENT)
    succeeded(api.generate_feedback(ASSIGNMENT))
    with warnings.catch_warnings():  # nbgrader's: `authentictor=` passed, timestamp.txt left open
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", ResourceWarning)
        succeeded(api.release_feedback(ASSIGNMENT))

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        max_score = gradebook.find_assignment(ASSIGNMENT).max_score
        scores = {}
        for student in (ana, bob):
            submission = gradebook.find_submission(ASSIGNMENT, student.name)
            scores[student.name] = (submission.score, submission.total_seconds_late)
    assert max_score > 0
    assert scores[bob.name] == (max_score, 0), f"bob's resubmission: {scores[bob.name]}"
    assert scores[ana.name][0] == max_score
    assert scores[ana.name][1] > 0, "ana submitted after the due date but is not late"

    for student in (ana, bob):
        student.nbgrader("fetch_feedback", ASSIGNMENT)
        feedback = list((student.home / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert len(feedback) == 1, f"{student.name} fetched {feedback}"
        html = feedback[0].read_text()
        total = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", html)
        assert total, f"no score in {student.name}'s feedback"
        assert (float(total[1]), float(total[2])) == (max_score, max_score), total[0]
        if student.uid is not None:
            assert feedback[0].stat().st_uid == student.uid, "feedback not owned by its student"
        # Each student fetched their own feedback: bob's carries his resubmission.
        assert ("bob's resubmission" in html) == (student is bob)
        assert ("ana's late answer" in html) == (student is ana)
