"""Hostile submissions against the grading kernel's sandbox, graded by the real nbgrader CLI.

Each student's first answer cell is one attack family. It records what got through in
``escaped`` and prints it; it answers the question right (``limit_value = 2``, the rest of the
notebook is answered correctly) only when nothing got through, so a submission scores full marks
exactly when the sandbox held. The course is a temporary copy *outside* the repository (as with
``make grade COURSE=...``), graded by plain ``nbgrader autograde`` with the course's
``nbgrader_config.py``, in warm (zygote) and cold (bubblewrap) mode; the control run grades the
same class with ``GRADING_SANDBOX=off`` and shows each attack working there.

Attacks are bounded: at most 100 processes that exit within seconds, 3 × 320 MiB of memory (the
test course caps a kernel at 768 MiB and 48 tasks), one-second network and socket timeouts, and
every target lies in the test's own temporary folder (or is the repository's solutions/, read
only).
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import COURSE_ROOT, nbgrader_env
from jupyter_client import KernelManager
from nbgrader.api import Gradebook
from synthetic_class.classroom import new_course, questions

from grading.sandbox import SandboxUnavailable, check

ASSIGNMENT = "01-limits"
SECRET = "grader-secret-7f3a9"


PRELUDE = """
import os, pathlib, socket, time
escaped = []
course = pathlib.Path({course!r})
mine = course / "autograded" / {student!r} / "01-limits"
outside = pathlib.Path({outside!r})
def attempt(name, action):
    try:
        if action() is not False:
            escaped.append(name)
    except Exception:
        pass
"""

ATTACKS = {
    "reader": """
import calclib
checkout = pathlib.Path(calclib.__file__).resolve().parents[1]
attempt("repository solutions via calclib", lambda: next((checkout / "solutions").rglob("*.ipynb")).read_bytes()[:1])
attempt("course solutions", lambda: next((course / "solutions").rglob("*.ipynb")).read_bytes()[:1])
attempt("gradebook", lambda: (course / "gradebook.db").read_bytes()[:1])
attempt("other submissions", lambda: next((course / "submitted").glob("honest/*/*.ipynb")).read_bytes()[:1])
attempt("the notebook being graded", lambda: next(mine.glob("*.ipynb")).read_bytes()[:1])
""",
    "writer": """
def replace_notebook_with_symlink():
    notebook = mine / "01-limits.ipynb"
    notebook.unlink()
    notebook.symlink_to(outside / "sentinel.txt")
def fifo():
    os.mkfifo(mine / "trap.ipynb")
    (mine / "trap.ipynb").unlink()  # bounded: leaving it would hang the unconfined control run
attempt("file in autograded", lambda: (mine / "evil.txt").write_text("x"))
attempt("fifo in autograded", fifo)
attempt("symlink in place of the notebook", replace_notebook_with_symlink)
attempt("file outside the course", lambda: (outside / "written.txt").write_text("x"))
attempt("network", lambda: socket.create_connection(("1.1.1.1", 53), 1).close())
""",
    "snooper": """
attempt("grader environment", lambda: any({secret!r} in v for v in os.environ.values()) or False)
attempt("grader HOME", lambda: os.environ.get("HOME") == {home!r} or False)
print("NBGRADER_EXECUTION=" + os.environ.get("NBGRADER_EXECUTION", "<unset>"))
print("UID=" + str(os.getuid()))
""",
    "hijacker": """
def drive_the_other_kernel():
    from jupyter_client import BlockingKernelClient
    client = BlockingKernelClient(connection_file={victim!r})
    client.load_connection_file()
    client.start_channels()
    try:
        reply = client.execute_interactive("hijacked = True", timeout=5)
        return reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
attempt("read another kernel's connection file", lambda: open({victim!r}).read()[:1])
attempt("run code in another kernel", drive_the_other_kernel)
""",
    "forker": """
def fork_bomb():
    children = []
    for _ in range(100):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(3)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    return len(children) >= 100 or False
attempt("100 processes", fork_bomb)
""",
    "hoarder": """
def memory_bomb():
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            block = bytearray(320 * 2**20)
            block[::4096] = b"x" * len(block[::4096])
            time.sleep(2)
            os._exit(0)
        children.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in children]
    return all(status == 0 for status in statuses) or False
attempt("960 MiB in 3 processes", memory_bomb)
""",
}
STUDENTS = ("honest", *ATTACKS)
REPORT = re.compile(r"ESCAPED: (\[.*\])")


def _hostile_class(root: Path, victim: Path) -> tuple[Path, Path]:
    course = new_course(root / "course", COURSE_ROOT, [ASSIGNMENT])
    outside = root / "outside"
    outside.mkdir()
    (outside / "sentinel.txt").write_text("untouched\n")
    with (course / "nbgrader_config.py").open("a") as config:
        config.write(
            "\nc.Execute.timeout = 20\n"
            "from grading.sandbox import Limits  # noqa: E402\n"
            "c.SandboxedKernelManager.limits = Limits(memory_bytes=768 * 2**20, tasks=48)\n"
        )
    solution = nbformat.read(course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(course / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    answers = {q.answer_id: q.solution for q in questions(solution)}
    first = questions(solution)[0].answer_id
    for student in STUDENTS:
        fields = {
            "course": str(course),
            "student": student,
            "outside": str(outside),
            "secret": SECRET,
            "home": os.environ.get("HOME", "/root"),
            "victim": str(victim),
        }
        attack = PRELUDE.format(**fields) + _fill(ATTACKS.get(student, ""), fields)
        attack += '\nprint("ESCAPED:", escaped)\nlimit_value = 2 if not escaped else -1\n'
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id == first:
                cell.source = attack
            elif grade_id in answers:
                cell.source = answers[grade_id]
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    return course, outside


def _fill(template: str, fields: dict[str, str]) -> str:
    """``{name!r}`` placeholders filled in, every other brace left as code."""
    return re.sub(r"\{(\w+)!r\}", lambda m: repr(fields[m.group(1)]), template)


def _tree_digest(*folders: Path) -> dict[str, str]:
    """sha256 of every file under ``folders`` (symlinks by their target), by path."""
    digest = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                digest[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def _protected(course: Path, outside: Path) -> dict[str, str]:
    """Everything a kernel must leave alone: the course's inputs and a folder outside the course.

    (The repository's own solutions/ is only read by the attacks; colleagues edit it meanwhile.)
    """
    digest = _tree_digest(course / "solutions", course / "notebooks", course / "submitted", outside)
    digest["nbgrader_config.py"] = hashlib.sha256(
        (course / "nbgrader_config.py").read_bytes()
    ).hexdigest()
    return digest


def _grade(course: Path, mode: str) -> subprocess.CompletedProcess:
    env = nbgrader_env() | {"GRADING_SANDBOX": mode, "GRADER_SECRET": SECRET}
    return subprocess.run(
        ["nbgrader", "autograde", ASSIGNMENT, "--force"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _outcome(course: Path) -> tuple[dict[str, float], dict[str, list[str]], dict[str, str]]:
    """Scores, each attacker's ESCAPED list and each notebook's whole printed output."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student_id: s.score for s in gradebook.find_assignment(ASSIGNMENT).submissions}
    escaped, printed = {}, {}
    for student in STUDENTS:
        notebook = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        if not notebook.is_file():  # a symlink is followed: the control run's writer made one
            continue
        nb = nbformat.read(notebook, 4)
        text = "".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []))
        printed[student] = text
        found = REPORT.search(text)
        if found:
            escaped[student] = ast.literal_eval(found.group(1))
    return scores, escaped, printed


@pytest.fixture(scope="module")
def victim(tmp_path_factory):
    """A kernel of someone else's, running beside the grading: its connection file is the prize."""
    folder = tmp_path_factory.mktemp("victim")
    km = KernelManager(connection_file=str(folder / "kernel-victim.json"))
    km.start_kernel()
    yield Path(km.connection_file)
    km.shutdown_kernel(now=True)


def _run(root: Path, victim: Path, mode: str):
    course, outside = _hostile_class(root, victim)
    before = _protected(course, outside)
    done = _grade(course, mode)
    return course, outside, before, done


@pytest.fixture(scope="module", params=["warm", "cold"])
def sandboxed(request, tmp_path_factory, victim):
    try:
        check(request.param)
    except SandboxUnavailable as reason:
        pytest.skip(str(reason))
    return request.param, *_run(tmp_path_factory.mktemp(request.param), victim, request.param)


@pytest.fixture(scope="module")
def unconfined(tmp_path_factory, victim):
    return _run(tmp_path_factory.mktemp("off"), victim, "off")


pytestmark = pytest.mark.slow


def test_every_attack_fails_and_honest_work_scores_full_marks(sandboxed):
    mode, course, _, _, done = sandboxed
    assert done.returncode == 0, done.stderr[-3000:]
    scores, escaped, _ = _outcome(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        full = gradebook.find_assignment(ASSIGNMENT).max_score
    assert scores["honest"] == full
    assert {student: escaped.get(student) for student in ATTACKS} == {
        student: [] for student in ATTACKS
    }
    assert scores == dict.fromkeys(STUDENTS, full), f"{mode}: {scores}"


def test_nothing_outside_the_kernels_scratch_changes(sandboxed):
    _, course, outside, before, _ = sandboxed
    assert _protected(course, outside) == before
    for student in STUDENTS:
        folder = course / "autograded" / student / ASSIGNMENT
        assert sorted(p.name for p in folder.iterdir()) == [f"{ASSIGNMENT}.ipynb"]
        assert not (folder / f"{ASSIGNMENT}.ipynb").is_symlink()
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_kernel_sees_nbgraders_variables_and_runs_unprivileged(sandboxed):
    _, course, _, _, _ = sandboxed
    printed = _outcome(course)[2]["snooper"]
    assert "NBGRADER_EXECUTION=autograde" in printed
    uid = int(re.search(r"UID=(\d+)", printed).group(1))
    assert uid != os.getuid() or os.getuid() != 0


def test_without_the_sandbox_every_attack_works(unconfined):
    """The control: the same class, GRADING_SANDBOX=off; proves each check above can fail."""
    course, outside, before, done = unconfined
    assert done.returncode == 0, done.stderr[-3000:]
    _, escaped, _ = _outcome(course)
    assert set(escaped["reader"]) == {
        "repository solutions via calclib",
        "course solutions",
        "gradebook",
        "other submissions",
        "the notebook being graded",
    }
    writer = {"file in autograded", "fifo in autograded", "symlink in place of the notebook"}
    assert set(escaped["writer"]) == writer | {"file outside the course", "network"} or set(
        escaped["writer"]
    ) == writer | {"file outside the course"}  # this machine may have no route to the internet
    assert (outside / "written.txt").exists()
    assert (outside / "sentinel.txt").read_text() != "untouched\n", "nbgrader wrote through it"
    assert escaped["snooper"] == ["grader environment", "grader HOME"]
    assert escaped["hijacker"] == [
        "read another kernel's connection file",
        "run code in another kernel",
    ]
    assert escaped["forker"] == ["100 processes"]
    assert escaped["hoarder"] == ["960 MiB in 3 processes"]
    assert _protected(course, outside) != before


FORMGRADER = """
import sys
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

course = sys.argv[1]
config = PyFileConfigLoader("nbgrader_config.py", path=course).load_config()
config.CourseDirectory.root = course
api = NbGraderAPI(CourseDirectory(config=config), config=config)
for student in sys.argv[2:]:
    result = api.autograde("01-limits", student, force=True, create=True)
    assert result["success"], result
"""


def test_the_formgraders_autograde_runs_in_the_same_sandbox(tmp_path, victim):
    """NbGraderAPI.autograde with the course's config: what the Formgrader's button calls."""
    course, outside = _hostile_class(tmp_path, victim)
    before = _protected(course, outside)
    env = nbgrader_env() | {"GRADER_SECRET": SECRET}
    env.pop("GRADING_SANDBOX", None)  # the default: auto
    done = subprocess.run(
        [sys.executable, "-c", FORMGRADER, str(course), "reader", "writer", "snooper"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    _, escaped, _ = _outcome(course)
    assert escaped == {"reader": [], "writer": [], "snooper": []}
    assert _protected(course, outside) == before
