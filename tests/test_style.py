"""The codebase stays as STYLE.md asks: ruff-clean and ruff-formatted, calclib type-checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COURSE_ROOT

BIN = Path(sys.executable).parent
CHECKED = ["calclib", "tests", "benchmarks", "scripts", "solutions"]


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=COURSE_ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing_in_code_or_solution_notebooks():
    done = _run(str(BIN / "ruff"), "check", "--output-format", "concise", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_ruff_formatted():
    done = _run(str(BIN / "ruff"), "format", "--check", "--output-format", "concise", *CHECKED)
    assert done.returncode == 0, f"run `ruff format` on:\n{done.stdout}{done.stderr}"


@pytest.mark.slow
def test_calclib_type_checks():
    done = _run(str(BIN / "mypy"))
    assert done.returncode == 0, done.stdout + done.stderr
