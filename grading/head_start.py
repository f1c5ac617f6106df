"""What a local grading run forks from, started before the grader's own imports.

A local run grades in processes forked from two warm ones: the **zygote**
(:mod:`grading.sandbox_zygote`), which the kernels are forked from, with numpy, matplotlib, sympy,
ipywidgets and calclib imported; and multiprocessing's **fork server**, which the Dask workers are
forked from, with nbgrader, Dask and what the judge needs imported. Each takes a few seconds of
imports. :func:`start_local_processes` starts both at once, before ``python -m grading`` imports
nbgrader and Dask itself (1.4 s), so that on a two-core machine the three warm up side by side
instead of one after the other. Nothing here imports nbgrader or jupyter_client; Dask is imported
(0.4 s) to give the fork server the environment Dask gives its workers.

Example::

    start_local_processes(course, ["01-limits"])   # returns once both are started
    ...                                            # the grader's imports, its gradebook, its plan
    with dask_client(2, None, lessons):            # the same processes, by then (nearly) warm
        ...
    stop_fork_server()
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from grading import sandbox
from grading.sandbox_zygote import OPTIONAL_WARM_MODULES, LaunchRequest

SOCKET_PATH_ROOM = 60
"""Bytes the deepest socket path takes below its base folder (``grading-kernels-<pid>-…/k-…/s-4``).
A Unix socket's path holds at most 107 bytes."""


def socket_base() -> Path:
    """The folder for grading's socket folders: the temporary folder, or /tmp if that is too deep.

    A kernel whose socket path is longer than a Unix socket allows cannot start ("File name too
    long"): a deep ``$TMPDIR`` (a test's temporary folder, a home directory's) gives way to /tmp.

    >>> len(os.fsencode(str(socket_base()))) + SOCKET_PATH_ROOM <= 107
    True
    """
    base = tempfile.gettempdir()
    if len(os.fsencode(base)) + SOCKET_PATH_ROOM > 107 and os.path.isdir("/tmp"):
        return Path("/tmp")
    return Path(base)


_ZYGOTE_LOCK = threading.Lock()


def new_zygote_socket() -> str:
    """The path of a zygote's socket, in a new folder only its owner may enter (0700).

    >>> folder = Path(new_zygote_socket()).parent
    >>> folder.stat().st_mode & 0o777, folder.name.startswith("grading-zygote-")
    (448, True)
    >>> folder.rmdir()
    """
    folder = tempfile.mkdtemp(prefix="grading-zygote-", dir=socket_base())
    return str(Path(folder) / "zygote.sock")


SHARED_ZYGOTE_VARIABLE = "GRADING_ZYGOTE"
"""The socket of a zygote that another grading process of this machine started for its workers
(:func:`share_zygote`); a process that finds it set forks its kernels there instead of starting a
zygote of its own."""


class Zygote:
    """This process's warm kernel factory: a ``grading.sandbox_zygote`` child process, or the
    zygote shared by the grading workers of this machine (``$GRADING_ZYGOTE``).

    Examples
    --------
    >>> Zygote.instance() is Zygote.instance()
    True
    """

    _instance: Zygote | None = None

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.socket_path = ""
        self.shared = False  # True: another process's zygote, reached through its socket
        self.starting: threading.Thread | None = None  # share_zygote's start, while it runs
        self.stopped = False

    @classmethod
    def instance(cls) -> Zygote:
        with _ZYGOTE_LOCK:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def start(
        self, socket_path: str = "", optional: tuple[str, ...] = OPTIONAL_WARM_MODULES
    ) -> None:
        """Start the zygote (once; a few seconds of imports) and wait until it is ready.

        A zygote shared through ``$GRADING_ZYGOTE`` (by another process) is used as it is;
        ``socket_path`` (in a root-only folder) is where to start one, default a new folder;
        ``optional``: which of the optional libraries (torch) it warms too.
        """
        with _ZYGOTE_LOCK:
            if self.shared or (self.process is not None and self.process.poll() is None):
                return
            shared = os.environ.get(SHARED_ZYGOTE_VARIABLE, "")
            if shared and shared != socket_path and Path(shared).exists():
                self.socket_path, self.shared = shared, True
                return
            self.socket_path, self.stopped = socket_path or new_zygote_socket(), False
            self.process = subprocess.Popen(
                [sys.executable, "-m", "grading.sandbox_zygote", self.socket_path, *optional],
                stdout=subprocess.PIPE,
                stdin=subprocess.PIPE,  # closed when this process ends: the zygote then stops
                start_new_session=True,  # no controlling terminal for it or its kernels
                env={**os.environ, "OMP_NUM_THREADS": "1"},
            )
            sandbox.at_exit(self.stop)  # from now on: a run may end before the zygote is ready
            assert self.process.stdout is not None
            ready = self.process.stdout.readline()
            if ready.strip() != b"ready":
                self.process.kill()
                if self.stopped:
                    return
                raise sandbox.SandboxUnavailable(
                    "the warm kernel factory (python -m grading.sandbox_zygote) did not start: "
                    f"it exited with {self.process.wait()}; its error is printed above"
                )

    def stop(self) -> None:
        """Stop the zygote (its kernels die with it); a shared one is its owner's to stop."""
        if self.shared:
            return
        self.stopped = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.socket_path:
            shutil.rmtree(Path(self.socket_path).parent, ignore_errors=True)

    def launch(self, request: LaunchRequest) -> tuple[socket.socket, int]:
        """Ask for one kernel; return the connection that owns it and the keeper's pid."""
        self.start()
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(self.socket_path)
        except OSError:
            if not self.shared:
                raise
            connection.close()  # the shared zygote is gone: start one of our own
            os.environ.pop(SHARED_ZYGOTE_VARIABLE, None)
            self.shared, self.socket_path = False, ""
            return self.launch(request)
        connection.sendall(request.to_json().encode() + b"\n")
        line = b""
        while not line.endswith(b"\n"):  # byte by byte: the exit report may follow at once
            byte = connection.recv(1)
            if not byte:
                break
            line += byte
        answer = json.loads(line or b"{}")
        if "pid" not in answer:
            connection.close()
            raise RuntimeError(f"the warm kernel factory refused to start a kernel: {answer}")
        return connection, answer["pid"]


def lesson_imports(notebooks: list[Path], dotted: bool = False) -> set[str]:
    """The top-level modules the code cells of ``notebooks`` import (cells that do not parse,
    IPython magics say, are read line by line); ``dotted``: the modules as the cells name them.

    The notebooks are read as JSON (nbformat 4, the course's), not through nbformat, whose
    imports would cost the grader's head start a second.

    >>> lesson = {"cells": [{"cell_type": "code", "source": ["%matplotlib inline\\n",
    ...     "import torch.nn as nn\\n", "from calclib.engine import Value"]}]}
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "lesson.ipynb").write_text(json.dumps(lesson))
    >>> sorted(lesson_imports([folder / "lesson.ipynb", folder / "missing.ipynb"]))
    ['calclib', 'torch']
    >>> sorted(lesson_imports([folder / "lesson.ipynb"], dotted=True))
    ['calclib.engine', 'torch.nn']
    """
    modules: set[str] = set()
    for path in notebooks:
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            try:
                trees = [ast.parse(source)]
            except SyntaxError:
                trees = []
                for line in source.splitlines():
                    with contextlib.suppress(SyntaxError):
                        trees.append(ast.parse(line.strip()))
            for tree in trees:
                for node in ast.walk(tree):
                    if isinstance(node, ast.Import):
                        modules |= {alias.name for alias in node.names}
                    elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                        modules.add(node.module)
    return modules if dotted else {name.split(".")[0] for name in modules}


def share_zygote(lessons: list[Path] | None = None) -> threading.Thread | None:
    """Start a zygote in the background for the grading workers this process is about to start.

    Sets ``$GRADING_ZYGOTE`` at once, so that workers started from now on (they inherit the
    environment) fork their kernels from this one zygote: one warm-up per machine instead of one
    per worker, paid while the workers start. It warms torch only if one of the ``lessons``
    (notebooks; None: any lesson) imports it. Join the thread before sending them work. Returns
    None when there is nothing to wait for: kernels are not warm here (nothing is shared), or
    this process's zygote already runs (it is shared as it is). A second call while the first
    one's zygote still starts returns the same thread.

    Examples
    --------
    >>> import os
    >>> os.environ["GRADING_SANDBOX"] = "off"
    >>> share_zygote() is None
    True
    >>> del os.environ["GRADING_SANDBOX"]
    """
    if sandbox.check() != "warm":
        return None
    zygote = Zygote.instance()
    if zygote.starting is not None and zygote.starting.is_alive():
        return zygote.starting
    if not zygote.shared and zygote.process is not None and zygote.process.poll() is None:
        os.environ[SHARED_ZYGOTE_VARIABLE] = zygote.socket_path
        return None
    socket_path = new_zygote_socket()
    os.environ[SHARED_ZYGOTE_VARIABLE] = socket_path
    imported = lesson_imports(lessons) if lessons is not None else set(OPTIONAL_WARM_MODULES)
    optional = tuple(name for name in OPTIONAL_WARM_MODULES if name in imported)
    thread = threading.Thread(
        target=zygote.start, args=(socket_path, optional), name="zygote start", daemon=True
    )
    zygote.starting = thread
    thread.start()
    return thread


def worker_modules(lessons: list[Path] | None) -> list[str]:
    """What a local grading worker imports before its first submission, in import order.

    nbgrader and the grading task (1.5 s), then what the judge's set-up of each lesson graded
    imports (sympy, pyplot, calclib; torch for 04-06: 2 s and more). Imported once by the server
    the workers are forked from instead of once by each worker.

    >>> worker_modules([])[:2]
    ['distributed', 'grading.submission']
    """
    return [
        "distributed",
        "grading.submission",
        *sorted(lesson_imports(lessons or [], dotted=True)),
    ]


def start_fork_server(lessons: list[Path] | None) -> None:
    """Start multiprocessing's fork server now, importing :func:`worker_modules` in the background.

    The local Dask cluster forks its workers from it (``multiprocessing-method: forkserver``);
    left to Dask, it would start with the first worker. It is started with the environment Dask's
    nanny gives the processes it starts (``distributed.nanny.pre-spawn-environ``: one BLAS
    thread per worker, memory trimming), which must be in place before it imports numpy.
    """
    from multiprocessing import forkserver

    import dask
    import distributed  # noqa: F401 - registers Dask's distributed configuration

    for name, value in dask.config.get("distributed.nanny.pre-spawn-environ").items():
        if value is not None:
            os.environ.setdefault(name, str(value))
    forkserver.set_forkserver_preload(worker_modules(lessons))
    forkserver.ensure_running()


def stop_fork_server() -> None:
    """Stop multiprocessing's fork server (the local workers' parent) now, not at this one's exit.

    Left to itself it stops when this process exits, then takes most of a second to free what it
    imported, holding this process's standard output and error all along: whoever reads them to
    the end (a script, a CI log) waits for it. It keeps no state: it is killed, then reaped. A
    later local cluster starts a new one. (multiprocessing has no public way to stop it; without
    the attribute read here, it is left to stop on its own.)

    >>> stop_fork_server()  # none running: nothing to do
    """
    from multiprocessing import forkserver

    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    server._stop()


def state_path(course: Path, assignment: str, student: str) -> Path:
    """Where the record of a graded submission is kept (:func:`grading.submission.write_state`).

    >>> state_path(Path("course"), "01-limits", "ana").as_posix()
    'course/grading-state/ana/01-limits.json'
    """
    return course / "grading-state" / student / f"{assignment}.json"


def lessons_to_grade(course: Path, assignments: list[str], force: bool = False) -> list[Path]:
    """The lesson notebooks a run of ``assignments`` (none: all) will likely grade: solution and
    release of each assignment with a submission that looks new or changed (``force``: any).

    A guess from the folders alone, made before the gradebook and the submissions' fingerprints
    say what needs grading: a submission looks unchanged when its record says it was graded and
    nothing in its folder (the folder included: nbgrader's collect makes it anew) is newer than
    that record. A wrong guess costs time, never a grade.

    >>> lessons_to_grade(Path("/nonexistent"), [])
    []
    """
    submitted = course / "submitted"
    if not submitted.is_dir():
        return []
    names = {
        entry.name
        for student in submitted.iterdir()
        if student.is_dir()
        for entry in student.iterdir()
        if (not assignments or entry.name in assignments)
        and (force or _looks_new(entry, state_path(course, entry.name, student.name)))
    }
    return [
        course / folder / name / f"{name}.ipynb"
        for name in sorted(names)
        if (course / "solutions" / name / f"{name}.ipynb").is_file()
        for folder in ("solutions", "notebooks")  # the hidden tests, the students' copy
    ]


def _looks_new(submission: Path, record: Path) -> bool:
    try:
        recorded = record.stat().st_mtime
        status = json.loads(record.read_text(encoding="utf-8")).get("status")
        if status == "not graded":  # grading.submission.NOT_GRADED: graded again at every run
            return True
        newest = submission.lstat().st_mtime
        for parent, folders, files in os.walk(submission):
            for name in folders + files:
                newest = max(newest, os.lstat(os.path.join(parent, name)).st_mtime)
    except (OSError, ValueError, AttributeError):
        return True
    return newest > recorded


def start_local_processes(course: Path, assignments: list[str], force: bool = False) -> None:
    """Start the zygote and the fork server for a local run of ``assignments`` (none: all).

    Returns once both are started; :func:`grading.classroom.dask_client` waits for them to be
    warm. Nothing is started when nothing looks new (:func:`lessons_to_grade`: a rerun with
    nothing to grade stays quick), and no zygote when kernels cannot be warm here (the grader
    then reports why, as without a head start).
    """
    lessons = lessons_to_grade(course, assignments, force)
    if not lessons:
        return
    with contextlib.suppress(sandbox.SandboxUnavailable):
        share_zygote(lessons)
    start_fork_server(lessons)
