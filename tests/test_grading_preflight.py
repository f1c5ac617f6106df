"""One submission fails alone: each malformed or hostile folder is refused with its own reason.

The fast tests call the preflight on folders built in tmp; the slow one grades a class of honest
students (ids with a comma, a space, non-ASCII letters) beside a dozen broken or hostile
submissions with ``python -m grading`` and checks that every honest student gets full marks and
every other one a "not graded" row with its reason, never a silent 0.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT
from nbgrader.api import Gradebook
from synthetic_class.classroom import (
    grade_class,
    new_course,
    questions,
    sandbox_options,
    submission,
)

from grading.preflight import MAX_NOTEBOOK_BYTES, refusal

ASSIGNMENT = "01-limits"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


def correct_notebook() -> nbformat.NotebookNode:
    solution = nbformat.read(COURSE_ROOT / "solutions" / ASSIGNMENT / NOTEBOOK, 4)
    release = nbformat.read(COURSE_ROOT / "notebooks" / ASSIGNMENT / NOTEBOOK, 4)
    return submission("correct", release, questions(solution), None)


def duplicated_test_cell() -> nbformat.NotebookNode:
    nb = correct_notebook()
    index = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-tests")
    )
    copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
    copy.pop("id", None)
    copy["id"] = "copy-of-a-test-cell"
    nb.cells.insert(index + 1, copy)
    return nb


def hidden_marker_in_answer() -> nbformat.NotebookNode:
    nb = correct_notebook()
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    answer.source += "\n# ### BEGIN HIDDEN TESTS (I wonder what this does)"
    return nb


def make_folder(root: Path, student: str, build) -> Path:
    """``root/submitted/<student>/01-limits`` filled by ``build(folder)``."""
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    build(folder)
    return folder


# Each hostile or broken submission: how to build it, and the words its reason must contain.
CASES = {
    "renamed": (
        lambda f: nbformat.write(correct_notebook(), f / "01-limits (1).ipynb"),
        "expected 01-limits.ipynb, found 01-limits (1).ipynb",
    ),
    "empty-folder": (lambda f: None, "the folder is empty"),
    "invalid-json": (
        lambda f: (f / NOTEBOOK).write_text('{"cells": [ {"cell_type": "code",'),
        "is not valid notebook JSON",
    ),
    "not-a-notebook": (
        lambda f: (f / NOTEBOOK).write_text('{"hello": "world"}'),
        "is not a valid Jupyter notebook",
    ),
    "duplicated-test-cell": (
        lambda f: nbformat.write(duplicated_test_cell(), f / NOTEBOOK),
        "appears twice",
    ),
    "hidden-marker": (
        lambda f: nbformat.write(hidden_marker_in_answer(), f / NOTEBOOK),
        "contains the text 'BEGIN HIDDEN TESTS'",
    ),
    "extra-notebook": (
        lambda f: [nbformat.write(correct_notebook(), f / n) for n in (NOTEBOOK, "scratch.ipynb")],
        "extra notebook scratch.ipynb beside 01-limits.ipynb",
    ),
    "unexpected-file": (
        lambda f: [nbformat.write(correct_notebook(), f / NOTEBOOK), (f / "run.sh").write_text("")],
        "unexpected file run.sh",
    ),
    "symlink-notebook": (
        lambda f: (f / NOTEBOOK).symlink_to("/etc/passwd"),
        "01-limits.ipynb is a symlink",
    ),
    "fifo-notebook": (lambda f: os.mkfifo(f / NOTEBOOK), "01-limits.ipynb is a FIFO"),
    "oversized": (
        lambda f: (f / NOTEBOOK).write_bytes(b" " * (MAX_NOTEBOOK_BYTES + 1)),
        "more than the 20 MiB",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_preflight_refuses_with_its_own_reason(tmp_path, case):
    build, reason = CASES[case]
    folder = make_folder(tmp_path, case, build)
    assert reason in (refusal(folder, ASSIGNMENT) or "accepted")


def test_preflight_accepts_a_correct_submission_its_timestamp_and_released_files(tmp_path):
    def build(folder: Path) -> None:
        nbformat.write(correct_notebook(), folder / NOTEBOOK)
        (folder / "timestamp.txt").write_text("2026-11-30 10:00:00")
        (folder / "data").mkdir()
        (folder / "data" / "points.csv").write_text("x,y\n")
        (folder / ".ipynb_checkpoints").mkdir()

    folder = make_folder(tmp_path, "Zoë Lima, 2nd", build)
    assert refusal(folder, ASSIGNMENT, frozenset({"data/points.csv"})) is None


def test_preflight_refuses_a_student_folder_that_is_a_symlink(tmp_path):
    real = make_folder(tmp_path, "real", lambda f: nbformat.write(correct_notebook(), f / NOTEBOOK))
    (tmp_path / "submitted" / "alias").symlink_to(real.parent)
    reason = refusal(tmp_path / "submitted" / "alias" / ASSIGNMENT, ASSIGNMENT)
    assert reason == "alias is a symlink, not a folder: only real folders are graded"


def test_preflight_refuses_a_student_id_nbgrader_would_read_as_a_pattern(tmp_path):
    folder = make_folder(
        tmp_path, "ana[1]", lambda f: nbformat.write(correct_notebook(), f / NOTEBOOK)
    )
    assert "reads as a file pattern" in refusal(folder, ASSIGNMENT)


HONEST = ["Zoë Lima, 2nd", "ana maria", "Ярослав", "plain"]


@pytest.mark.slow
def test_every_honest_student_is_graded_beside_a_hostile_class(tmp_path):
    course = new_course(tmp_path / "course", COURSE_ROOT, [ASSIGNMENT], release=False)
    for student in HONEST:
        make_folder(course, student, lambda f: nbformat.write(correct_notebook(), f / NOTEBOOK))
    for case, (build, _) in CASES.items():
        make_folder(course, case, build)
    done = grade_class(course, *sandbox_options(), timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr  # some were not graded

    full = sum(q.points for q in questions(correct_notebook()))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student_id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}
    assert scores == {student: full for student in HONEST}, "a hostile submission reached nbgrader"

    with (course / "grades.csv").open(encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(HONEST) | set(CASES)
    for student in HONEST:
        assert (rows[student]["status"], float(rows[student]["score"])) == ("graded", full)
        assert (course / "feedback" / student / ASSIGNMENT / "01-limits.html").is_file()
    for case, (_, reason) in CASES.items():
        row = rows[case]
        assert (row["status"], row["score"]) == ("not graded", ""), row
        assert reason in row["reason"]
        assert f"{ASSIGNMENT}  {case}: " in done.stdout and reason in done.stdout
    log_line = next(line for line in done.stdout.splitlines() if line.startswith("logs of"))
    logs = Path(log_line.split(": ", 1)[1])
    summary = (logs / "summary.txt").read_text(encoding="utf-8").strip()
    assert summary.startswith("assignment") and done.stdout.strip().endswith(summary)
    assert CASES["oversized"][1] in (logs / ASSIGNMENT / "oversized.log").read_text()
