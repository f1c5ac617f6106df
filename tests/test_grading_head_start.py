"""A local run's head start: its warm processes start before the grader imports nbgrader.

``python -m grading`` starts the kernels' zygote and the workers' fork server first, so that they
warm up beside the grader's own imports, and imports matplotlib for the score plots while the
last submissions grade. These tests hold the head start to what makes it worth having (it
imports nothing heavy, starts each process once, warms what the lessons need) and check that a
run cut short leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import COURSE_ROOT

from grading.classroom import GRADE, Work, run
from grading.head_start import lessons_to_grade
from grading.submission import GRADED, NOT_GRADED, Outcome, write_state


def lesson(folder: Path, name: str, source: str) -> None:
    (folder / name).mkdir(parents=True, exist_ok=True)
    cells = [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}]
    (folder / name / f"{name}.ipynb").write_text(json.dumps({"cells": cells}))


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """Two lessons, one of them handed in by one student, and a stray folder beside it."""
    for folder in ("solutions", "notebooks"):
        lesson(tmp_path / folder, "01-limits", "import sympy\nfrom calclib.limits import limit")
        lesson(tmp_path / folder, "04-chain-rule", "import torch")
    (tmp_path / "submitted" / "ana" / "01-limits").mkdir(parents=True)
    (tmp_path / "submitted" / "ana" / "scratch").mkdir()
    return tmp_path


def test_the_lessons_to_grade_are_those_handed_in_or_asked_for(course: Path):
    limits = [course / f / "01-limits" / "01-limits.ipynb" for f in ("solutions", "notebooks")]
    assert lessons_to_grade(course, []) == limits
    assert lessons_to_grade(course, ["01-limits", "04-chain-rule"]) == limits
    assert lessons_to_grade(course, ["04-chain-rule"]) == []
    shutil.rmtree(course / "submitted")
    assert lessons_to_grade(course, []) == []


def test_a_submission_graded_and_unchanged_since_starts_nothing_ahead(course: Path):
    """A rerun with nothing new stays quick: no zygote, no fork server (unless --force)."""
    limits = [course / f / "01-limits" / "01-limits.ipynb" for f in ("solutions", "notebooks")]
    write_state(course, Outcome("01-limits", "ana", GRADED), fingerprint="")
    assert lessons_to_grade(course, []) == []
    assert lessons_to_grade(course, [], force=True) == limits
    later = time.time() + 5  # collected again since (nbgrader's collect makes the folder anew)
    os.utime(course / "submitted" / "ana" / "01-limits", (later, later))
    assert lessons_to_grade(course, []) == limits
    earlier = time.time() - 60
    os.utime(course / "submitted" / "ana" / "01-limits", (earlier, earlier))
    write_state(course, Outcome("01-limits", "ana", NOT_GRADED), fingerprint="")
    assert lessons_to_grade(course, []) == limits  # not graded: a run grades it again


HEAD_START = """
import os, sys
from multiprocessing import forkserver
from pathlib import Path
from grading import head_start
head_start.start_local_processes(Path(sys.argv[1]), [])
heavy = sorted(m for m in ("nbgrader", "jupyter_client", "nbformat", "nbconvert") if m in sys.modules)
server = forkserver._forkserver
print(heavy, server._forkserver_pid is not None, server._preload_modules, flush=True)
head_start.stop_fork_server()
"""


def test_the_head_start_imports_no_grading_library_and_starts_the_fork_server(course: Path):
    """The point of the head start: it returns before nbgrader & co. are imported (1.4 s)."""
    done = subprocess.run(
        [sys.executable, "-c", HEAD_START, str(course)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "GRADING_SANDBOX": "off"},  # the zygote: test_grading_sandbox.py
    )
    heavy, started, preload = done.stdout.split(" ", 2)
    assert heavy == "[]", done.stdout
    assert started == "True"
    assert "'sympy'" in preload and "'calclib.limits'" in preload and "torch" not in preload


def test_a_run_that_ends_at_once_stops_its_head_start_and_leaves_nothing_behind(course: Path):
    """No nbgrader_config.py: the run ends at once, its zygote and fork server already started."""
    if os.geteuid() != 0:
        pytest.skip("the zygote needs root (warm kernels)")
    tmp = Path(tempfile.mkdtemp(prefix="head-start-", dir="/tmp"))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "grading", "--course", str(course)],
            capture_output=True,
            check=False,
            text=True,
            timeout=120,
            cwd=COURSE_ROOT,
            env={**os.environ, "TMPDIR": str(tmp), "GRADING_SANDBOX": "warm"},
        )
        assert done.returncode == 2, done.stderr
        assert "nbgrader_config.py" in done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        assert sorted(p.name for p in tmp.iterdir()) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.parametrize("students", [1, 3])
def test_winding_down_is_called_once_when_a_worker_has_nothing_left(course: Path, students: int):
    """On two workers: called once, after all but one result came in (the last may follow)."""
    work = [Work("01-limits", f"student{i}", GRADE, "test") for i in range(students)]
    states: list[int] = []  # refused submissions (no folder): each writes its state at once

    def winding_down() -> None:
        states.append(len(list((course / "grading-state").rglob("*.json"))))

    saved = dict(os.environ)  # the fork server's environment is set in this process
    os.environ["GRADING_SANDBOX"] = "off"
    try:
        with open(os.devnull, "w") as quiet:
            outcomes = run(course, work, workers=2, winding_down=winding_down, progress_file=quiet)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert sorted(o.student for o in outcomes) == [w.student for w in work]
    assert len(states) == 1
    assert states[0] >= students - 1
