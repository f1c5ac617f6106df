"""The instructor's day in Chromium: `make instructor`, the Formgrader, the exchange, the student.

A class of 01-limits goes through the exchange: ana (a real system user where the test can make
one) fetches, answers with one slip (q1 off by a hair) and one deleted test cell, and submits; the
instructor collects and autogrades, so her submission is flagged. Then, in the browser:

1. `make instructor` opens JupyterLab; the Nbgrader menu opens the Formgrader, which lists every
   lesson of the course;
2. the Formgrader's Autograde button grades mallory's hostile submission in the sandbox: her
   code, which tries to list solutions/ and write into the course, is refused both; mallory,
   whom the gradebook knows by id only, is shown by her id on every page that lists students;
3. the instructor gives ana's q1 its point in the Formgrader's score box (MathJax on that page is
   served by the server itself) and scores the deleted cell with ``python -m grading.manual``:
   the flag is gone and the total is full;
4. Generate feedback rebuilds her feedback, which the instructor reads (full score), and
   Release feedback puts it in the exchange, from where ana fetches it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT, nbgrader_env
from exchange_accounts import new_exchange, student_accounts
from instructor_course import answered_copy, new_course, submit
from lab_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TOKEN,
    Laps,
    lab_environment,
    running_lab,
    screenshots_on_failure,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="Debian's chromium is not installed"
    ),
]

ASSIGNMENT = "01-limits"
HOSTILE = """
import os, pathlib
for target in (pathlib.Path("../../../solutions"), pathlib.Path({course!r}) / "solutions"):
    try:
        print("LEAKED", sorted(os.listdir(target)))
    except OSError as error:
        print("BLOCKED read", type(error).__name__)
try:
    (pathlib.Path({course!r}) / "pwned.txt").write_text("mallory was here")
    print("WROTE into the course")
except OSError as error:
    print("BLOCKED write", type(error).__name__)
"""


def _instructor(course: Path, exchange: Path, *args: str) -> str:
    done = subprocess.run(
        ["nbgrader", *args],
        cwd=course,
        env=dict(nbgrader_env(), NBGRADER_EXCHANGE=str(exchange)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)}\n{done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def _grade_cells(notebook: nbformat.NotebookNode) -> list[dict]:
    return [
        c.metadata["nbgrader"]
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]


def _modal(page, text: str, seconds: float = 300) -> str:
    """Wait for the Formgrader's result dialog, return its text and close it."""
    modal = page.locator(".modal-dialog:visible")
    modal.wait_for(timeout=seconds * 1000)
    said = modal.inner_text()
    assert text in said, said
    page.locator(".modal-dialog:visible button").first.click()
    modal.wait_for(state="hidden", timeout=10_000)
    return said


def _row(page, student: str):
    return page.locator(f"tr:has(td.student-id:text-is('{student}'))")


def test_the_instructors_day_in_the_formgrader(tmp_path: Path) -> None:
    laps = Laps()
    course = new_course(tmp_path / "course", COURSE_ROOT, [ASSIGNMENT])
    lessons = sorted(p.name for p in (COURSE_ROOT / "solutions").iterdir() if p.is_dir())
    for lesson in set(lessons) - {ASSIGNMENT}:  # every lesson listed; only 01 is graded here
        for folder in ("solutions", "notebooks"):
            shutil.copytree(COURSE_ROOT / folder / lesson, course / folder / lesson)
    student_copy = nbformat.read(COURSE_ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    tests = _grade_cells(student_copy)
    q1, deleted = tests[0], tests[-1]
    laps.lap("course")

    with new_exchange() as exchange, student_accounts(exchange, ("ana",)) as accounts:
        ana = accounts["ana"]
        _instructor(
            course,
            exchange,
            "db",
            "student",
            "add",
            ana.name,
            "--first-name=Ana",
            "--last-name=Lopez",
        )
        _instructor(course, exchange, "release_assignment", ASSIGNMENT)
        ana.nbgrader("fetch_assignment", ASSIGNMENT)
        answer = answered_copy(ASSIGNMENT, delete=(deleted["grade_id"],))
        for cell in answer.cells:  # q1 off by a hair: 0 points from the autograder
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-limit-value-answer":
                cell.source = "limit_value = 2.0000003"
        fetched = ana.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nbformat.write(answer, fetched)
        if ana.uid is not None:
            os.chown(fetched, ana.uid, ana.gid)
        ana.nbgrader("submit", ASSIGNMENT)
        _instructor(course, exchange, "collect", ASSIGNMENT)
        _instructor(course, exchange, "autograde", ASSIGNMENT, "--student", ana.name)
        hostile = answered_copy(
            ASSIGNMENT, extra_code={"q1-limit-value-answer": HOSTILE.format(course=str(course))}
        )
        submit(course, "mallory", ASSIGNMENT, hostile)
        laps.lap("exchange to autograde")

        state = tmp_path / "lab"
        env = dict(lab_environment(state), NBGRADER_EXCHANGE=str(exchange))
        with (
            running_lab(state / "lab.log", "instructor", (f"COURSE={course}",), env) as (base, _),
            playwright_api.sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            laps.lap("make instructor")
            try:
                with screenshots_on_failure(page, "instructor-day"):
                    _day_in_the_browser(page, base, course, ana, lessons, q1, deleted, laps)
            finally:
                browser.close()

        # ana fetches her feedback from the exchange, with the full score.
        ana.nbgrader("fetch_feedback", ASSIGNMENT)
        fetched_feedback = list((ana.home / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert len(fetched_feedback) == 1, fetched_feedback
        total = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", fetched_feedback[0].read_text())
        assert total and float(total[1]) == float(total[2]), f"ana's feedback says {total}"
        laps.lap("fetch feedback")
        print(f"instructor's day: {laps}")


def _day_in_the_browser(page, base, course, ana, lessons, q1, deleted, laps) -> None:
    # 1. The Formgrader, from the lab's Nbgrader menu, lists every lesson.
    page.goto(f"{base}/lab?reset&token={TOKEN}")
    page.locator(".lm-MenuBar-itemLabel:text-is('Nbgrader')").click(timeout=90_000)
    page.locator(".lm-Menu-itemLabel:text-is('Formgrader')").first.click()
    frame = page.frame_locator("iframe").first
    for lesson in lessons:
        frame.locator(f"td:has-text('{lesson}')").first.wait_for(timeout=60_000)
    laps.lap("formgrader lists lessons")

    # 2. Autograde from the Formgrader runs mallory's hostile code in the sandbox.
    page.goto(f"{base}/formgrader/manage_submissions/{ASSIGNMENT}")
    _row(page, "mallory").locator("td.autograde a").click(timeout=60_000)
    _modal(page, "Successfully autograded")
    graded = course / "autograded" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    outputs = "".join(
        o.get("text", "") for c in nbformat.read(graded, 4).cells for o in c.get("outputs", [])
    )
    assert "BLOCKED read" in outputs, f"the hostile cell did not run as expected:\n{outputs}"
    assert "LEAKED" not in outputs, f"Autograde in the Formgrader let student code read:\n{outputs}"
    assert not (course / "pwned.txt").exists(), "student code wrote into the course"
    laps.lap("formgrader autograde")

    # 3. ana's flagged submission: q1's point by hand in the Formgrader (its score box), the
    # deleted cell by the documented command.
    row = _row(page, ana.name)
    assert "needs manual grading" in row.locator("td.status").inner_text()
    assert "Lopez, Ana" in row.locator("td.student-name").inner_text()
    # Students are named by their name when the gradebook knows it (ana), by their id otherwise
    # (mallory, added by autograde): never "None, None".
    assert _row(page, "mallory").locator("td.student-name").inner_text().strip() == "mallory"
    page.goto(f"{base}/formgrader/manage_students")
    names = page.locator("#main-table td.name")
    names.nth(1).wait_for(timeout=60_000)
    assert sorted(names.all_inner_texts()) == ["Lopez, Ana", "mallory"]
    assert "None" not in page.locator("#main-table").inner_text()
    page.goto(f"{base}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
    ana_link = page.locator("td.name a.name-shown", has_text="Lopez, Ana")
    ana_link.wait_for(state="attached", timeout=60_000)
    shown = page.locator("td.name a.name-shown").all_text_contents()
    assert sorted(shown) == ["Lopez, Ana", "mallory"], shown
    submission = re.search(r"submissions/(\w+)", ana_link.get_attribute("href") or "")
    assert submission, "no link to ana's submission"
    page.goto(f"{base}/formgrader/submissions/{submission[1]}/")
    # The lesson's maths is typeset by the MathJax this server serves (no internet here).
    scripts = page.evaluate("Array.from(document.scripts).map(s => s.src).join(' ')")
    assert "/static/jupyter_server_mathjax/MathJax.js" in scripts, scripts
    page.locator("span.MathJax, .MathJax_Display").first.wait_for(timeout=60_000)
    box = page.locator(f"input.score[id='{q1['grade_id']}']")
    box.fill(str(q1["points"]))
    with page.expect_response(
        lambda r: "/api/grade/" in r.url and r.request.method == "PUT"
    ) as saved:
        box.press("Tab")
    assert saved.value.ok, f"the score was not saved: {saved.value.status}"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grading.manual",
            ASSIGNMENT,
            ana.name,
            deleted["grade_id"],
            str(deleted["points"]),
            "--course",
            str(course),
        ],
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"total now ([\d.]+) of \1\.", done.stdout), done.stdout
    laps.lap("manual grades")

    # 4. Feedback regenerated, read, released through the exchange.
    page.goto(f"{base}/formgrader/manage_submissions/{ASSIGNMENT}")
    row = _row(page, ana.name)
    row.wait_for(timeout=60_000)
    assert "graded" in row.locator("td.status").inner_text()
    row.locator("td.generate-feedback a").click()
    _modal(page, "Successfully generated feedback")
    page.goto(f"{base}/files/feedback/{ana.name}/{ASSIGNMENT}/{ASSIGNMENT}.html?token={TOKEN}")
    total = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", page.inner_text("body"))
    assert total and float(total[1]) == float(total[2]), f"feedback says {total}"
    page.locator("span.MathJax, .MathJax_Display").first.wait_for(timeout=60_000)
    page.goto(f"{base}/formgrader/manage_submissions/{ASSIGNMENT}")
    _row(page, ana.name).locator("td.release-feedback a").click(timeout=60_000)
    _modal(page, "Successfully released feedback")
    laps.lap("feedback released")
