"""The instructor's grading flow, end to end, on a synthetic class of 01–03 (04–06: test_grading_lms).

A scratch copy of the course starts as a fresh clone does, with an empty gradebook, and receives
six synthetic students per assignment (synthetic_class/classroom.py), one of them with a comma,
a space and a non-ASCII letter in its id. ``python -m grading`` (what ``make grade`` runs) is
interrupted with Ctrl-C part-way, then run again to finish, then run a third time after one
resubmission and one manual score. We check every score, the feedback, grades.csv, the summary,
that edited test cells were put back, and that each rerun did only the work left.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT
from nbgrader.api import Gradebook
from synthetic_class.classroom import (
    STUDENTS,
    answers_module,
    grade_class,
    new_course,
    place_class,
    questions,
    sandbox_options,
    submission,
)

pytestmark = pytest.mark.slow

ASSIGNMENTS = ["01-limits", "02-derivatives", "03-partial-derivatives"]
IDS = {"correct": "Zoë Lima, 2nd"}
CORRECT = IDS["correct"]


def scores_in(course: Path, assignment: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student_id: s.score for s in gradebook.assignment_submissions(assignment)}


def grades_csv(course: Path) -> list[dict[str, str]]:
    with (course / "grades.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def interrupt_after(course: Path, n_graded: int) -> tuple[int, str]:
    """Start grading, press Ctrl-C once ``n_graded`` submissions are recorded; (exit code, stderr)."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    # Ctrl-C as typed at a terminal: a suite run as a background job (`make test &` in a script)
    # has SIGINT ignored, which a child inherits (Python then never raises KeyboardInterrupt);
    # a signal this process catches is reset to its default in the child.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "grading", "--course", str(course), "--workers", "2"]
            + sandbox_options(),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # Ctrl-C reaches the whole process group, workers included
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 600
    while len(list(course.glob("grading-state/*/*.json"))) < n_graded:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "grading recorded nothing in 10 minutes"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory) -> tuple[Path, dict, dict]:
    course = new_course(tmp_path_factory.mktemp("class"), COURSE_ROOT, ASSIGNMENTS, release=False)
    expected = {a: place_class(course, a, IDS) for a in ASSIGNMENTS}
    code, stderr = interrupt_after(course, 3)
    kept = len(list(course.glob("grading-state/*/*.json")))
    done = grade_class(course, *sandbox_options())
    assert done.returncode == 0, done.stdout + done.stderr
    runs = {"interrupted": (code, stderr, kept), "resumed": done}
    return course, expected, runs


def test_ctrl_c_keeps_what_was_graded_and_the_rerun_grades_only_the_rest(graded_class):
    _, _, runs = graded_class
    code, stderr, kept = runs["interrupted"]
    assert code == 130, stderr
    assert "every submission graded so far is kept" in stderr
    total = len(ASSIGNMENTS) * len(STUDENTS)
    assert 3 <= kept < total
    resumed = runs["resumed"].stdout
    assert f"this run: {total - kept} graded, 0 feedback rewritten" in resumed
    assert f"{kept} left as they were" in resumed
    # The fresh clone's empty gradebook was prepared by the first run, not the second.
    assert "registered in the gradebook" not in resumed
    # One bar over the class: the kept submissions count as done from the start.
    assert f"{total}/{total}" in runs["resumed"].stderr
    assert f"skipped={kept}" in runs["resumed"].stderr


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_synthetic_student_gets_the_expected_score(graded_class, assignment):
    course, expected, _ = graded_class
    assert scores_in(course, assignment) == pytest.approx(expected[assignment])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_teaches_and_hides_the_hidden_tests(graded_class, assignment):
    course, _, _ = graded_class
    feedback = course / "feedback" / "misconception" / assignment / f"{assignment}.html"
    html = " ".join(feedback.read_text().split())  # messages wrap: compare words, not lines
    for message in answers_module(assignment).MISCONCEPTION_FEEDBACK:
        assert " ".join(message.split()) in html, (
            f"{assignment}: feedback lacks the teaching message {message!r}"
        )
    assert "BEGIN HIDDEN TESTS" not in html


def test_feedback_pages_are_nbconverts_but_for_a_pass_that_changes_nothing(graded_class):
    """FeedbackExporter skips HTMLExporter's BeautifulSoup pass: re-parsing its page gives theirs.

    Its second page is served from the markdown and highlighting it kept from the first, and so
    is another student's page (in another folder) with the same markdown.
    """
    from bs4 import BeautifulSoup
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from grading import submission
    from grading.gradebook import course_config

    course, _, _ = graded_class
    stock, ours = "nbconvert.exporters.HTMLExporter", "grading.submission.FeedbackExporter"

    def feedback(exporter: str, folder: str, student: str) -> None:
        config = course_config(course)
        config.GenerateFeedback.exporter_class = exporter
        config.CourseDirectory.feedback_directory = folder
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        assert api.generate_feedback("03-partial-derivatives", student, force=True)["success"]

    pages = []
    for n, name in enumerate((stock, ours, ours)):
        feedback(name, f"feedback-{n}", CORRECT)
        page = course / f"feedback-{n}" / CORRECT / "03-partial-derivatives"
        pages.append((page / "03-partial-derivatives.html").read_text())
        if n == 1:
            kept = len(submission._RENDERED_MARKDOWN)
    assert kept > 10 and len(submission._RENDERED_MARKDOWN) == kept  # nothing new the 2nd time
    # Another student's page, in its own folder: the lesson's markdown is served as kept.
    solution = course / "solutions" / "03-partial-derivatives" / "03-partial-derivatives.ipynb"
    lesson_markdown = {
        c.source for c in nbformat.read(solution, 4).cells if c.cell_type == "markdown"
    }
    before = set(submission._RENDERED_MARKDOWN)
    feedback(ours, "feedback-other", "misconception")
    rendered = {json.loads(key)[0] for key in set(submission._RENDERED_MARKDOWN) - before}
    assert lesson_markdown and not lesson_markdown & rendered
    widget_ids = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    for page in pages[1:]:
        assert widget_ids.sub("id", str(BeautifulSoup(page, "html.parser"))) == widget_ids.sub(
            "id", pages[0]
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_edited_test_cells_are_restored_before_grading(graded_class, assignment):
    """The tamperer's `pass` cells were replaced by the instructor's tests, hidden ones included."""
    course, _, _ = graded_class
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


def test_grades_csv_lists_every_submission_with_its_status(graded_class):
    course, expected, _ = graded_class
    rows = grades_csv(course)
    assert {(r["assignment"], r["student_id"]): float(r["score"]) for r in rows} == {
        (a, s): pytest.approx(score)
        for a, scores in expected.items()
        for s, score in scores.items()
    }
    assert {r["status"] for r in rows} == {"graded"}


def test_summary_gives_means_per_assignment_and_challenge(graded_class):
    course, expected, runs = graded_class
    summary = runs["resumed"].stdout
    for assignment in ASSIGNMENTS:
        mean = sum(expected[assignment].values()) / len(STUDENTS)
        assert re.search(rf"^{assignment}\s+6\s+6\s+0\s+0\s+{mean:.2f}\s", summary, re.MULTILINE), (
            summary
        )
        solution = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", 4)
        for q in questions(solution):
            assert re.search(
                rf"^\s+{q.test_id}\s+mean\s+[\d.]+ of {q.points:g}$", summary, re.MULTILINE
            )
    assert "logs of this run: " in summary


def test_a_score_plot_per_challenge(graded_class):
    course, _, _ = graded_class
    for assignment in ASSIGNMENTS:
        solution = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", 4)
        expected = {f"{q.test_id}.png" for q in questions(solution)}
        plots = {png.name for png in (course / "score-plots" / assignment).glob("*.png")}
        assert plots == expected
        for png in plots:
            assert (course / "score-plots" / assignment / png).read_bytes()[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def regraded(graded_class) -> tuple[Path, subprocess.CompletedProcess]:
    """A resubmission (partial hands in a complete 01) and a manual score (empty, 02), then rerun."""
    course, _, _ = graded_class
    solution = nbformat.read(course / "solutions" / "01-limits" / "01-limits.ipynb", 4)
    release = nbformat.read(course / "notebooks" / "01-limits" / "01-limits.ipynb", 4)
    nbformat.write(
        submission("correct", release, questions(solution), None),
        course / "submitted" / "partial" / "01-limits" / "01-limits.ipynb",
    )
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_submission("02-derivatives", "empty").notebooks[0].grades[0]
        grade.manual_score = grade.max_score
        gradebook.db.commit()
    done = grade_class(course, *sandbox_options())
    assert done.returncode == 0, done.stdout + done.stderr
    return course, done


def test_a_rerun_regrades_the_resubmission_and_rewrites_feedback_after_a_manual_score(regraded):
    course, done = regraded
    total = len(ASSIGNMENTS) * len(STUDENTS)
    assert f"this run: 1 graded, 1 feedback rewritten (grade changed), {total - 2} left" in (
        done.stdout
    )
    assert scores_in(course, "01-limits")["partial"] == scores_in(course, "01-limits")[CORRECT]
    empty_02 = scores_in(course, "02-derivatives")["empty"]
    assert empty_02 > 0
    html = (course / "feedback" / "empty" / "02-derivatives" / "02-derivatives.html").read_text()
    row = next(
        r
        for r in grades_csv(course)
        if (r["assignment"], r["student_id"]) == ("02-derivatives", "empty")
    )
    assert float(row["score"]) == pytest.approx(empty_02)
    assert f"Score: {empty_02:.1f} / " in html, "feedback disagrees with grades.csv"


def test_force_grades_everything_again(regraded):
    course, _ = regraded
    done = grade_class(course, "--force", "--no-sandbox", "01-limits")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "this run: 6 graded, 0 feedback rewritten" in done.stdout
