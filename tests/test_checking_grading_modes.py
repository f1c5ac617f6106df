"""The two modes with the real nbgrader: Run All reaches the end in a student's own kernel, while
Validate and autograde still score a failed or unanswered check 0.

A one-assignment course is built in a temporary folder with the course's own nbgrader_config.py
(so with its answer stub), released with ``nbgrader generate_assignment``, run as a student's
JupyterLab runs it, validated with nbgrader's Validator and graded with ``nbgrader autograde``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest
from conftest import COURSE_ROOT, nbgrader_env

pytestmark = pytest.mark.slow

CELLS = [
    ("code", "", "from calclib.checking import challenge, check_function, check_number, progress"),
    ("code", "q1-limit-answer", "### BEGIN SOLUTION\nlimit_value = 2\n### END SOLUTION"),
    (
        "code",
        "q1-limit-tests",
        '"""Check the limit."""\nwith challenge("q1-limit"):\n    check_number(limit_value, 2)',
    ),
    (
        "code",
        "q2-double-answer",
        "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
    ),
    (
        "code",
        "q2-double-tests",
        (
            '"""Check double."""\nwith challenge("q2-double"):\n'
            "    check_function(double, lambda x: 2 * x)"
        ),
    ),
    ("code", "", 'print("reached the end")\nprogress(["q1-limit", "q2-double"])'),
]


def _notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, grade_id, source in CELLS:
        cell = nbformat.v4.new_code_cell(source)
        if grade_id:
            tests = grade_id.endswith("-tests")
            cell.metadata["nbgrader"] = {
                "grade": tests,
                "solution": not tests,
                "locked": tests,
                "grade_id": grade_id,
                "schema_version": 3,
                **({"points": 1} if tests else {}),
            }
        notebook.cells.append(cell)
    return notebook


def _nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        ["nbgrader", *args, "--log-level=WARN"],
        cwd=root,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("course")
    shutil.copy(COURSE_ROOT / "nbgrader_config.py", root)
    (root / "solutions" / "demo").mkdir(parents=True)
    nbformat.write(_notebook(), root / "solutions" / "demo" / "demo.ipynb")
    _nbgrader(root, "generate_assignment", "demo")
    return root


def _student_copy(course: Path) -> nbformat.NotebookNode:
    return nbformat.read(course / "notebooks" / "demo" / "demo.ipynb", as_version=4)


def test_the_stub_is_pass_and_run_all_reaches_the_end(course: Path):
    notebook = _student_copy(course)
    assert notebook.cells[1].source == "# YOUR CODE HERE\npass"
    assert "    # YOUR CODE HERE\n    pass" in notebook.cells[3].source
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER_")}
    client = nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3")
    client.execute(env=env)  # raises if any cell errors: none may
    text = ["".join(o.get("text", "") for o in cell.outputs) for cell in notebook.cells]
    assert text[2].startswith("✗ q1-limit: Not answered yet: `limit_value` is not defined yet.")
    assert text[4].startswith("✗ q2-double: Not answered yet: `double` still has the placeholder")
    assert "reached the end" in text[5]
    table = notebook.cells[5].outputs[-1].data["text/plain"]
    assert "q1-limit   not answered yet" in table
    assert "q2-double  not answered yet" in table


VALIDATE = """
import json, sys, warnings
warnings.simplefilter("ignore")
from nbgrader.validator import Validator
print(json.dumps(Validator().validate(sys.argv[1])))
"""


def test_validate_still_fails_the_unanswered_checks(course: Path):
    done = subprocess.run(
        [sys.executable, "-c", VALIDATE, str(course / "notebooks" / "demo" / "demo.ipynb")],
        env={k: v for k, v in nbgrader_env().items() if not k.startswith("NBGRADER_")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    failed = [r["source"].splitlines()[0] for r in results["failed"]]
    assert failed == ['"""Check the limit."""', '"""Check double."""']
    assert "Not answered yet" in results["failed"][0]["error"]


def test_autograde_scores_a_wrong_and_an_unanswered_check_zero(course: Path):
    notebook = _student_copy(course)
    notebook.cells[1].source = "limit_value = 3  # wrong"
    submitted = course / "submitted" / "ana" / "demo"
    submitted.mkdir(parents=True)
    nbformat.write(notebook, submitted / "demo.ipynb")
    _nbgrader(course, "autograde", "demo", "--create", "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        grades = {
            grade.name: grade.score
            for grade in gradebook.find_submission_notebook("demo", "demo", "ana").grades
        }
    assert grades == {"q1-limit-tests": 0.0, "q2-double-tests": 0.0}
    graded = nbformat.read(course / "autograded" / "ana" / "demo" / "demo.ipynb", as_version=4)
    errors = [o for o in graded.cells[2].outputs if o.output_type == "error"]
    assert errors
    assert errors[0].traceback[0].startswith("✗ q1-limit: your answer is not right yet.")
