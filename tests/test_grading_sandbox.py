"""Grading is safe against hostile submissions: confined, time-limited, crash-tolerant.

Students here attack the grader from their answer cell. Each answer sets ``limit_value = 2`` (the
right answer to 01-limits' only-so-far question) only if every attack failed, so its score says
whether the sandbox held; the files of the course and of other students are checked as well.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT, nbgrader_env
from nbgrader.api import Gradebook
from synthetic_class.classroom import new_course, questions

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed"),
]

ASSIGNMENT = "01-limits"

ESCAPE = """
import pathlib
course = pathlib.Path.cwd().parents[2]  # the kernel starts in autograded/<student>/<assignment>
escaped = []
def attempt(name, action):
    try:
        action()
        escaped.append(name)
    except Exception:
        pass
attempt("read the solutions", lambda: (course / "solutions").iterdir().__next__())
attempt("read the gradebook", lambda: (course / "gradebook.db").read_bytes()[0])
attempt("read a submission", lambda: next((course / "submitted").glob("*/*/*.ipynb")))
attempt("write the course", lambda: (course / "pwned.txt").write_text("x"))
attempt("reach the network", lambda: __import__("socket").create_connection(("1.1.1.1", 53), 2))
{answer} = 2 if not escaped else -len(escaped)
"""

HOSTILE = {
    "escaper": ESCAPE,
    "looper": "while True:\n    pass",
    "crasher": "import os\nos._exit(1)",
}


def _grade(course: Path, *options: str) -> subprocess.CompletedProcess:
    script = COURSE_ROOT / "scripts" / "grade_class.py"
    return subprocess.run(
        [sys.executable, str(script), "--course", str(course), *options],
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _hostile_class(root: Path, students: dict[str, str]) -> Path:
    course = new_course(root, COURSE_ROOT, [ASSIGNMENT])
    # Interrupt runaway cells after 5 s instead of the course's 30 s, to keep the test short.
    with (course / "nbgrader_config.py").open("a") as config:
        config.write("\nc.Execute.timeout = 5\n")
    solution = nbformat.read(course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(course / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    # Every question answered right, but the first answer cell (q1 asks for `limit_value`).
    answers = {q.answer_id: q.solution for q in questions(solution)}
    first = questions(solution)[0].answer_id
    for student, source in students.items():
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id == first:
                cell.source = source.format(answer="limit_value")
            elif grade_id in answers:
                cell.source = answers[grade_id]
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    return course


def _scores(course: Path) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student_id: s.score for s in gradebook.find_assignment(ASSIGNMENT).submissions}


def _digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    course = _hostile_class(
        tmp_path_factory.mktemp("hostile"), {"honest": "{answer} = 2", **HOSTILE}
    )
    before = _digest(course / "submitted" / "honest")
    done = _grade(course, "--workers", "2")
    return course, before, done


def test_escape_attempts_fail_inside_the_sandbox(hostile_class):
    course, before, _ = hostile_class
    scores = _scores(course)
    full = scores["honest"]
    assert full > 0
    assert scores["escaper"] == full, "an attack from inside the kernel succeeded"
    assert not (course / "pwned.txt").exists()
    assert _digest(course / "submitted" / "honest") == before


def test_a_runaway_cell_is_interrupted_and_the_run_goes_on(hostile_class):
    course, _, _ = hostile_class
    scores = _scores(course)
    assert scores["looper"] < scores["honest"]


def test_a_crashing_kernel_is_reported_and_loses_nobody_else(hostile_class):
    course, _, done = hostile_class
    assert done.returncode == 1, "a submission that could not be graded must fail the run"
    assert "NOT GRADED: crasher / 01-limits: Kernel died" in done.stdout
    assert {"honest", "escaper", "looper"} <= set(_scores(course))
    assert (course / "grades.csv").read_text().count("\n") >= 4


def test_without_the_sandbox_the_same_attacks_succeed(tmp_path):
    """The control: proves the escape test above can fail."""
    course = _hostile_class(tmp_path / "course", {"escaper": ESCAPE})
    done = _grade(course, "--no-sandbox")
    assert done.returncode == 0, done.stdout + done.stderr
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        full = gradebook.find_assignment(ASSIGNMENT).max_score
    assert _scores(course)["escaper"] < full, "unconfined, the attacks should have succeeded"
    assert (course / "pwned.txt").exists()
