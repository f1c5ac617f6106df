"""06-autograd graded by the real ``nbgrader autograde`` with the judge, as students answer it.

q3 must prove that autograd produced the gradient under grading too (the student's tensors stay in
the kernel; the judge reads their autograd graph through proxies): typed-in numbers score 0.
An answer cell still holding the stub reads "Not answered yet", and the notebook's ``progress()``
table shows what the judge decided (its grades come from the judge alone).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import COURSE_ROOT
from instructor_course import answered_copy, autograde, new_course, submit
from nbgrader.api import Gradebook

pytestmark = pytest.mark.slow

ASSIGNMENT = "06-autograd"
EXACT = "torch.tensor([-0.68, -0.14, -1.84])"  # 2x / (1 + |x|²) + (x1 x2, x0 x2, x0 x1)
TYPED = {
    "q3-torch-gradient-answer": "x_q3 = torch.tensor([1.0, -2.0, 0.5])\n"
    "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\n"
    f"torch_grad = {EXACT}"
}
BY_HAND = {
    "q3-torch-gradient-answer": "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
    "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\n"
    f"torch_grad = {EXACT}"
}
STUB = "def topo_sort(root):\n    # YOUR CODE HERE\n    pass"
FORGED_RECORD = (
    "\nfrom calclib.checking.registry import record\n"
    "record('q3-torch-gradient').passed = True  # what progress() reads, never the grade"
)
STUDENTS = {
    "solution": {},
    "typed": TYPED,
    "by-hand": BY_HAND,
    "partial": {**TYPED, "q5-topological-sort-answer": STUB},
    "forger": {"q3-torch-gradient-answer": TYPED["q3-torch-gradient-answer"] + FORGED_RECORD},
}


def submission(answers: dict[str, str]):
    notebook = answered_copy(ASSIGNMENT)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = new_course(tmp_path_factory.mktemp("judge-06") / "course", COURSE_ROOT, [ASSIGNMENT])
    for student, answers in STUDENTS.items():
        submit(root, student, ASSIGNMENT, submission(answers))
    autograde(root, ASSIGNMENT)
    return root


def scores(course: Path, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {grade.name: grade.score for grade in notebook.grades}


def graded_cells(course: Path, student: str) -> list[dict]:
    path = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return json.loads(path.read_text())["cells"]


def shown(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("\n".join(output.get("traceback", [])))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_the_solution_scores_every_point(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        maximum = gradebook.find_assignment(ASSIGNMENT).max_score
    assert sum(scores(course, "solution").values()) == maximum


@pytest.mark.parametrize("student", ["typed", "by-hand", "forger"])
def test_a_gradient_not_made_by_autograd_scores_zero_on_q3_only(course, student):
    got, right = scores(course, student), scores(course, "solution")
    assert got["q3-torch-gradient-tests"] == 0
    assert {k: v for k, v in got.items() if k != "q3-torch-gradient-tests"} == {
        k: v for k, v in right.items() if k != "q3-torch-gradient-tests"
    }
    q3 = next(c for c in graded_cells(course, student) if "check_autograd(" in "".join(c["source"]))
    expected = "x.grad is None" if student == "by-hand" else "does not collect a gradient"
    assert expected in shown(q3)


def test_a_stub_left_in_place_reads_not_answered_yet(course):
    cells = graded_cells(course, "partial")
    q5 = next(
        c
        for c in cells
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "q5-topological-sort-tests"
    )
    assert "Not answered yet: `topo_sort` still has the placeholder" in shown(q5)
    assert scores(course, "partial")["q5-topological-sort-tests"] == 0


def test_progress_in_the_graded_notebook_shows_what_the_judge_decided(course):
    cells = graded_cells(course, "partial")
    table = shown(next(c for c in cells if "".join(c["source"]).startswith("progress(")))
    assert "4 of 6 challenges pass." in table
    rows = dict(line.split(None, 1) for line in table.splitlines() if line.startswith("q"))
    assert rows["q3-torch-gradient"] == "✗ not yet (1 attempt)"
    assert rows["q5-topological-sort"] == "not answered yet"
    assert all(
        status == "✓ passed"
        for challenge, status in rows.items()
        if challenge not in ("q3-torch-gradient", "q5-topological-sort")
    )
    solution = graded_cells(course, "solution")
    assert "6 of 6 challenges pass." in shown(
        next(c for c in solution if "".join(c["source"]).startswith("progress("))
    )


def test_a_result_forged_in_the_kernel_is_overwritten_by_the_judged_one(course):
    cells = graded_cells(course, "forger")
    table = shown(next(c for c in cells if "".join(c["source"]).startswith("progress(")))
    rows = dict(line.split(None, 1) for line in table.splitlines() if line.startswith("q"))
    assert rows["q3-torch-gradient"] == "✗ not yet (1 attempt)"
