"""Under the judge a student reads what the kernel would have printed, word for word.

The wrong-answer banks of five lessons (tests/wrong_answers/challenges_*.py: answers wrong in
the ways students err, right ones in odd forms, stubs left in place) are played through a
lesson's real test cells twice, in one notebook built for it (each attempt: a cell that forgets
the previous answer, the attempt as the answer cell, the test cell): once with the test cells
run in the kernel, as nbgrader's stock Execute runs them (``NBGRADER_EXECUTION=autograde``),
once with grading/execute.py's JudgedExecute, which judges them in this process. Each attempt's
test cell must print the same text and fail with the same message both ways.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest
from conftest import COURSE_ROOT
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).parent / "wrong_answers"))
from challenge_runner import RESET, Attempt, _reset

pytestmark = pytest.mark.slow

ASSIGNMENTS = [
    "01-limits",
    "02-derivatives",
    "03-partial-derivatives",
    "06-autograd",
    "07-integrals-and-expectation",
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def bank(assignment: str) -> list[Attempt]:
    module = importlib.import_module(f"challenges_{assignment.replace('-', '_')}")
    return module.ATTEMPTS


def attempts_notebook(assignment: str) -> nbformat.NotebookNode:
    """The solution notebook with every attempt of the bank played after its test cell."""
    notebook = nbformat.read(COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
    by_question: dict[str, list[Attempt]] = {}
    for attempt in bank(assignment):
        by_question.setdefault(attempt.question, []).append(attempt)
    cells, answers = [], {}
    for cell in notebook.cells:
        cells.append(cell)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        question = grade_id.removesuffix("-tests").removesuffix("-answer")
        if grade_id.endswith("-answer"):
            answers[question] = cell.source
        if not grade_id.endswith("-tests") or question not in by_question:
            continue
        for attempt in by_question[question]:
            cells.append(nbformat.v4.new_code_cell(_reset(answers[question])))
            cells.append(nbformat.v4.new_code_cell(attempt.code))
            test = nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata))
            test.metadata["attempt"] = attempt.name
            cells.append(test)
        cells.append(nbformat.v4.new_code_cell(answers[question]))
    notebook.cells = cells
    return notebook


def shown(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Each attempt's test cell as the student reads it: printed text, then the error."""
    found = {}
    for cell in notebook.cells:
        if "attempt" not in cell.metadata:
            continue
        parts = []
        for output in cell.outputs:
            if output.output_type == "stream":
                parts.append(output.text)
            elif output.output_type == "error":
                parts.append("\n".join(output.traceback))
        found[cell.metadata["attempt"]] = " ".join(ANSI.sub("", "\n".join(parts)).split())
    return found


@pytest.fixture
def grading_environment(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # the kernel inherits it
    monkeypatch.setenv("GRADING_SANDBOX", "off")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def in_the_kernel(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    client = nbclient.NotebookClient(
        notebook, timeout=60, kernel_name="python3", allow_errors=True, resources={}
    )
    client.execute(cwd=str(COURSE_ROOT))
    return notebook


def judged(notebook: nbformat.NotebookNode, assignment: str) -> nbformat.NotebookNode:
    from calclib.checking.challenge import forget
    from grading.execute import JudgedExecute

    class ForgettingJudgedExecute(JudgedExecute):
        """Forgets the judge's challenge records where the notebook forgets the kernel's."""

        async def _kernel_cell(self, cell, *args):
            if RESET in cell.source:
                forget()
            return await super()._kernel_cell(cell, *args)

    config = Config()
    config.CourseDirectory.root = str(COURSE_ROOT)
    config.CourseDirectory.source_directory = "solutions"
    execute = ForgettingJudgedExecute(config=config, timeout=60)
    resources = {
        "nbgrader": {"assignment": assignment, "notebook": assignment},
        "metadata": {"path": str(COURSE_ROOT)},
    }
    notebook, _ = execute.preprocess(notebook, resources)
    return notebook


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_attempt_reads_the_same_under_the_judge(assignment, grading_environment):
    kernel = shown(in_the_kernel(attempts_notebook(assignment)))
    judge = shown(judged(attempts_notebook(assignment), assignment))
    assert set(kernel) == {attempt.name for attempt in bank(assignment)}
    different = {
        name: f"kernel: {kernel[name]}\n  judge: {judge.get(name)}"
        for name in kernel
        if judge.get(name) != kernel[name]
    }
    assert not different, "\n".join(f"{k}:\n  {v}" for k, v in different.items())
