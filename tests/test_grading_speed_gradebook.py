"""A grading process shares one SQLAlchemy engine per SQLite gradebook file, safely.

nbgrader opens the gradebook about a dozen times per submission; grading.gradebook makes those
opens share one engine (its pool and its compiled queries). What must hold: what one open writes
the next reads, a gradebook file replaced at the same path is not served by the old engine, and
closing a shared gradebook leaves the engine usable. A new gradebook file is stamped with
nbgrader's schema revision read in the process (nbgrader starts a Python process for it).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grading.gradebook import _nbgrader_alembic_head, alembic_head, share_gradebook_engines


def test_opens_of_one_file_share_an_engine_and_see_each_others_writes(tmp_path):
    share_gradebook_engines()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as first:
        first.add_student("ana")
        engine = first.engine
    with Gradebook(url) as second:
        assert second.engine is engine
        assert [s.id for s in second.students] == ["ana"]
        second.add_student("ben")
    with Gradebook(url) as third:
        assert sorted(s.id for s in third.students) == ["ana", "ben"]


def test_a_replaced_gradebook_file_gets_a_new_engine(tmp_path):
    share_gradebook_engines()
    path = tmp_path / "gradebook.db"
    url = f"sqlite:///{path}"
    with Gradebook(url) as old:
        old.add_student("ana")
        engine = old.engine
    moved = tmp_path / "old.db"
    path.rename(moved)  # the old engine's connections still reach the old file
    with Gradebook(url) as new:
        assert new.engine is not engine
        assert [s.id for s in new.students] == []
    with Gradebook(f"sqlite:///{moved}") as kept:
        assert [s.id for s in kept.students] == ["ana"]


def test_other_databases_are_opened_as_nbgrader_opens_them(tmp_path):
    share_gradebook_engines()
    with Gradebook("sqlite://") as first, Gradebook("sqlite://") as second:
        assert first.engine is not second.engine


def test_a_new_gradebook_is_stamped_with_the_revision_nbgrader_itself_would_stamp(tmp_path):
    share_gradebook_engines()
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}"):
        pass
    with sqlite3.connect(tmp_path / "gradebook.db") as db:
        stamped = db.execute("SELECT version_num FROM alembic_version").fetchall()
    assert stamped == [(alembic_head(),)]
    # nbgrader's own way: `alembic heads` in a new process (this interpreter's bin/ on PATH)
    bin_first = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", bin_first)
        assert _nbgrader_alembic_head() == alembic_head()
