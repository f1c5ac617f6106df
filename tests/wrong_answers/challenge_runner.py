"""Run wrong (and unusual right) answers through a notebook's real test cells, in one kernel.

A challenge bank (``challenges_<NN-name>.py`` in this folder) lists ``Attempt``s: the code a
student might put in the answer cell of one question, and the message its test cell must fail
with (or ``None``: the test cell must pass). The solution notebook runs top to bottom in one
Jupyter kernel; at each question's test cell, every attempt runs as answer cell + test cell
(visible and hidden tests, as autograde runs them: the kernel has ``NBGRADER_EXECUTION=autograde``
in its environment, so a failed check is an error output), then the solution is restored.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbclient
import nbformat

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"
RESET = "from calclib.checking.challenge import forget as _forget\n_forget()"


@dataclass(frozen=True)
class Attempt:
    """An answer-cell ``code`` for ``question``; its test cell fails with ``rejected_with``."""

    name: str
    question: str
    code: str
    rejected_with: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What the test cell showed: the error text (``None`` if it passed), any stderr, and
    everything a student reads (printed text, then the error; colours and spacing dropped)."""

    error: str | None
    stderr: str
    shown: str


def _grade_id(cell: nbformat.NotebookNode) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def _outcome(cell: nbformat.NotebookNode) -> Outcome:
    errors = ["\n".join(o.traceback) for o in cell.outputs if o.output_type == "error"]
    stderr = "".join(o.text for o in cell.outputs if o.get("name") == "stderr")
    return Outcome(errors[0] if errors else None, stderr, shown_text(cell))


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shown_text(cell: nbformat.NotebookNode) -> str:
    """A test cell as the student reads it: printed text, then the error, in one line."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append("\n".join(output.traceback))
    return " ".join(ANSI.sub("", "\n".join(parts)).split())


def defined_names(source: str) -> list[str]:
    """The names an answer cell binds at top level (assignments, defs, imports)."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return names


def _reset(answer_source: str) -> str:
    """Code that forgets the solution's answer and the challenge records, like a new student."""
    forget = [f"globals().pop({name!r}, None)" for name in defined_names(answer_source)]
    return "\n".join([*forget, RESET])


def run_attempts(assignment: str, attempts: list[Attempt]) -> dict[str, Outcome]:
    """Each attempt's outcome, by name, from one run of ``assignment``'s solution notebook."""
    notebook = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)
    by_question: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_question.setdefault(attempt.question, []).append(attempt)
    unknown = set(by_question) - {_grade_id(c).removesuffix("-tests") for c in notebook.cells}
    if unknown:
        raise ValueError(f"{assignment} has no test cell for {sorted(unknown)}")
    client = nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True)
    outcomes: dict[str, Outcome] = {}
    answers: dict[str, str] = {}
    env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
    with client.setup_kernel(env=env):
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            grade_id = _grade_id(cell)
            if grade_id.endswith("-answer"):
                answers[grade_id.removesuffix("-answer")] = cell.source
            question = grade_id.removesuffix("-tests")
            if not grade_id.endswith("-tests") or question not in by_question:
                continue
            for attempt in by_question[question]:
                for code in (_reset(answers[question]), attempt.code):
                    client.execute_cell(nbformat.v4.new_code_cell(code), index)
                test = nbformat.v4.new_code_cell(cell.source)
                client.execute_cell(test, index)
                outcomes[attempt.name] = _outcome(test)
            client.execute_cell(nbformat.v4.new_code_cell(answers[question]), index)
    return outcomes
