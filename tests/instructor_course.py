"""A scratch class for the instructor's tests: released lessons, and submissions in submitted/.

The submissions are built from the real lessons: a student copy from notebooks/ whose answer cells
hold the solution's code (so every check passes), optionally with test cells deleted (nbgrader then
flags the submission for manual grading) or with extra code in an answer cell (a hostile student).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
from conftest import COURSE_ROOT, nbgrader_env
from synthetic_class.classroom import new_course

__all__ = ["answered_copy", "autograde", "instructor_api", "new_course", "submit", "succeeded"]


def _solution_answers(assignment: str) -> dict[str, str]:
    """{grade id of an answer cell: the solution's code without nbgrader's solution markers}."""
    solution = nbformat.read(COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: re.sub(
            r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", "", cell.source, flags=re.MULTILINE
        )
        for cell in solution.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def answered_copy(
    assignment: str,
    *,
    delete: tuple[str, ...] = (),
    extra_code: dict[str, str] | None = None,
    marker: str = "",
) -> nbformat.NotebookNode:
    """The student copy of ``assignment`` answered with the solution's code.

    ``delete`` names test cells to remove; ``extra_code`` maps answer grade ids to code appended to
    that answer; ``marker`` is a comment put at the top of every code answer.
    """
    answers = _solution_answers(assignment)
    notebook = nbformat.read(COURSE_ROOT / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    kept = []
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in delete:
            continue
        if grade_id in answers:
            source = answers[grade_id]
            if cell.cell_type == "code":
                source = (f"# {marker}\n" if marker else "") + source
                source += "\n" + (extra_code or {}).get(grade_id, "")
            cell.source = source
        kept.append(cell)
    missing = set(delete) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells}
    assert not missing, f"{assignment} has no cells {missing} to delete"
    notebook.cells = kept
    return notebook


def submit(course: Path, student: str, assignment: str, notebook: nbformat.NotebookNode) -> Path:
    """Place a submission in ``submitted/<student>/<assignment>/`` as nbgrader collect would."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    nbformat.write(notebook, path)
    (folder / "timestamp.txt").write_text("2026-11-30 12:00:00.000000 UTC")
    return path


def autograde(course: Path, assignment: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``nbgrader autograde`` in the course (the course's own sandbox settings apply)."""
    done = subprocess.run(
        ["nbgrader", "autograde", assignment, "--force", *extra],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def instructor_api(course: Path, exchange: Path | None = None):
    """nbgrader's Python API on ``course``, configured as ``nbgrader`` run in that folder is.

    What the Formgrader's buttons call. A test that is not about the command line runs the
    instructor's steps through it: each ``nbgrader`` process costs ~2-3 s of CPU to start.

    >>> api = instructor_api(COURSE_ROOT, exchange=COURSE_ROOT / "exchange")
    >>> api.coursedir.root == str(COURSE_ROOT), api.config.Exchange.root.endswith("/exchange")
    (True, True)
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    if exchange is not None:
        config.Exchange.root = str(exchange)
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def succeeded(result: dict) -> dict:
    """An ``NbGraderAPI`` result, asserted successful (its error and log otherwise)."""
    assert result["success"], f"{result.get('error')}\n{result.get('log')}"
    return result
