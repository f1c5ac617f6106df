"""The course as nbgrader sees it: its configuration, its gradebook and its assignments.

A course folder is this repository (or a copy of it): ``nbgrader_config.py`` at its root,
lessons in ``solutions/<assignment>/<assignment>.ipynb``, student work in
``submitted/<student>/<assignment>/``. The gradebook is nbgrader's ``CourseDirectory.db_url``:
``gradebook.db`` (SQLite) at the course root unless the configuration, the environment variable
``NBGRADER_DB_URL`` or ``--db-url`` points at a server (PostgreSQL for many writers).

Every grading process, on this machine or a Dask worker elsewhere, reads the course the same way
through :func:`course_config`, so that one setting of ``nbgrader_config.py`` (the sandbox, the
judge, the feedback preprocessors) holds for all of them.

Example::

    >>> from pathlib import Path
    >>> course = Path(__file__).resolve().parent.parent  # this repository is a course
    >>> "02-derivatives" in course_assignments(course)
    True
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from pathlib import Path

import nbgrader.api
from alembic.script import ScriptDirectory
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.dbutil import ALEMBIC_DIR
from sqlalchemy.engine import Engine
from sqlalchemy.orm import scoped_session, sessionmaker
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

COURSE_CONFIG = "nbgrader_config.py"
DB_URL_VARIABLE = "NBGRADER_DB_URL"


class CourseError(RuntimeError):
    """The course folder cannot be graded as it stands (the message says what to do)."""


def course_assignments(course: Path) -> list[str]:
    """The course's assignments in course order: each ``solutions/NN-name/NN-name.ipynb``.

    >>> from pathlib import Path
    >>> names = course_assignments(Path(__file__).resolve().parent.parent)
    >>> names.index("01-limits") < names.index("02-derivatives")
    True
    """
    notebooks = (course / "solutions").glob("*/*.ipynb")
    return sorted(nb.parent.name for nb in notebooks if nb.stem == nb.parent.name)


def course_config(course: Path, db_url: str | None = None) -> Config:
    """The course's ``nbgrader_config.py``, rooted at ``course``, with the gradebook chosen.

    The gradebook is, first to last: ``db_url``; the environment variable ``NBGRADER_DB_URL``
    (read by ``nbgrader_config.py`` itself); ``CourseDirectory.db_url`` in the file; nbgrader's
    default ``sqlite:///<course>/gradebook.db``.

    >>> from pathlib import Path
    >>> course = Path(__file__).resolve().parent.parent
    >>> course_config(course, "postgresql://grader@db/fall26").CourseDirectory.db_url
    'postgresql://grader@db/fall26'
    """
    if not (course / COURSE_CONFIG).is_file():
        raise CourseError(
            f"{course} has no {COURSE_CONFIG}: point --course (make grade COURSE=...) at the "
            "class folder, a copy of this repository"
        )
    config = PyFileConfigLoader(COURSE_CONFIG, path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    if db_url:
        config.CourseDirectory.db_url = db_url
    config.NbGraderAPI.log_level = "WARN"
    if "exporter_class" not in config.GenerateFeedback:
        config.GenerateFeedback.exporter_class = "grading.submission.FeedbackExporter"
    # nbconvert checks the whole notebook against its schema after each of the ~17 preprocessors
    # of autograde and feedback (40 ms per submission); once, after the last, finds the same fault.
    if "optimistic_validation" not in config.Exporter:
        config.Exporter.optimistic_validation = True
    return config


def course_api(course: Path, db_url: str | None = None) -> NbGraderAPI:
    """nbgrader's Python API for the course (one per grading process: it is slow to build)."""
    config = course_config(course, db_url)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def open_gradebook(api: NbGraderAPI) -> Gradebook:
    """The course's gradebook (a context manager: close it after use)."""
    return Gradebook(api.coursedir.db_url, api.coursedir.course_id)


def share_sqlite(api: NbGraderAPI) -> None:
    """Let several grading processes write a SQLite gradebook at once (write-ahead log).

    A server database (PostgreSQL) needs nothing: it is left alone.
    """
    url = api.coursedir.db_url
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute("PRAGMA journal_mode=WAL")


def prepare_gradebook(api: NbGraderAPI, assignments: list[str], students: list[str]) -> list[str]:
    """Register what grading needs before any worker starts; return the assignments released.

    An assignment the gradebook does not know (a fresh clone: ``gradebook.db`` is not in git) is
    released with nbgrader's ``generate_assignment``, which records its cells and checksums; the
    student copies it writes to ``notebooks/`` are the ones already committed. Every student is
    created up front, so that parallel workers never race to create the same one.
    """
    released = []
    with open_gradebook(api) as gradebook:
        known = {a.name: len(a.notebooks) for a in gradebook.assignments}
    for name in assignments:
        if known.get(name):
            continue
        result = api.generate_assignment(name, force=True)
        if not result["success"]:
            raise CourseError(
                f"could not register {name} in the gradebook ({api.coursedir.db_url}) with "
                f"nbgrader generate_assignment:\n{result.get('error') or result.get('log')}"
            )
        released.append(name)
    with open_gradebook(api) as gradebook:
        existing = {s.id for s in gradebook.students}
        for student in sorted(set(students) - existing):
            gradebook.add_student(student)
    return released


def student_names(api: NbGraderAPI) -> dict[str, str]:
    """{student id: "First Last"} for the students whose name the gradebook knows."""
    with open_gradebook(api) as gradebook:
        names = {}
        for student in gradebook.students:
            name = " ".join(n for n in (student.first_name, student.last_name) if n)
            if name:
                names[student.id] = name
    return names


def set_student_names(api: NbGraderAPI, names: dict[str, tuple[str, str]]) -> None:
    """Record ``{student id: (first name, last name)}`` in the gradebook (from an LMS archive)."""
    with open_gradebook(api) as gradebook:
        for student, (first, last) in names.items():
            gradebook.update_or_create_student(student, first_name=first, last_name=last)


def find_submission_or_none(gradebook: Gradebook, assignment: str, student: str):
    """The gradebook's submission of ``student`` for ``assignment``, or None if it has none."""
    try:
        return gradebook.find_submission(assignment, student)
    except MissingEntry:
        return None


@functools.cache
def alembic_head() -> str:
    """The schema revision nbgrader stamps on a new gradebook: the head of its migrations.

    nbgrader reads it by running ``alembic heads`` in a new Python process, which imports
    nbgrader again: about 2 s each time a gradebook file is created. Read here, in this process,
    from the same migration scripts, it costs a millisecond.

    >>> len(alembic_head()) == 12 and int(alembic_head(), 16) >= 0
    True
    """
    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    if head is None:
        raise RuntimeError(f"nbgrader's migrations in {ALEMBIC_DIR} have no head revision")
    return head


_ENGINES: dict[str, tuple[tuple[int, int], Engine]] = {}
_ENGINES_LOCK = threading.Lock()
_nbgrader_init = Gradebook.__init__
_nbgrader_close = Gradebook.close
_nbgrader_alembic_head = nbgrader.api.get_alembic_version  # runs `alembic heads`


def share_gradebook_engines() -> None:
    """Let every nbgrader ``Gradebook`` this process opens on one SQLite file share one engine.

    nbgrader opens the gradebook about a dozen times per submission (autograde's set-up, its
    preprocessors, the feedback), and each time builds a new SQLAlchemy engine, checks that every
    table exists and compiles every query it makes again (the compiled-query cache belongs to the
    engine): about a fifth of a second of a grading worker's time per submission. With this, the
    first ``Gradebook`` of a file does all of that, and later ones take its engine (and its pool
    of connections, its compiled queries) and only check the course, as nbgrader does.

    A file replaced at the same path (another inode: a new gradebook) gets a new engine; a server
    database (PostgreSQL) is left as nbgrader opens it. A new gradebook is stamped with
    :func:`alembic_head`, read in this process. Idempotent.

    >>> share_gradebook_engines()
    >>> import tempfile
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/gradebook.db"
    >>> with Gradebook(url) as first, Gradebook(url) as second:
    ...     first.engine is second.engine
    True
    """
    Gradebook.__init__ = _shared_engine_init  # type: ignore[method-assign]
    Gradebook.close = _shared_engine_close  # type: ignore[method-assign]
    nbgrader.api.get_alembic_version = alembic_head


def _sqlite_file(db_url: str) -> tuple[int, int] | None:
    """(device, inode) of a SQLite gradebook's file; None for a server or a file not made yet."""
    if not db_url.startswith("sqlite:///") or "?" in db_url:
        return None
    try:
        found = os.stat(db_url.removeprefix("sqlite:///"))
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _shared_engine_init(
    self: Gradebook, db_url: str, course_id: str = "default_course", authenticator=None
) -> None:
    identity = _sqlite_file(db_url)
    with _ENGINES_LOCK:
        known = _ENGINES.get(db_url)
    if identity is None or known is None or known[0] != identity:
        _nbgrader_init(self, db_url, course_id, authenticator)  # tables checked (made) here
        identity = _sqlite_file(db_url)
        if identity is not None:
            with _ENGINES_LOCK:
                _ENGINES[db_url] = (identity, self.engine)
            self._shared_engine = True
        return
    self.engine = known[1]
    self._shared_engine = True
    self.db = scoped_session(sessionmaker(autoflush=True, bind=self.engine, future=True))
    self.check_course(course_id=course_id)
    self.course_id = course_id
    self.authenticator = authenticator


def _shared_engine_close(self: Gradebook) -> None:
    """nbgrader's close, except that a shared engine stays (its connections go back to its pool)."""
    if getattr(self, "_shared_engine", False):
        self.db.remove()
    else:
        _nbgrader_close(self)
