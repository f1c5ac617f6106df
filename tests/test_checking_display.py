"""In a real Jupyter kernel: a failed check is a short error output that nbgrader scores 0.

One notebook is executed with nbclient as nbgrader runs it (``NBGRADER_EXECUTION=autograde`` in
the kernel's environment); each cell's outputs are checked as a student sees them and graded
with nbgrader's own ``determine_grade`` (the function autograde uses). The same notebook run
without that variable, as in a student's own JupyterLab, prints every failure and runs to the end.
"""

import os

import nbclient
import nbformat
import pytest
from nbgrader.utils import determine_grade

from calclib.checking.failures import NOT_YOUR_ANSWER

CELLS = {
    "setup": (
        "from calclib.checking import (\n"
        "    challenge, check_between, check_expression, check_function, check_number, progress\n"
        ")"
    ),
    "fails": (
        "with challenge('q1-demo', hints=['Look at the table.']):\n"
        "    check_number(1.0, 2.0, name='the limit')"
    ),
    "passes": "with challenge('q2-demo'):\n    check_number(2.0, 2.0)",
    "partial": (
        "with challenge('q3-demo') as q:\n"
        "    with q.part('a', 1):\n"
        "        check_number(2.0, 2.0)\n"
        "    with q.part('b', 1):\n"
        "        check_number(3.0, 2.0)\n"
        "q.score"
    ),
    "scaled": (
        "with challenge('q6-demo', points=2) as q:\n"
        "    for gave in (1.0, 1.0, 0.0):\n"
        "        with q.part('a part'):\n"
        "            check_number(gave, 1.0)\n"
        "q.score"
    ),
    "time_limit": (
        "from calclib.checking.formulas import proven_equal, to_expr\n"
        "import sympy\n"
        "print(proven_equal(to_expr('sin(x)**2 + cos(x)**2'), sympy.Integer(1), 1e-6))\n"
        "print(proven_equal(to_expr('sin(x)**2 + cos(x)**2'), sympy.Integer(1), 5.0))"
    ),
    "undefined": "with challenge('q4-demo'):\n    check_number(answer, 2.0)",
    "student_answer": "def f(x):\n    return 1 / x",
    "student_error": (
        "with challenge('q5-demo'):\n    check_function(f, lambda x: x, points=[0.0])"
    ),
    "setup_error": (
        "with challenge('q7-demo', hints=['A hint.']):\n"
        "    check_function(lambda x: x, lambda x: x, domain=[(0, 1), (0, 1)])"
    ),
    "attack": (
        "with challenge('q8-demo'):\n"
        "    check_expression(\"__import__('os').system('echo attacked')\", '3*x**2')"
    ),
    "range": (
        "with challenge('q10-demo'):\n"
        "    check_between(0.2, 0, 0.1, name='lr',\n"
        "                  misconceptions={'above 2/L = 0.1 the steps diverge': (0.1, None)})"
    ),
    "broken_answer": "def g(x):\n    # YOUR CODE HERE\n",
    "broken_test": "with challenge('q11-demo'):\n    check_function(g, lambda x: x)",
    "printed_answer": "p_val = print(2)",
    "printed_test": "with challenge('q12-demo'):\n    check_number(p_val, 2)",
    "partial_answer": (
        "class Pair:\n"
        "    def total(self, a, b):\n"
        "        return a + b\n"
        "    def product(self, a, b):\n"
        "        # YOUR CODE HERE\n"
        "        pass"
    ),
    "partial_test": (
        "with challenge('q13-demo'):\n"
        "    check_number(Pair().total(2, 3), 5)\n"
        "    check_number(Pair().product(2, 3), 6)"
    ),
    "raising_answer": "root_limit = 1 / 0",
    "raising_test": "with challenge('q14-demo'):\n    check_number(root_limit, 0.5)",
    "progress": "progress(['q1-demo', 'q2-demo', 'q3-demo', 'q4-demo', 'q5-demo', 'q9-demo'])",
}


def graded(source: str, points: int = 2) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "points": points,
        "grade_id": "demo",
        "schema_version": 3,
    }
    return cell


def run(grading: str | None) -> dict[str, nbformat.NotebookNode]:
    """Execute CELLS in a fresh kernel; ``grading``: the NBGRADER_EXECUTION nbgrader would set."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [graded(source) for source in CELLS.values()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER_")}
    if grading:
        env["NBGRADER_EXECUTION"] = grading
    client = nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3")
    client.allow_errors = True
    client.execute(env=env)
    return dict(zip(CELLS, notebook.cells))


@pytest.fixture(scope="module")
def outputs() -> dict[str, nbformat.NotebookNode]:
    return run("autograde")


@pytest.fixture(scope="module")
def student_outputs() -> dict[str, nbformat.NotebookNode]:
    return run(None)


pytestmark = pytest.mark.slow


def test_import_is_silent(outputs):
    assert outputs["setup"].outputs == []


def test_a_failure_is_one_error_output_showing_only_the_message(outputs):
    (output,) = outputs["fails"].outputs
    assert output.output_type == "error"
    assert output.ename == "CheckFailure"
    assert output.traceback == [
        "✗ q1-demo: the limit is not right yet.",
        "  You gave:        1.0",
        "  Off:             too small",
        "  Likely mistake:  a factor of ½: your answer is half the expected one",
        "  Hint 1 of 1:     Look at the table.",
    ]
    assert determine_grade(outputs["fails"]) == (0, 2.0)


def test_in_the_students_own_kernel_failures_print_and_every_cell_runs(student_outputs):
    for name in ("fails", "undefined", "student_error", "setup_error", "attack", "range"):
        cell = student_outputs[name]
        assert [o.output_type for o in cell.outputs] == ["stream"], name
        assert cell.outputs[0].name == "stdout"
    assert student_outputs["fails"].outputs[0].text.startswith("✗ q1-demo: the limit is not")
    assert "Not answered yet" in student_outputs["undefined"].outputs[0].text
    (table,) = student_outputs["progress"].outputs  # Run All reached the last cell
    assert "q1-demo   ✗ not yet (1 attempt)" in table.data["text/plain"].split("\n")
    assert "q4-demo   not answered yet" in table.data["text/plain"].split("\n")


def test_no_traceback_machinery_is_shown(outputs):
    for name in ("fails", "undefined", "student_error"):
        text = "\n".join(outputs[name].outputs[0].traceback)
        assert "Traceback" not in text
        assert "File " not in text
        assert "site-packages" not in text


def test_a_pass_prints_one_line_to_stdout_and_scores_full_points(outputs):
    (output,) = outputs["passes"].outputs
    assert (output.output_type, output.name) == ("stream", "stdout")
    assert output.text == "✓ q2-demo: passed (1 check).\n"
    assert determine_grade(outputs["passes"]) == (2.0, 2.0)


def test_parts_show_their_messages_and_the_score_is_the_partial_grade(outputs):
    stream, result = outputs["partial"].outputs
    assert stream.name == "stdout"
    assert "✗ part 'b': your answer is not right yet." in stream.text
    assert stream.text.endswith("✗ q3-demo: 1 of 2 parts pass (1 of 2 points).\n")
    assert result.output_type == "execute_result"
    assert result.data["text/plain"] == "1.0"
    assert determine_grade(outputs["partial"]) == (1.0, 2.0)


def test_part_points_are_scaled_to_the_cell_points(outputs):
    stream, _ = outputs["scaled"].outputs
    assert stream.text.endswith("✗ q6-demo: 2 of 3 parts pass (1.33 of 2 points).\n")
    grade, max_points = determine_grade(outputs["scaled"])
    assert (round(grade, 6), max_points) == (1.333333, 2.0)


def test_the_sympy_time_limit_works_inside_the_kernel(outputs):
    # cells run in the kernel's main thread, so SIGALRM can stop a long simplify
    assert "".join(o.text for o in outputs["time_limit"].outputs) == "False\nTrue\n"


def test_undefined_answer_and_student_errors_are_explained(outputs):
    assert outputs["undefined"].outputs[0].traceback[0] == (
        "✗ q4-demo: Not answered yet: `answer` is not defined yet."
    )
    assert outputs["student_error"].outputs[0].traceback == [
        "✗ q5-demo: your function raised ZeroDivisionError: float division by zero",
        "  At:     x = 0",
        "  Where:  in f: return 1 / x",
    ]


def test_progress_is_an_html_table_with_a_text_fallback(outputs):
    (output,) = outputs["progress"].outputs
    assert "<table>" in output.data["text/html"]
    assert output.data["text/plain"].split("\n")[0] == "1 of 14 challenges pass."
    assert "q9-demo   not attempted" in output.data["text/plain"].split("\n")


def test_a_setup_error_is_shown_as_the_test_cells_mistake_and_scores_zero(outputs):
    (output,) = outputs["setup_error"].outputs
    assert (output.output_type, output.ename) == ("error", "CheckSetupError")
    problem = "has 2 interval(s), one per argument, but `reference` takes (x)."
    call = "check_function(lambda x: x, lambda x: x, domain=[(0, 1), (0, 1)])"
    assert output.traceback == [
        f"Check setup error in `domain`: {problem}",
        NOT_YOUR_ANSWER,
        f"  In the test cell, line 2: {call}",
    ]
    assert determine_grade(outputs["setup_error"]) == (0, 2.0)


def test_a_formula_with_code_is_refused_and_not_run(outputs):
    (output, *_) = [o for o in outputs["attack"].outputs if o.output_type == "error"]
    assert output.output_type == "error"
    assert output.traceback[0] == "✗ q8-demo: Cannot read your formula."
    assert "attacked" not in "".join(o.get("text", "") for o in outputs["attack"].outputs)
    assert determine_grade(outputs["attack"]) == (0, 2.0)


def test_a_range_failure_names_the_side_and_the_mistake(outputs):
    (output,) = outputs["range"].outputs
    assert output.traceback == [
        "✗ q10-demo: lr is too large.",
        "  You gave:        0.2",
        "  Expected:        0 < value < 0.1",
        "  Likely mistake:  above 2/L = 0.1 the steps diverge",
    ]


def test_an_answer_cell_python_could_not_run_is_named(outputs):
    message = "\n".join(outputs["broken_test"].outputs[0].traceback)
    assert "Answer cell:" in message
    assert "Python could not run the cell above (line 2:" in message
    assert "What to do:" in message


def test_print_assigned_as_an_answer_is_explained(outputs):
    message = " ".join("\n".join(outputs["printed_test"].outputs[-1].traceback).split())
    assert "`p_val` = print(...): print(...) shows a value but gives back None" in message


def test_an_answer_cell_that_raised_is_named_not_called_unanswered(outputs):
    message = " ".join("\n".join(outputs["raising_test"].outputs[-1].traceback).split())
    assert message.startswith(
        "✗ q14-demo: The cell run before this one stopped with ZeroDivisionError: division by zero."
    )
    assert "The check said: `root_limit` is not defined yet." in message
    assert "fix that error in the answer cell" in message
    assert "Write your answer in the answer cell above" not in message


def test_a_placeholder_left_in_the_answer_cell_is_named_with_its_method(outputs):
    message = " ".join("\n".join(outputs["partial_test"].outputs[-1].traceback).split())
    assert message.startswith(
        "✗ q13-demo: Not answered yet: the cell above still has `pass` under # YOUR CODE HERE"
        " (line 6 (in product))."
    )
    assert "The check said: your answer is None, not a value." in message


def test_nothing_is_written_to_stderr(outputs):
    for name, cell in outputs.items():
        if name in ("broken_answer", "raising_answer"):
            continue  # Python's own SyntaxError and ZeroDivisionError outputs

        assert not any(o.get("name") == "stderr" for o in cell.outputs)
