"""Grading leaves no runtime folders behind, even when a grading process is killed.

Each grading process keeps its kernels' runtime folders (connection files, sockets) under
``$TMPDIR/grading-kernels-<pid>-…`` and the warm kernel factory its socket under
``$TMPDIR/grading-zygote-…``. Every test here runs with a private ``TMPDIR`` and counts what is
left in it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import COURSE_ROOT
from synthetic_class.classroom import grade_class, new_course, place_class, sandbox_options

LEFTOVERS = ("grading-kernels-*", "grading-zygote-*")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for pattern in LEFTOVERS for p in folder.glob(pattern))


@pytest.fixture
def private_tmpdir(monkeypatch: pytest.MonkeyPatch):
    """A TMPDIR of the test's own, short enough for the sockets grading keeps there."""
    folder = Path(tempfile.mkdtemp(prefix="leftovers-", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_graded_class_leaves_no_runtime_folder(tmp_path, private_tmpdir):
    tmpdir = private_tmpdir
    course = new_course(tmp_path / "course", COURSE_ROOT, ["01-limits"])
    place_class(course, "01-limits")
    done = grade_class(course, *sandbox_options())
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: a student not graded
    assert len(list(course.glob("grading-state/*/*.json"))) == 6
    assert leftovers(tmpdir) == []


KILLED_GRADER = """
import os, signal, sys
from grading import head_start, kernels
print(kernels.grading_runtime_root(), flush=True)
if sys.argv[1] == "zygote":
    head_start.Zygote.instance().start(optional=())
    print(head_start.Zygote.instance().socket_path, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no atexit, as a killed Dask worker
"""


def killed_grader(what: str) -> list[Path]:
    """Run a grading process that makes its folders and is then killed; the folders it printed."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_GRADER, what], capture_output=True, text=True, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return [Path(line) for line in done.stdout.split()]


def test_a_killed_graders_runtime_root_is_removed_by_the_next_grader(private_tmpdir):
    tmpdir = private_tmpdir
    (root,) = killed_grader("root")
    assert root.parent == tmpdir and root.is_dir()
    (root / "k-abc").mkdir()  # a kernel's runtime folder it never removed
    (root / "k-abc" / "kernel.json").write_text("{}")
    (newer,) = killed_grader("root")
    assert not root.exists()
    assert leftovers(tmpdir) == [newer.name]


def test_the_zygote_of_a_killed_grader_removes_its_socket_folder(private_tmpdir):
    from grading.sandbox import SandboxUnavailable, check

    try:
        if check() != "warm":
            pytest.skip("no warm kernels here (the zygote needs root)")
    except SandboxUnavailable as error:
        pytest.skip(str(error))
    _, socket = killed_grader("zygote")
    deadline = time.monotonic() + 30
    while socket.parent.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not socket.parent.exists(), os.listdir(socket.parent)


def test_the_fork_server_of_the_local_workers_is_stopped_when_the_cluster_closes():
    from multiprocessing import forkserver

    from distributed.utils import get_mp_context

    from grading.head_start import stop_fork_server

    get_mp_context().set_forkserver_preload([])
    forkserver.ensure_running()
    pid = forkserver._forkserver._forkserver_pid
    assert pid is not None and Path(f"/proc/{pid}").exists()
    stop_fork_server()
    assert not Path(f"/proc/{pid}").exists(), "the fork server is still running (or unreaped)"
    assert forkserver._forkserver._forkserver_pid is None
    stop_fork_server()  # none running: nothing to do
