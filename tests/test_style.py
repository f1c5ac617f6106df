"""One linter and formatter for the code and the solution notebooks: ruff-clean, ruff-formatted.

mypy runs in `make lint` (beside `make test` in .ci/run), not here: a type check is not a
behaviour of the course, and a cold one held a test worker for many seconds.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import COURSE_ROOT

BIN = Path(sys.executable).parent
MAKEFILE = (COURSE_ROOT / "Makefile").read_text()
CI_RUN = (COURSE_ROOT / ".ci" / "run").read_text()


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=COURSE_ROOT, capture_output=True, text=True, check=False)


def linted_folders() -> list[str]:
    """The folders `make lint` hands to ruff (the Makefile's LINTED)."""
    match = re.search(r"^LINTED := (.+)$", MAKEFILE, re.MULTILINE)
    assert match, "the Makefile names the linted folders in LINTED := ..."
    return match.group(1).split()


def test_ruff_finds_nothing_in_code_or_solution_notebooks():
    done = _run(str(BIN / "ruff"), "check", "--output-format", "concise", *linted_folders())
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_ruff_formatted():
    done = _run(str(BIN / "ruff"), "format", "--check", *linted_folders())
    assert done.returncode == 0, f"run `ruff format` on:\n{done.stdout}{done.stderr}"


def test_make_lint_runs_ruff_and_mypy_and_ci_runs_lint_beside_the_tests():
    recipe = MAKEFILE.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff check $(LINTED)" in recipe and "ruff format --check $(LINTED)" in recipe
    assert "$(BIN)/mypy" in recipe
    assert {"calclib", "tests", "solutions"} <= set(linted_folders())
    assert "make lint || status=1" in CI_RUN and "make test || status=1" in CI_RUN
    assert CI_RUN.rstrip().endswith('exit "$status"')
    assert "git status --porcelain --ignored" in CI_RUN  # a run that leaves files behind fails


def test_every_long_file_named_in_conftest_exists():
    """A renamed long file would lose its place at the front of the run and its time limit."""
    from conftest import LONG_FILES

    missing = [name for name in LONG_FILES if not any((COURSE_ROOT / "tests").rglob(name))]
    assert missing == [], f"tests/conftest.py LONG_FILES names files that are gone: {missing}"
