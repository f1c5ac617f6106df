"""A PostgreSQL gradebook written by parallel grading workers: no grade lost, none duplicated.

The test starts a real PostgreSQL server of its own (``initdb`` and ``pg_ctl`` in a temporary
folder, a free port on localhost, its Unix socket in that folder, run as the ``postgres`` user
when the tests run as root), grades a class of 03-partial-derivatives into it with
``python -m grading --db-url`` and two workers, checks the database row by row, and stops it.
"""

from __future__ import annotations

import csv
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import COURSE_ROOT
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text
from synthetic_class.classroom import (
    STUDENTS,
    grade_class,
    new_course,
    place_class,
    sandbox_options,
)

pytestmark = pytest.mark.slow

ASSIGNMENT = "03-partial-derivatives"
COPIES = 2
SERVER_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
def graded_into_postgres(postgres, tmp_path_factory):
    course = new_course(tmp_path_factory.mktemp("pg"), COURSE_ROOT, [ASSIGNMENT], release=False)
    expected = {}
    for copy in range(COPIES):
        expected |= place_class(course, ASSIGNMENT, {s: f"{s}-{copy}" for s in STUDENTS})
    done = grade_class(course, "--db-url", postgres, *sandbox_options())
    return course, expected, done, postgres


def test_every_grade_lands_in_postgres_once(graded_into_postgres):
    course, expected, done, url = graded_into_postgres
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (course / "gradebook.db").exists(), "grading wrote a SQLite gradebook instead"
    with Gradebook(url, "calculus-for-ml") as gradebook:
        scores = {s.student_id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}
        cells = len(gradebook.find_assignment(ASSIGNMENT).notebooks[0].grade_cells)
    assert scores == pytest.approx(expected)
    engine = create_engine(url)
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


def test_grades_csv_comes_from_the_postgres_gradebook(graded_into_postgres):
    course, expected, _, _ = graded_into_postgres
    with (course / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["student_id"]: float(r["score"]) for r in rows} == pytest.approx(expected)
