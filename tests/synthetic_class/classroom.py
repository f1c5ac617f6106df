"""Build a synthetic class of submissions from the solution and release notebooks.

Six students, each a kind of submission a grader must handle:

- ``correct``: every answer cell holds the solution (its ### BEGIN/END SOLUTION lines removed);
- ``empty``: the release copy, untouched;
- ``partial``: the first half of the questions answered correctly, the rest untouched;
- ``misconception`` / ``unusual``: the answers of ``nbNN_<name>.MISCONCEPTION`` / ``UNUSUAL``, the
  other questions answered correctly;
- ``tamperer``: answers nothing and rewrites every test cell to ``pass``.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat

STUDENTS = ("correct", "empty", "partial", "misconception", "unusual", "tamperer")
QUESTION_ID = re.compile(r"^(q\d+-[a-z0-9-]+)-(answer|tests)$")


def answers_module(assignment: str) -> ModuleType:
    """The misconception and unusual-form answers written for one assignment."""
    number, _, name = assignment.partition("-")
    return importlib.import_module(f"synthetic_class.nb{number}_{name.replace('-', '_')}")


def solution_code(source: str) -> str:
    """An answer cell's source as a correct student would leave it: the solution, no markers."""
    return "\n".join(
        line
        for line in source.splitlines()
        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    )


@dataclass(frozen=True)
class Question:
    prefix: str
    answer_id: str
    test_id: str
    points: float
    solution: str


def questions(solution: nbformat.NotebookNode) -> list[Question]:
    """The graded questions of a solution notebook, in notebook order."""
    answers, tests = {}, {}
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader", {})
        match = QUESTION_ID.match(meta.get("grade_id", ""))
        if match and match.group(2) == "answer":
            answers[match.group(1)] = (meta["grade_id"], solution_code(cell.source))
        elif match:
            tests[match.group(1)] = (meta["grade_id"], float(meta["points"]))
    return [
        Question(prefix, answers[prefix][0], tests[prefix][0], tests[prefix][1], answers[prefix][1])
        for prefix in answers
    ]


def submission(
    student: str, release: nbformat.NotebookNode, qs: list[Question], answers: ModuleType | None
) -> nbformat.NotebookNode:
    """The notebook one synthetic student hands in (``answers``: for misconception / unusual)."""
    correct = {q.answer_id: q.solution for q in qs}
    if student == "correct":
        filled = correct
    elif student == "partial":
        filled = {q.answer_id: q.solution for q in qs[: len(qs) // 2]}
    elif student == "misconception":
        filled = correct | answers.MISCONCEPTION
    elif student == "unusual":
        filled = correct | answers.UNUSUAL
    else:  # empty, tamperer
        filled = {}
    test_ids = {q.test_id for q in qs}
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in filled:
            cell.source = filled[grade_id]
        elif student == "tamperer" and grade_id in test_ids:
            cell.source = "pass  # all good!"
    return nb


def expected_score(student: str, qs: list[Question], answers: ModuleType) -> float:
    """The total nbgrader must give the student's submission."""
    full = sum(q.points for q in qs)
    return {
        "correct": full,
        "empty": 0.0,
        "partial": sum(q.points for q in qs[: len(qs) // 2]),
        "misconception": float(answers.MISCONCEPTION_SCORE),
        "unusual": full,
        "tamperer": 0.0,
    }[student]


def place_class(
    course: Path, assignment: str, ids: dict[str, str] | None = None
) -> dict[str, float]:
    """Write every student's submission into ``course/submitted``; return the expected scores.

    ``ids`` renames students (``{"correct": "Zoë Lima, 2nd"}``); the expected scores are keyed by
    the folder name each submission gets.
    """
    solution = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", 4)
    release = nbformat.read(course / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    qs, answers = questions(solution), answers_module(assignment)
    expected = {}
    for student in STUDENTS:
        student_id = (ids or {}).get(student, student)
        folder = course / "submitted" / student_id / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission(student, release, qs, answers), folder / f"{assignment}.ipynb")
        expected[student_id] = expected_score(student, qs, answers)
    return expected


def sandbox_options() -> list[str]:
    """``[]`` where the grading sandbox can run here, else ``["--no-sandbox"]``.

    Scores are what the grading tests check; test_grading_sandbox.py covers the sandbox itself.
    """
    try:
        from grading.sandbox import SandboxUnavailable, check
    except ImportError:
        return ["--no-sandbox"]
    try:
        check()
    except SandboxUnavailable:
        return ["--no-sandbox"]
    return []


def grade_class(course: Path, *options: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``python -m grading`` (what ``make grade`` runs) on ``course`` with two workers."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(
        [sys.executable, "-m", "grading", "--course", str(course), "--workers", "2", *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def new_course(root: Path, course_root: Path, assignments: list[str], release: bool = True) -> Path:
    """A scratch copy of the course at ``root`` with ``assignments`` released into its gradebook.

    ``release=False`` leaves the gradebook empty, as in a fresh clone (``make grade`` then
    registers the assignments itself). The released gradebook is a copy of one that
    ``nbgrader generate_assignment`` made from the same solutions (`released_gradebook`).
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(course_root / "nbgrader_config.py", root)
    for assignment in assignments:
        for folder in ("solutions", "notebooks"):
            shutil.copytree(course_root / folder / assignment, root / folder / assignment)
    if release:
        template = released_gradebook(course_root, tuple(assignments))
        with (
            contextlib.closing(sqlite3.connect(template)) as source,
            contextlib.closing(sqlite3.connect(root / "gradebook.db")) as copy,
        ):
            source.backup(copy)
    return root


_RELEASED: dict[tuple[str, str], Path] = {}


def released_gradebook(course_root: Path, assignments: tuple[str, ...]) -> Path:
    """A gradebook with ``assignments`` released by the real ``nbgrader generate_assignment``.

    Made once per process for each set of lessons and their content (a lesson edited during the
    run gets a new one): the command costs ~7 s of CPU (nbgrader's start, a new gradebook's
    ``alembic`` run), the copy milliseconds. Releasing registers the assignments and their cell
    checksums; a course with the same solutions/ and notebooks/ can use the same gradebook.
    """
    fingerprint = hashlib.sha256(str(course_root).encode())
    for assignment in assignments:
        for folder in ("solutions", "notebooks"):
            for path in sorted((course_root / folder / assignment).rglob("*")):
                if path.is_file():
                    fingerprint.update(str(path.relative_to(course_root)).encode())
                    fingerprint.update(path.read_bytes())
    key = (",".join(assignments), fingerprint.hexdigest())
    if key not in _RELEASED or not _RELEASED[key].exists():
        build = Path(tempfile.mkdtemp(prefix="released-gradebook-"))
        atexit.register(shutil.rmtree, build, ignore_errors=True)
        shutil.copy(course_root / "nbgrader_config.py", build)
        env = dict(
            os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        )
        for assignment in assignments:
            for folder in ("solutions", "notebooks"):
                shutil.copytree(course_root / folder / assignment, build / folder / assignment)
            subprocess.run(
                ["nbgrader", "generate_assignment", assignment, "--force", "--log-level=WARN"],
                cwd=build,
                env=env,
                check=True,
                capture_output=True,
            )
        _RELEASED[key] = build / "gradebook.db"
    return _RELEASED[key]
