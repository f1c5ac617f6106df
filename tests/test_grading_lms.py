"""An LMS round trip: Canvas and Moodle "download all submissions" archives in, import files out.

The synthetic class of 04–06 (01–03: test_grading_flow.py) is packed as the LMSs pack it —
Canvas: ``<name>_[late_]<user id>_<submission id>_<file>[-N].ipynb``; Moodle:
``<Full Name>_<participant id>_assignsubmission_file_<file>`` flat or in a folder per student —
and graded with ``python -m grading --zip``, which runs nbgrader's ``zip_collect``. We check
every score, the LMS import CSV (the LMS's ids, one column per assignment), that the names reach
the gradebook and the summary, and a renamed notebook's reason.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT
from nbgrader.api import Gradebook
from synthetic_class.classroom import (
    STUDENTS,
    answers_module,
    expected_score,
    grade_class,
    new_course,
    questions,
    sandbox_options,
    submission,
)

from grading.lms import LMS_PATTERNS, read_archive

# Canvas: sortable name written together, user id; Moodle: full name, participant id.
CANVAS = {
    "correct": ("limazoë", "48213"),
    "empty": ("okaforchidi", "48214"),
    "partial": ("nguyenan", "48215"),
    "misconception": ("müllerjosé", "48216"),
    "unusual": ("smithjohn", "48217"),
    "tamperer": ("doejane", "48218"),
}
MOODLE = {
    "correct": ("Zoë Lima", "1830"),
    "empty": ("Chidi Okafor", "1831"),
    "partial": ("An Nguyen", "1832"),
    "misconception": ("José Müller", "1833"),
    "unusual": ("John Smith", "1834"),
    "tamperer": ("Jane Doe", "1835"),
}


def notebook_bytes(course: Path, assignment: str, student: str) -> str:
    solution = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", 4)
    release = nbformat.read(course / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    nb = submission(student, release, questions(solution), answers_module(assignment))
    return nbformat.writes(nb)


def canvas_archive(course: Path, assignment: str, path: Path) -> Path:
    """Canvas's download: one late submission, one resubmission (-1), one renamed notebook."""
    with zipfile.ZipFile(path, "w") as zf:
        for i, student in enumerate(STUDENTS):
            name, user_id = CANVAS[student]
            late = "late_" if student == "partial" else ""
            again = "-1" if student == "misconception" else ""
            zf.writestr(
                f"{name}_{late}{user_id}_{990100 + i}_{assignment}{again}.ipynb",
                notebook_bytes(course, assignment, student),
            )
        zf.writestr(
            f"renamedrené_48219_990199_{assignment} (1).ipynb",
            notebook_bytes(course, assignment, "correct"),
        )
    return path


def moodle_archive(course: Path, assignment: str, path: Path, folders: bool) -> Path:
    """Moodle's download, flat or with "Download submissions in folders", plus an online text."""
    with zipfile.ZipFile(path, "w") as zf:
        for student in STUDENTS:
            name, participant = MOODLE[student]
            prefix = f"{name}_{participant}_assignsubmission_file_"
            member = f"{prefix}/{assignment}.ipynb" if folders else f"{prefix}{assignment}.ipynb"
            zf.writestr(member, notebook_bytes(course, assignment, student))
            zf.writestr(f"{name}_{participant}_assignsubmission_onlinetext_onlinetext.html", "hi")
    return path


def expected_scores(course: Path, assignment: str, ids: dict) -> dict[str, float]:
    solution = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", 4)
    qs, answers = questions(solution), answers_module(assignment)
    return {ids[s][1]: expected_score(s, qs, answers) for s in STUDENTS}


def test_canvas_names_with_late_resubmission_and_accents_are_read():
    rx = LMS_PATTERNS["canvas"]
    match = rx.fullmatch("/x/müllerjosé_LATE_48216_990103_04-chain-rule-2.ipynb")
    assert (match["name"], match["student_id"], match["file_id"]) == (
        "müllerjosé",
        "48216",
        "04-chain-rule",
    )
    assert rx.fullmatch("/x/limaana_48213_990100_01-limits (1).ipynb")["file_id"] == (
        "01-limits (1)"
    )


def test_moodle_names_flat_and_in_folders_are_read():
    rx = LMS_PATTERNS["moodle"]
    flat = rx.fullmatch("/x/José Müller_1833_assignsubmission_file_06-autograd.ipynb")
    folder = rx.fullmatch("/x/Ana_Maria Lima_1830_assignsubmission_file_/06-autograd.ipynb")
    assert (flat["name"], flat["student_id"], flat["file_id"]) == (
        "José Müller",
        "1833",
        "06-autograd",
    )
    assert (folder["name"], folder["student_id"]) == ("Ana_Maria Lima", "1830")


def test_an_archive_of_something_else_is_refused_with_the_names_it_expects(tmp_path):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("holiday/notes.ipynb", "{}")
    with pytest.raises(ValueError, match="neither Canvas's .* nor Moodle's .*holiday/notes"):
        read_archive(archive, ["01-limits"])


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory) -> tuple[Path, list]:
    """04 and 05 from two Canvas archives, graded one after the other into one course."""
    root = tmp_path_factory.mktemp("canvas")
    assignments = ["04-chain-rule", "05-gradient-descent"]
    course = new_course(root / "course", COURSE_ROOT, assignments, release=False)
    runs = []
    for assignment in assignments:
        archive = canvas_archive(course, assignment, root / f"submissions-{assignment}.zip")
        runs.append(grade_class(course, "--zip", str(archive), *sandbox_options()))
    return course, runs


@pytest.fixture(scope="module")
def moodle_class(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("moodle")
    course = new_course(root / "course", COURSE_ROOT, ["06-autograd"], release=False)
    archive = moodle_archive(course, "06-autograd", root / "moodle.zip", folders=True)
    return course, grade_class(course, "--zip", str(archive), *sandbox_options())


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ["04-chain-rule", "05-gradient-descent"])
def test_canvas_archive_is_graded_under_canvas_ids(canvas_class, assignment):
    course, runs = canvas_class
    for run in runs:
        assert run.returncode == 1, run.stdout + run.stderr  # the renamed notebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student_id: s.score for s in gradebook.assignment_submissions(assignment)}
    assert scores == pytest.approx(expected_scores(course, assignment, CANVAS))


@pytest.mark.slow
def test_canvas_import_csv_has_one_column_per_assignment_and_blank_for_ungraded(canvas_class):
    course, _ = canvas_class
    with (course / "grades-canvas.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[0] == [*header, "04-chain-rule", "05-gradient-descent"]
    by_id = {row[1]: row for row in rows[1:]}
    expected = {a: expected_scores(course, a, CANVAS) for a in rows[0][5:]}
    for user_id in expected["04-chain-rule"]:
        row = by_id[user_id]
        assert [float(x) for x in row[5:]] == [expected[a][user_id] for a in rows[0][5:]]
    assert by_id["48213"][0] == "limazoë"
    assert by_id["48219"][5:] == ["", ""], "an ungraded submission must not import as 0"


@pytest.mark.slow
def test_a_renamed_canvas_notebook_is_reported_by_name_with_its_reason(canvas_class):
    _, runs = canvas_class
    for run, assignment in zip(runs, ["04-chain-rule", "05-gradient-descent"]):
        assert (
            f"{assignment}  renamedrené (48219): expected {assignment}.ipynb, found "
            f"{assignment} (1).ipynb"
        ) in run.stdout
        assert f"collected {assignment} from " in run.stdout


@pytest.mark.slow
def test_moodle_archive_is_graded_with_names_and_an_import_csv(moodle_class):
    course, run = moodle_class
    assert run.returncode == 0, run.stdout + run.stderr
    expected = expected_scores(course, "06-autograd", MOODLE)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student_id: s.score for s in gradebook.assignment_submissions("06-autograd")}
        names = {s.id: f"{s.first_name} {s.last_name}" for s in gradebook.students}
    assert scores == pytest.approx(expected)
    assert names["1833"] == "José Müller"
    with (course / "grades-moodle.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["Identifier"]: float(r["06-autograd"]) for r in rows} == {
        f"Participant {p}": score for p, score in expected.items()
    }
    assert {r["Full name"] for r in rows} == {name for name, _ in MOODLE.values()}
