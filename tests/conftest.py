"""Shared fixtures: the course root, its assignments, and an environment for the nbgrader CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import settings

COURSE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(COURSE_ROOT / "scripts"))

from release import course_assignments

ASSIGNMENTS = course_assignments()

# Property tests: no per-example deadline (the machine is shared and noisy) and the same examples
# on every run, so a red CI run can be reproduced.
settings.register_profile("course", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("course")


def solution_path(assignment: str) -> Path:
    return COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def release_path(assignment: str) -> Path:
    return COURSE_ROOT / "notebooks" / assignment / f"{assignment}.ipynb"


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_env() -> dict[str, str]:
    """This interpreter's bin/ first on PATH: nbgrader runs `alembic` by name."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def grade_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def as_json(obj: object) -> str:
    return json.dumps(obj, indent=1, sort_keys=True)


@pytest.fixture(scope="session")
def course_root() -> Path:
    return COURSE_ROOT


# The files that take long, in seconds: each file's tests summed (junit) in a whole `make test`
# run on this 2-core machine, 2 December 2026 16:01-16:17 (load 3-7: the suite itself, and
# another engineer's grading from 16:09; team-notes/suite.md), less what later cuts saved where
# they were measured (exchange, instructor_manual). Every other file takes seconds at most.
# They serve twice:
# - order: `make test` hands whole files to two workers (--dist loadfile) in collection order
#   (--no-loadscope-reorder: xdist's default order, most tests first, left these few-test files
#   for the end, and one worker ran them alone); longest first, the workers finish together.
# - time limit: pytest-timeout's 600 s a test (pyproject.toml) can be too short for a file whose
#   fixture starts a JupyterLab, an exchange or grades a class (set-up counts towards the first
#   test using it) on a loaded machine; these get LONG_FILE_TIMEOUT. A mark in the file wins.
LONG_FILES = {
    "test_grading_integrity.py": 279,
    "test_grading_isolation.py": 266,
    "test_browser.py": 197,
    "test_grading_lms.py": 148,
    "test_exchange.py": 140,
    "test_grading_flow.py": 133,
    "test_challenge_answers.py": 90,  # with the judge's run of five banks (then 40 s, now here)
    "test_instructor_day.py": 59,
    "test_grading_cluster.py": 55,  # with the PostgreSQL gradebook (then its own file, 32 s)
    "test_grading_judge_lesson.py": 42,
    "test_course_pipeline.py": 41,
    "test_grading_sandbox.py": 35,
    "test_checking_grading_modes.py": 26,
    "test_grading_preflight.py": 22,
    "test_grading_head_start.py": 10,
    "test_instructor_manual.py": 21,
    "test_notebook_06_autograd.py": 17,
    "test_notebook_05_gradient_descent.py": 13,
    "test_notebook_04_chain_rule.py": 13,
    "test_notebook_07_integrals_and_expectation.py": 10,
    "test_instructor_lab.py": 10,
    "test_notebook_00_start_here.py": 9,
    "test_make_lab.py": 5,
    "test_notebook_02_derivatives.py": 5,
    "test_notebook_03_partial_derivatives.py": 5,
    "test_notebook_01_limits.py": 4,
}


LONG_FILE_TIMEOUT = 1800  # a hang still fails well inside CI's 90 minutes


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first (each file's tests in their order); their own time limits."""
    items.sort(key=lambda item: -LONG_FILES.get(item.path.name, 0))  # stable: files stay whole
    for item in items:
        seconds = LONG_FILES.get(item.path.name)
        if seconds and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(LONG_FILE_TIMEOUT))


# A run leaves the work tree as it found it. .ci/run fails on anything new in a fresh clone; here
# the run only reports new files, as the tree may be shared with other runs that write into it.
TOOL_CACHES = {".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}


def work_tree_changes() -> set[str]:
    """New files, ignored ones included (``git status --porcelain --ignored``), caches left out.

    Empty outside a git checkout.
    """
    done = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=normal"],
        cwd=COURSE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return set()
    return {
        line
        for line in done.stdout.splitlines()
        if line[:2] in ("??", "!!")
        and not TOOL_CACHES & set(Path(line[3:]).parts)
        and not line.rstrip("/").endswith(".egg-info")
    }


CHANGES_BEFORE = pytest.StashKey[set[str]]()


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the xdist controller, or a plain run
        session.config.stash[CHANGES_BEFORE] = work_tree_changes()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if CHANGES_BEFORE not in config.stash:
        return
    left = sorted(work_tree_changes() - config.stash[CHANGES_BEFORE])
    if left:
        terminalreporter.section("files left in the work tree", yellow=True)
        for line in left:
            terminalreporter.write_line(line)
