"""Every graded challenge rejects its bank of wrong answers and accepts right ones in odd forms.

Each ``challenges_<NN-name>.py`` bank runs through its notebook's real test cells (hidden tests
included) in one Jupyter kernel; see ``challenge_runner.py``. The same run is then compared, word
for word, with what the grader's judge shows for each attempt.
"""

import importlib
import os
import sys
from pathlib import Path

import nbformat
import pytest
from challenge_runner import RESET, SOLUTIONS, Attempt, Outcome, _reset, run_attempts, shown_text
from traitlets.config import Config

pytestmark = pytest.mark.slow

BANKS = {
    importlib.import_module(p.stem).ASSIGNMENT: importlib.import_module(p.stem).ATTEMPTS
    for p in sorted(Path(__file__).parent.glob("challenges_*.py"))
}
CASES = [(assignment, attempt) for assignment, bank in BANKS.items() for attempt in bank]
_RESULTS: dict[str, dict[str, Outcome]] = {}


def outcome(assignment: str, attempt: Attempt) -> Outcome:
    """Run the assignment's whole bank once, on first use."""
    if assignment not in _RESULTS:
        _RESULTS[assignment] = run_attempts(assignment, BANKS[assignment])
    return _RESULTS[assignment][attempt.name]


@pytest.mark.parametrize(("assignment", "attempt"), CASES, ids=[f"{a}: {t.name}" for a, t in CASES])
def test_attempt(assignment: str, attempt: Attempt):
    if not (SOLUTIONS / assignment).is_dir():
        pytest.skip(f"{assignment} has no solution notebook yet")
    result = outcome(assignment, attempt)
    assert result.stderr == ""
    if attempt.rejected_with is None:
        assert result.error is None, f"a right answer was rejected:\n{result.error}"
    else:
        assert result.error is not None, "a wrong answer passed"
        assert attempt.rejected_with in " ".join(result.error.split())


# Under the judge a student reads what the kernel would have printed, word for word: the banks of
# these lessons are played once more through the lesson's real test cells, with grading/execute.py's
# JudgedExecute judging them in this process, and each attempt's test cell must print the same
# text and fail with the same message as in the kernel run above (``NBGRADER_EXECUTION=autograde``,
# as nbgrader's stock Execute runs them).
JUDGED = [
    "01-limits",
    "02-derivatives",
    "03-partial-derivatives",
    "06-autograd",
    "07-integrals-and-expectation",
]


def attempts_notebook(assignment: str) -> nbformat.NotebookNode:
    """The solution notebook with every attempt of the bank played after its test cell, as the
    kernel run plays them (a cell that forgets the previous answer, the attempt, the test cell)."""
    notebook = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", 4)
    by_question: dict[str, list[Attempt]] = {}
    for attempt in BANKS[assignment]:
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


def judged(assignment: str) -> dict[str, str]:
    """Each attempt's test cell as the student reads it when the judge runs the test cells."""
    from calclib.checking.challenge import forget
    from grading.execute import JudgedExecute

    class ForgettingJudgedExecute(JudgedExecute):
        """Forgets the judge's challenge records where the notebook forgets the kernel's."""

        async def _kernel_cell(self, cell, *args):
            if RESET in cell.source:
                forget()
            return await super()._kernel_cell(cell, *args)

    config = Config()
    config.CourseDirectory.root = str(SOLUTIONS.parent)
    config.CourseDirectory.source_directory = "solutions"
    execute = ForgettingJudgedExecute(config=config, timeout=60)
    resources = {
        "nbgrader": {"assignment": assignment, "notebook": assignment},
        "metadata": {"path": str(SOLUTIONS.parent)},
    }
    notebook, _ = execute.preprocess(attempts_notebook(assignment), resources)
    return {c.metadata["attempt"]: shown_text(c) for c in notebook.cells if "attempt" in c.metadata}


@pytest.mark.parametrize("assignment", JUDGED)
def test_every_attempt_reads_the_same_under_the_judge(assignment, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # the judge's kernel inherits it
    monkeypatch.setenv("GRADING_SANDBOX", "off")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    kernel = {attempt.name: outcome(assignment, attempt).shown for attempt in BANKS[assignment]}
    judge = judged(assignment)
    assert set(judge) == set(kernel)
    different = {
        name: f"kernel: {kernel[name]}\n  judge: {judge.get(name)}"
        for name in kernel
        if judge.get(name) != kernel[name]
    }
    assert not different, "\n".join(f"{k}:\n  {v}" for k, v in different.items())
