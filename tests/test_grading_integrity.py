"""A hostile class against the judge: every way to buy a score from inside the kernel, and honest noise.

Each student is a real submission of 01-limits (7 points: q1 1, q2 1, q3 2, q4 2, q5 1) graded by
the real ``nbgrader autograde`` in a scratch copy of the course, twice: with the course's
configuration (grading/execute.py's JudgedExecute: test cells judged in the grader process) and,
as the control, with nbgrader's own Execute (test cells run in the student's kernel, no judge).
The control shows each attack works without the judge; the judged run shows it scores what its
real answers earn, or is flagged for a human. Both classes run in the course's sandbox (warm
kernels where it can), except the student who prints the environment: that one runs unconfined
(GRADING_SANDBOX=off), so that the grader's secret reaches its kernel and the judge's redaction is
what keeps it out of the outputs. The judge's guarantees do not rest on the sandbox: every other
attack aims at the kernel's own state (its functions, modules, hooks and frames), which the
sandbox leaves to the student anyway, and the control, sandboxed as the judged class is, shows
them working. The attacks are bounded: the hanging cell by the cell timeout, the flood by its
size (32 MiB), everything by pytest's timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT
from nbgrader.api import Gradebook
from synthetic_class.classroom import new_course

from grading import sandbox

pytestmark = pytest.mark.slow

ASSIGNMENT = "01-limits"
SECRET = "calclib-grader-secret-7c1e93"  # in the grader's environment, never to be shown
# Seconds a cell may run here (the course default is 30): warm kernels' cells take well under a
# second; other kernels start cold, their import cell taking seconds on a busy machine.
TIMEOUT = {"warm": 5, "cold": 10}
INTERRUPT_GRACE = 2  # seconds the hanging cell is given after its interrupt (the default is 5)
FLOOD_CHARS = 32 * 2**20

WRONG = {
    "q1-limit-value-answer": "limit_value = 3",
    "q2-sqrt-limit-answer": "sqrt_limit = 0.5",
    "q3-difference-quotient-answer": "def difference_quotient(f, x, h):\n    return f(x + h) - f(x)",
    "q4-quotient-algebra-answer": 'quotient_simplified = "2*x + 5"\nlimit_formula = "2*x"',
    "q5-one-sided-answer": "left_slope = 2\nright_slope = -2",
}

NOISY_QUOTIENT = """
def difference_quotient(f, x, h):
    import sys
    import warnings

    warnings.warn("a library warning, nothing wrong with the answer")
    print("debugging: f(x + h) =", f(x + h), file=sys.stderr)
    return (f(x + h) - f(x)) / h
"""

FRAME_READER = '''
import sys
import numpy


class Sneaky:
    """A number that becomes whatever the checker expects: it reads the checker's variables."""

    def _expected(self):
        frame = sys._getframe(1)
        while frame is not None:
            for name in ("expected", "want", "target", "reference"):
                value = frame.f_locals.get(name)
                if value is not None and not isinstance(value, Sneaky):
                    try:
                        return numpy.asarray(value, dtype=float)
                    except Exception:
                        pass
            frame = frame.f_back
        return numpy.asarray(0.0)

    def __float__(self):
        return float(self._expected())

    def __array__(self, dtype=None, copy=None):
        return self._expected()
'''

ATTACKS = {
    "redefine": """
import contextlib

def challenge(*args, **kwargs):
    return contextlib.nullcontext()

def check_number(*args, **kwargs):
    pass

check_array = check_expression = check_implementation = check_number
""",
    "patch": """
import builtins
import math
import numpy

numpy.isclose = lambda a, b, **k: numpy.ones(numpy.broadcast_shapes(numpy.shape(a), numpy.shape(b)), bool)
numpy.allclose = lambda *a, **k: True
math.isclose = lambda *a, **k: True
builtins.AssertionError = type("AssertionError", (Warning,), {})
""",
    "rewrite-tests": """
def _skip_tests(lines):
    return ["pass\\n"] if any("challenge(" in line for line in lines) else lines

get_ipython().input_transformers_post.append(_skip_tests)
""",
    "rewrite-all": """
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
""",
    "spy": """
get_ipython().events.register("pre_run_cell", lambda info: print(info.raw_cell))
""",
    "environ": """
import os
import shutil
print(dict(os.environ))
""",
}

HANG = """
import signal
import time

signal.signal(signal.SIGINT, signal.SIG_IGN)  # the timeout's interrupt is ignored
time.sleep(3 * 60)
"""


def answers_of(notebook: nbformat.NotebookNode) -> dict[str, str]:
    return {
        c.metadata.nbgrader["grade_id"]: c.source
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


def submission(
    answers: dict[str, str], attack: str | None = None, after: dict[str, str] | None = None
) -> nbformat.NotebookNode:
    """The released notebook with ``answers`` written in, ``attack`` after the imports, and
    ``after[grade_id]`` as an extra cell after that answer cell."""
    notebook = nbformat.read(COURSE_ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    cells = []
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
        cells.append(cell)
        if grade_id in (after or {}):
            cells.append(nbformat.v4.new_code_cell(after[grade_id]))
        if attack is not None and cell.cell_type == "code" and len(cells) == 2:
            cells.append(nbformat.v4.new_code_cell(attack))
    notebook.cells = cells
    return notebook


def the_class() -> dict[str, nbformat.NotebookNode]:
    solutions = nbformat.read(COURSE_ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    right = answers_of(solutions)
    q1_only = {**WRONG, "q1-limit-value-answer": right["q1-limit-value-answer"]}
    sneaky = {
        **right,
        "q1-limit-value-answer": FRAME_READER + "\nlimit_value = Sneaky()",
        "q2-sqrt-limit-answer": "sqrt_limit = Sneaky()",
        "q4-quotient-algebra-answer": WRONG["q4-quotient-algebra-answer"],
        "q5-one-sided-answer": "left_slope, right_slope = Sneaky(), Sneaky()",
    }
    students = {
        "Zoë Lima 2nd": submission({**right, "q3-difference-quotient-answer": NOISY_QUOTIENT}),
        "solution": solutions,
        "blank": submission({}),
        "frames": submission(sneaky),
        "hang": submission(right, after={"q1-limit-value-answer": HANG}),
        "flood": submission(right, after={"q2-sqrt-limit-answer": f"print('x' * {FLOOD_CHARS})"}),
    }
    for name, attack in ATTACKS.items():
        students[name] = submission(q1_only, attack)
    return students


CONTROL_PREPROCESSORS = [
    "grading.kernels.SandboxedExecute",  # nbgrader's Execute; its kernels in the course's sandbox
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


def graded_course(root: Path, judged: bool, only: tuple[str, ...] = (), magic: str = "") -> Path:
    """A scratch course with the class (or ``only`` those students) submitted and autograded.

    ``magic``: an IPython line put first in the q1 test cell of the course's source, making it
    a cell the judge cannot run outside the kernel.
    """
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        CALCLIB_GRADER_SECRET=SECRET,
    )
    env.pop("GRADING_SANDBOX", None)  # the course's own choice: warm kernels where they can run
    unconfined = dict(env, GRADING_SANDBOX="off")
    run = {"cwd": root, "env": env, "capture_output": True, "timeout": 1200}
    if magic:  # a source of its own, released here by the real command
        root.mkdir()
        shutil.copy(COURSE_ROOT / "nbgrader_config.py", root)
        for folder in ("solutions", "notebooks"):
            shutil.copytree(COURSE_ROOT / folder / ASSIGNMENT, root / folder / ASSIGNMENT)
        source = root / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        lesson = nbformat.read(source, 4)
        for cell in lesson.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-limit-value-tests":
                cell.source = f"{magic}\n{cell.source}"
        nbformat.write(lesson, source)
        subprocess.run(
            ["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], check=True, **run
        )
    else:  # the course's lesson as released (its gradebook made once per process)
        new_course(root, COURSE_ROOT, [ASSIGNMENT])
    config = (COURSE_ROOT / "nbgrader_config.py").read_text()
    if not judged:
        config += f"\nc.Autograde.autograde_preprocessors = {CONTROL_PREPROCESSORS!r}\n"
    (root / "nbgrader_config.py").write_text(config)
    for student, notebook in the_class().items():
        if only and student not in only:
            continue
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    autograde = ["nbgrader", "autograde", ASSIGNMENT, "--force"]
    autograde += [f"--JudgedExecute.interrupt_grace={INTERRUPT_GRACE}"] if judged else []
    unconfined_run = run | {"env": unconfined}
    course_timeout = f"--Execute.timeout={TIMEOUT.get(sandbox.check('auto'), TIMEOUT['cold'])}"
    cold_timeout = f"--Execute.timeout={TIMEOUT['cold']}"
    # nbgrader exits 1 when a submission could not be graded: the scores tell
    everyone_else = "--CourseDirectory.student_id_exclude=environ"
    logs = [subprocess.run([*autograde, course_timeout, everyone_else], check=False, **run)]
    if not only or "environ" in only:
        environ = [*autograde, cold_timeout, "--student=environ"]
        logs.append(subprocess.run(environ, check=False, **unconfined_run))
    (root / "autograde.log").write_bytes(b"".join(log.stdout + log.stderr for log in logs))
    if judged and {"spy", "environ"} & set(only or JUDGED):
        subprocess.run(["nbgrader", "generate_feedback", ASSIGNMENT], check=True, **run)
    return root


@pytest.fixture(scope="module")
def judged(tmp_path_factory) -> Path:
    return graded_course(tmp_path_factory.mktemp("integrity") / "judged", judged=True)


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> Path:
    return graded_course(
        tmp_path_factory.mktemp("integrity") / "probed",
        judged=True,
        only=("solution", "patch", "redefine", "spy"),
        magic="%xmode Minimal",
    )


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> Path:
    return graded_course(tmp_path_factory.mktemp("integrity") / "control", judged=False)


def outcome(course: Path, student: str) -> tuple[float | None, bool]:
    """(score, flagged for manual grading); score None if nbgrader could not grade it."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            sub = gradebook.find_submission(ASSIGNMENT, student)
        except Exception:  # noqa: BLE001 - MissingEntry: never graded
            return None, False
        graded = (course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
        return (sub.score if graded else None), bool(sub.needs_manual_grade)


def shown_text(course: Path, student: str) -> str:
    """Every output of the student's autograded notebook, as one text."""
    path = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = json.loads(path.read_text())
    return json.dumps([cell.get("outputs", []) for cell in notebook["cells"]])


def hidden_lines() -> list[str]:
    source = (COURSE_ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    lines, visible, inside = [], [], False
    for cell in json.loads(source)["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 25:
                lines.append(line.strip())
            else:
                visible.append(line)
    shown = "\n".join(visible)  # a hint may spell out a line of a hidden test: not a secret
    return [line for line in lines if line not in shown]


# student: (score with the judge, flagged with the judge)
JUDGED = {
    "Zoë Lima 2nd": (7.0, False),  # honest noise: a warning and a stderr print cost nothing
    "solution": (7.0, False),
    "blank": (0.0, False),
    "frames": (2.0, False),  # only q3 is really answered
    "redefine": (1.0, False),  # q1 right: the checks are the grader's own
    "patch": (1.0, False),  # numpy/math/builtins of the grader are untouched
    "rewrite-tests": (1.0, False),  # test cells never run in the kernel
    "rewrite-all": (0.0, True),  # the judge's agent was rewritten: no observation, flagged
    "spy": (1.0, False),  # the hook sees no test code (nothing to redact)
    "environ": (1.0, True),  # the grader's secret printed: redacted and flagged
    "hang": (7.0, False),  # the hanging cell is lost, not the notebook
    "flood": (7.0, False),  # output capped
}
# student: what its real answers earn. Without the judge each attack earns more: how much more
# depends on which checks calclib has at the moment (q4's own structural check, say, is not fooled).
REAL = {"frames": 2.0, "redefine": 1.0, "patch": 1.0, "rewrite-tests": 1.0, "rewrite-all": 0.0}


@pytest.mark.parametrize("student", sorted(JUDGED))
def test_with_the_judge_each_submission_scores_its_real_answers_or_is_flagged(judged, student):
    assert outcome(judged, student) == JUDGED[student], (judged / "autograde.log").read_text()[
        -3000:
    ]


@pytest.mark.parametrize("student", sorted(REAL))
def test_without_the_judge_the_attacks_work(control, student):
    assert outcome(control, student)[0] > REAL[student]


def test_without_the_judge_honest_noise_costs_points_and_a_hang_the_notebook(control):
    assert outcome(control, "Zoë Lima 2nd")[0] == 5.0  # q3 zeroed by its stderr
    assert outcome(control, "hang")[0] is None  # not graded at all
    assert outcome(control, "solution")[0] == 7.0 and outcome(control, "blank")[0] == 0.0


def test_hidden_tests_reach_outputs_and_feedback_only_without_the_judge(judged, control):
    secrets = hidden_lines()
    assert any(line in shown_text(control, "spy") for line in secrets)  # the control leaks
    for student in JUDGED:
        if outcome(judged, student)[0] is not None:
            text = shown_text(judged, student)
            assert not [line for line in secrets if line in text], student
    feedback = (judged / "feedback" / "spy" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert not [line for line in secrets if line in feedback]


def test_grader_environment_values_are_redacted(judged, control):
    assert SECRET in shown_text(control, "environ")
    assert SECRET not in shown_text(judged, "environ")
    assert "[redacted]" in shown_text(judged, "environ")
    feedback = (judged / "feedback" / "environ" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert SECRET not in feedback


def test_a_passing_check_is_never_shown_beside_a_zero(judged):
    with Gradebook(f"sqlite:///{judged / 'gradebook.db'}") as gradebook:
        for student in JUDGED:
            path = judged / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
            for cell in json.loads(path.read_text())["cells"]:
                grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
                if not grade_id.endswith("-tests"):
                    continue
                grade = gradebook.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student)
                passed = any("passed" in "".join(o.get("text", "")) for o in cell["outputs"])
                if passed:
                    assert grade.auto_score == grade.max_score, (student, grade_id)


def test_the_hanging_cell_loses_itself_and_says_so(judged):
    text = shown_text(judged, "hang")
    assert "did not stop after the interrupt" in text and "restarted" in text


def test_a_flood_of_output_is_cut_with_a_note(judged, control):
    path = judged / "autograded" / "flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 3 * 2**20
    assert "output truncated" in path.read_text()
    control_path = control / "autograded" / "flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert not control_path.exists() or control_path.stat().st_size > FLOOD_CHARS


# A test cell with IPython syntax runs in the kernel between tamper probes: student: (score, flagged)
PROBED = {
    "solution": (7.0, False),
    "patch": (1.0, True),  # numpy.isclose, math.isclose, AssertionError swapped: seen
    "redefine": (1.0, True),  # the notebook's challenge/check_* are not calclib's: seen
    "spy": (1.0, True),  # a pre_run_cell hook was registered: seen
}


@pytest.mark.parametrize("student", sorted(PROBED))
def test_a_cell_that_must_run_in_the_kernel_is_flagged_when_tampered_with(probed, student):
    assert outcome(probed, student) == PROBED[student], (probed / "autograde.log").read_text()[
        -3000:
    ]
