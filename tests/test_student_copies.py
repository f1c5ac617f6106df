"""No student copy gives an answer away: a scan of every notebook in notebooks/.

A leak is any of: a solution or hidden-test marker left in; a line of solution code (from between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` in solutions/) appearing in a code cell of the
student copy, say as a visible test's reference implementation; an answer written literally in a
visible test cell, as the expected value of a check or as a "misconception" that is another
challenge's answer.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass

import pytest
from conftest import ASSIGNMENTS, read_notebook, release_path, solution_path

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)
MIN_LINE = 16  # shorter solution lines (`return grad`) are too common to be a leak
ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


def constant_value(node: ast.AST) -> object:
    """The value of a literal or of arithmetic on literals (``1 / 6``, ``-2``); else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = constant_value(node.operand)
        return -inner if isinstance(inner, (int, float)) else None
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        left, right = constant_value(node.left), constant_value(node.right)
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            try:
                return ARITHMETIC[type(node.op)](left, right)
            except (ArithmeticError, ValueError):
                return None
    return None


def normal(value: object) -> object:
    """Strings compared without spaces; numbers as floats."""
    return value.replace(" ", "") if isinstance(value, str) else float(value)


@dataclass(frozen=True)
class Answers:
    """What the solution notebook's solution regions hold."""

    lines: frozenset[str]  # long lines of solution code
    literals: dict[str, object]  # answer name → literal value (numbers, formulas, choices)


def solution_answers(assignment: str) -> Answers:
    lines: set[str] = set()
    literals: dict[str, object] = {}
    for cell in read_notebook(solution_path(assignment)).cells:
        if cell.cell_type != "code":
            continue
        for region in SOLUTION_REGION.findall(cell.source):
            for line in region.splitlines():
                text = line.strip()
                if len(text) >= MIN_LINE and not text.startswith("#"):
                    lines.add(text)
            try:
                tree = ast.parse(re.sub(r"(?m)^\s+", "", region))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    value = constant_value(node.value)
                    target = node.targets[0]
                    if value is not None and isinstance(target, ast.Name):
                        literals[target.id] = value
    return Answers(frozenset(lines), literals)


def visible_test_cells(assignment: str) -> list[tuple[str, str]]:
    cells = []
    for cell in read_notebook(release_path(assignment)).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type == "code" and grade_id.endswith("-tests"):
            cells.append((grade_id, cell.source))
    return cells


def literal_leaks(source: str, literals: dict[str, object]) -> list[str]:
    """Answers written literally: as a check's expected value, or as a dict value in the cell."""
    answers = {normal(value): name for name, value in literals.items()}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    shown: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check_"):
            shown += node.args[1:2] + [k.value for k in node.keywords if k.arg == "expected"]
        if isinstance(node, ast.Dict):
            shown += [v for v in node.values if isinstance(v, ast.Constant)]
    leaks = []
    for node in shown:
        value = constant_value(node)
        if value is not None and normal(value) in answers:
            leaks.append(
                f"line {node.lineno}: {ast.unparse(node)} (the answer {answers[normal(value)]})"
            )
    return leaks


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_solution_or_hidden_test_markers(assignment):
    notebook = read_notebook(release_path(assignment))
    left = [m for cell in notebook.cells for m in MARKERS if m in cell.source]
    assert left == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_solution_code_in_the_student_copy(assignment):
    solution_lines = solution_answers(assignment).lines
    found = [
        line.strip()
        for cell in read_notebook(release_path(assignment)).cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.strip() in solution_lines
    ]
    assert found == [], "solution code in the student copy"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_literal_answers_in_visible_test_cells(assignment):
    literals = solution_answers(assignment).literals
    leaks = {
        grade_id: leaks
        for grade_id, source in visible_test_cells(assignment)
        if (leaks := literal_leaks(source, literals))
    }
    assert leaks == {}


def test_the_scan_finds_a_planted_leak():
    source = (
        'check_number(limit_value, 2, name="limit")\nmistakes = {"already the limit": "2*x + 5"}'
    )
    leaks = literal_leaks(source, {"limit_value": 2, "limit_formula": "2*x+5"})
    assert [leak.split(":")[0] for leak in leaks] == ["line 1", "line 2"]
