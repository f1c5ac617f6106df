"""The course pipeline: solutions/ (nbgrader source) → notebooks/ (student release).

These tests hold the promises instructors rely on: every solution passes its own tests, every
student copy fails them until answered, the release is exactly what nbgrader generates (so no
solution or hidden test leaks), and notebooks carry no outputs and well-formed grading metadata.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest
from conftest import (
    ASSIGNMENTS,
    COURSE_ROOT,
    grade_cells,
    nbgrader_env,
    read_notebook,
    release_path,
    solution_path,
)

ALL_NOTEBOOKS = [solution_path(a) for a in ASSIGNMENTS] + [release_path(a) for a in ASSIGNMENTS]
QUESTION_ID = re.compile(r"^(q\d+-[a-z0-9-]+)-(answer|tests)$")


def test_every_assignment_has_a_solution_and_a_release():
    expected = ["00-start-here", "01-limits", "02-derivatives", "03-partial-derivatives"]
    expected += ["04-chain-rule", "05-gradient-descent", "06-autograd"]
    expected += ["07-integrals-and-expectation"]
    assert ASSIGNMENTS == expected, f"the course is 00 to 07 in order, not {ASSIGNMENTS}"
    for assignment in ASSIGNMENTS:
        assert release_path(assignment).is_file(), f"run `make release`: {assignment} missing"
    released = {folder.name for folder in (COURSE_ROOT / "notebooks").iterdir()}
    assert released == set(ASSIGNMENTS), f"notebooks/ holds {released}, solutions/ {ASSIGNMENTS}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(COURSE_ROOT)))
def test_notebooks_are_committed_without_outputs(path: Path):
    nb = read_notebook(path)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grading_metadata_is_well_formed(assignment: str):
    nb = read_notebook(solution_path(assignment))
    cells = [c for c in nb.cells if "nbgrader" in c.metadata]
    ids = [c.metadata.nbgrader["grade_id"] for c in cells]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"{assignment}: grade ids used twice: {duplicates}"

    questions: dict[str, set[str]] = {}
    for cell in cells:
        meta = cell.metadata.nbgrader
        assert meta.get("schema_version") == 3, f"{meta['grade_id']}: schema_version must be 3"
        if meta.get("grade"):
            assert meta.get("points", 0) > 0, f"{meta['grade_id']}: a graded cell needs points"
            assert meta.get("locked"), f"{meta['grade_id']}: a test cell must be read-only"
        if meta.get("solution") and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, (
                f"{meta['grade_id']}: an answer cell needs ### BEGIN/END SOLUTION markers"
            )
        if "### BEGIN HIDDEN TESTS" in cell.source or "### END HIDDEN TESTS" in cell.source:
            assert cell.source.count("### BEGIN HIDDEN TESTS") == cell.source.count(
                "### END HIDDEN TESTS"
            ), f"{meta['grade_id']}: unbalanced hidden-test markers"
        match = QUESTION_ID.match(meta["grade_id"])
        if match:
            questions.setdefault(match.group(1), set()).add(match.group(2))
    assert questions, f"{assignment}: no graded question (ids like q1-<slug>-answer / -tests)"
    for question, parts in questions.items():
        assert parts == {"answer", "tests"}, (
            f"{assignment}: {question} needs an answer and a tests cell"
        )


def _release_into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Regenerate notebooks/ with nbgrader in a scratch copy of the course; return its root.

    nbgrader's API runs the GenerateAssignment app that `make release`'s
    ``nbgrader generate_assignment`` runs, once per assignment, in this one process.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from grading.gradebook import course_config

    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(COURSE_ROOT / "nbgrader_config.py", root)
    shutil.copytree(COURSE_ROOT / "solutions", root / "solutions")
    monkeypatch.setenv("PATH", nbgrader_env()["PATH"])  # a new gradebook runs `alembic` by name
    config = course_config(root)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for assignment in ASSIGNMENTS:
            done = api.generate_assignment(assignment, force=True, create=True)
            assert done["success"], f"{assignment}: {done.get('error')}\n{done.get('log')}"
    return root


@pytest.mark.slow
def test_release_is_exactly_what_nbgrader_generates(tmp_path: Path, monkeypatch):
    root = _release_into(tmp_path, monkeypatch)
    for assignment in ASSIGNMENTS:
        fresh = json.loads((root / "notebooks" / assignment / f"{assignment}.ipynb").read_text())
        committed = json.loads(release_path(assignment).read_text())
        assert committed == fresh, (
            f"notebooks/{assignment} differs from what `make release` generates from solutions/: "
            "edit the solution, then run `make release`"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_carries_no_solution_or_hidden_test(assignment: str):
    text = release_path(assignment).read_text()
    for marker in ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS"):
        assert marker not in text, f"notebooks/{assignment} leaks '{marker}'"
    hidden_block = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
    solution = read_notebook(solution_path(assignment))
    # Lines a student sees anyway (prose, hints, visible checks) are no secret if a hidden check
    # repeats them, e.g. `check_implementation(` or a formula the lesson teaches.
    visible = "\n".join(hidden_block.sub("", cell.source) for cell in solution.cells)
    for cell in solution.cells:
        for block in hidden_block.findall(cell.source):
            for line in block.strip().splitlines():
                line = line.strip()
                if len(line) > 20 and line not in visible:
                    assert line not in text, f"hidden test line leaked: {line!r}"


def _validate(path: Path, *, invert: bool) -> dict:
    """nbgrader's Validator on one notebook, in this process (no nbgrader start-up per call)."""
    from nbgrader.validator import Validator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's and its dependencies' deprecations
        return Validator(invert=invert).validate(str(path))


# That each solution passes its own tests as `nbgrader validate` scores them is checked in
# test_notebook_<lesson>.py, from the one run of the lesson that its other tests read.


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_unanswered_release_fails_every_test(assignment: str):
    results = _validate(release_path(assignment), invert=True)
    passing = [r["source"].splitlines()[0] for r in results.get("passed", [])]
    assert not passing, f"{assignment}: these tests pass with no answer given: {passing}"
    assert "changed" not in results, f"{assignment}: release differs from its checksums"
    assert grade_cells(read_notebook(release_path(assignment))), f"{assignment} has no test cell"
