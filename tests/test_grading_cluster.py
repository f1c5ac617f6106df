"""Grading on a real Dask cluster into a PostgreSQL gradebook, one of whose workers is killed mid-run.

The deployment the README describes for a large class, on localhost: a real PostgreSQL server of
the test's own (``initdb`` and ``pg_ctl`` in a temporary folder, a free port, its Unix socket in
that folder, run as the ``postgres`` user when the tests run as root), ``dask scheduler`` and two
``dask worker`` processes (one thread each, no nanny to bring a killed worker back). A class of
02-derivatives is graded with ``python -m grading --scheduler ... --db-url ...``, and one worker is
killed with SIGKILL while it is grading a submission. The scheduler must run that task again on
the other worker: every student is graded exactly once with the right score, the database holds
one submission and one grade per cell for each (none lost, none duplicated by the two writers or
the retry), and the run reports nothing lost.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import COURSE_ROOT
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text
from synthetic_class.classroom import STUDENTS, new_course, place_class, sandbox_options

pytestmark = pytest.mark.slow

ASSIGNMENT = "02-derivatives"
COPIES = 2  # the six synthetic students twice: 12 submissions, time to kill one worker mid-run
SERVER_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dask_process(*args: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    with log.open("w") as out:
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "dask"), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def accepts_connections(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A PostgreSQL server on localhost for this module; yields its database URL."""
    if not SERVER_BIN:
        pytest.skip("PostgreSQL's server is not installed (apt-get install postgresql)")
    bin_dir = Path(SERVER_BIN[-1])
    data = Path(tempfile.mkdtemp(prefix="gradebook-postgres-"))
    # PostgreSQL refuses to run as root: as root, the server runs as the Debian package's user.
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(data, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data / "db"), "-U", "grader", "--auth=trust")
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data / "db"),
        "-l",
        str(data / "server.log"),
        "-w",
        "-o",
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
        "start",
    )
    try:
        yield f"postgresql://grader@127.0.0.1:{port}/postgres"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster_run(postgres, tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    course = new_course(root / "course", COURSE_ROOT, [ASSIGNMENT], release=False)
    expected = {}
    for copy in range(COPIES):
        ids = {student: f"{student}-{copy}" for student in STUDENTS}
        expected |= place_class(course, ASSIGNMENT, ids)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [
        dask_process(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
            log=root / "scheduler.log",
        )
    ]
    wait_for(lambda: accepts_connections(port), "the scheduler")
    worker_args = ["worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
    workers = [dask_process(*worker_args, log=root / f"worker{i}.log") for i in range(2)]
    processes += workers

    from distributed import Client

    try:
        with Client(address, timeout="30s") as observer:
            wait_for(lambda: len(observer.scheduler_info()["workers"]) == 2, "two workers")
            by_pid = {pid: addr for addr, pid in observer.run(os.getpid).items()}
            victim = workers[0]
            victim_address = by_pid[victim.pid]
            env = dict(
                os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
            )
            grading = subprocess.Popen(
                [sys.executable, "-m", "grading", "--course", str(course), "--scheduler", address]
                + ["--db-url", postgres, *sandbox_options()],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            # Kill the victim once it has graded one submission and is busy with another.
            wait_for(
                lambda: any(
                    json.loads(p.read_text())["worker"].endswith(f":{victim.pid}")
                    for p in course.glob("grading-state/*/*.json")
                ),
                "the victim to grade one submission",
                timeout=600,
            )
            wait_for(
                lambda: observer.processing(workers=[victim_address])[victim_address],
                "the victim to take a task",
            )
            in_flight = list(observer.processing(workers=[victim_address])[victim_address])
            os.kill(victim.pid, signal.SIGKILL)
            stdout, stderr = grading.communicate(timeout=900)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    return course, expected, grading.returncode, stdout, stderr, in_flight, victim.pid


def test_every_student_is_graded_once_with_the_right_score(cluster_run, postgres):
    course, expected, code, stdout, stderr, _, _ = cluster_run
    assert code == 0, stdout + stderr
    assert not (course / "gradebook.db").exists(), "grading wrote a SQLite gradebook instead"
    with Gradebook(postgres, "calculus-for-ml") as gradebook:
        submissions = gradebook.assignment_submissions(ASSIGNMENT)
        scores = {s.student_id: s.score for s in submissions}
        assert len(submissions) == len(expected)
    assert scores == pytest.approx(expected)
    with (course / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = Counter(row["student_id"] for row in rows)
    assert ids == Counter(list(expected)), "a student is missing from grades.csv or listed twice"
    assert {r["student_id"]: float(r["score"]) for r in rows} == pytest.approx(expected)
    assert f"this run: {len(expected)} graded" in stdout


def test_every_grade_lands_in_postgres_once(cluster_run, postgres):
    expected = cluster_run[1]
    with Gradebook(postgres, "calculus-for-ml") as gradebook:
        cells = len(gradebook.find_assignment(ASSIGNMENT).notebooks[0].grade_cells)
    engine = create_engine(postgres)
    with engine.connect() as db:
        per_student = db.execute(
            text(
                "SELECT student.id, COUNT(DISTINCT submitted_assignment.id), COUNT(grade.id) "
                "FROM student JOIN submitted_assignment ON submitted_assignment.student_id = "
                "student.id JOIN submitted_notebook ON submitted_notebook.assignment_id = "
                "submitted_assignment.id JOIN grade ON grade.notebook_id = submitted_notebook.id "
                "GROUP BY student.id"
            )
        ).all()
    engine.dispose()
    assert {row[0]: (row[1], row[2]) for row in per_student} == {
        student: (1, cells) for student in expected
    }, "a submission or a grade is missing or duplicated"


def test_the_killed_workers_tasks_were_graded_again_on_the_other_worker(cluster_run):
    """Every task the scheduler had given the victim (running or queued) ends on the survivor."""
    course, _, _, _, _, in_flight, victim_pid = cluster_run
    assert in_flight
    for key in in_flight:
        match = re.fullmatch(rf"grade-{ASSIGNMENT}-(.+)-[0-9a-f]{{8}}", key)
        assert match, key
        state = course / "grading-state" / match[1] / f"{ASSIGNMENT}.json"
        record = json.loads(state.read_text())
        assert record["status"] == "graded"
        assert not record["worker"].endswith(f":{victim_pid}")
