"""Execute a solution notebook once and read numbers back from its kernel (for notebook tests).

The notebook runs top to bottom with nbclient; one extra cell then prints a JSON object of the
expressions asked for, so a test can check the numbers the prose quotes. The kernel runs in the
environment nbgrader's Validator gives it (``NBGRADER_EXECUTION=validate``: a failed check
raises), so the same run also says whether the solution passes its own tests as
``nbgrader validate`` scores them: one execution per lesson serves both.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell
from nbgrader.utils import determine_grade, is_grade

COURSE_ROOT = Path(__file__).resolve().parent.parent
# What nbgrader's Validator sets while it runs a notebook (nbgrader/validator.py), and its kernel
# inherits: calclib's checks then raise on failure instead of printing.
VALIDATING = {"NBGRADER_VALIDATING": "1", "NBGRADER_EXECUTION": "validate"}


@dataclass
class ExecutedNotebook:
    """An executed notebook, the values read back and the wall time of the run."""

    nb: nbformat.NotebookNode
    values: dict
    seconds: float

    def errors(self) -> list[str]:
        """Every error output, as 'cell i: Name: message'."""
        return [
            f"cell {i}: {out.ename}: {out.evalue}"
            for i, cell in enumerate(self.nb.cells[:-1])
            if cell.cell_type == "code"
            for out in cell.outputs
            if out.output_type == "error"
        ]

    def stderr(self) -> list[str]:
        """Every text written to stderr (nbgrader scores a graded cell that does so 0)."""
        return [
            f"cell {i}: {out.text[:200]}"
            for i, cell in enumerate(self.nb.cells[:-1])
            if cell.cell_type == "code"
            for out in cell.outputs
            if out.output_type == "stream" and out.name == "stderr"
        ]

    def failing_tests(self) -> list[str]:
        """Test cells scoring below full marks, as ``nbgrader validate`` scores them.

        nbgrader's own rule (``nbgrader.utils.determine_grade``): an error or any stderr output
        scores 0, a number printed as the result scores that part.
        """
        failing = []
        for cell in self.nb.cells:
            if cell.cell_type == "code" and is_grade(cell):
                score, max_score = determine_grade(cell, logging.getLogger(__name__))
                if score is not None and score < max_score:
                    failing.append(f"{cell.metadata.nbgrader['grade_id']}: {score}/{max_score}")
        return failing

    def stdout_of(self, grade_id: str) -> str:
        """What the cell with this nbgrader grade id printed."""
        for cell in self.nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        raise KeyError(grade_id)


def execute(assignment: str, expressions: dict[str, str]) -> ExecutedNotebook:
    """Run ``solutions/<assignment>`` as nbgrader validates it; evaluate ``expressions`` there.

    ``expressions`` maps a name to Python code; the result's ``values`` maps it to the value.
    """
    path = COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    probe = (
        "import json as _json\nprint(_json.dumps({"
        + ", ".join(f"{name!r}: {code}" for name, code in expressions.items())
        + "}))"
    )
    nb.cells.append(new_code_cell(probe))
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute(env=dict(os.environ, **VALIDATING))
    seconds = time.perf_counter() - start
    # A long line may arrive as several stdout messages (the kernel flushes as it goes): join them.
    printed = "".join(
        o.text for o in nb.cells[-1].outputs if o.output_type == "stream" and o.name == "stdout"
    )
    errors = [f"{o.ename}: {o.evalue}" for o in nb.cells[-1].outputs if o.output_type == "error"]
    assert printed.strip(), f"the probe cell printed nothing: {errors}"
    return ExecutedNotebook(nb, json.loads(printed), seconds)


def run_student_copy(assignment: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """Run All on the released student copy, nothing answered, as in the student's JupyterLab
    (no nbgrader variables: a failed check prints and Run All goes on).

    Returns the executed notebook and its errors, each as ``"cell i: Name: message"``.
    """
    path = COURSE_ROOT / "notebooks" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    student_env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER_")}
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute(
        env=student_env
    )
    errors = [
        f"cell {i}: {out.ename}: {out.evalue}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    return nb, errors


def assert_every_try_it_has_an_answer(assignment: str) -> None:
    """Each ungraded "Try it" is followed by a collapsed answer; a graded challenge never is."""
    path = COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    cells = nbformat.read(path, as_version=4).cells
    reveal = "<details><summary>Show an answer</summary>"
    tries = [i for i, cell in enumerate(cells) if "**Try it (not graded).**" in cell.source]
    assert tries, f"{assignment} has no Try it"
    for i in tries:
        assert cells[i + 1].cell_type == "markdown" and cells[i + 1].source.startswith(reveal)
    for i, cell in enumerate(cells):
        if reveal in cell.source:
            assert "Try it" in cells[i - 1].source, f"cell {i} reveals a graded challenge"
