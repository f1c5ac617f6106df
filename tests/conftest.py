"""Shared fixtures: the course root, its assignments, and an environment for the nbgrader CLI."""

from __future__ import annotations

import json
import os
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
