"""Regenerate the student notebooks in notebooks/ from the solutions in solutions/.

Run from the course root (``make release``). Every assignment (a folder of solutions/ holding a
notebook of the same name) is released with ``nbgrader generate_assignment --force``.

Example::

    python scripts/release.py            # every assignment
    python scripts/release.py 01-limits  # just one
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from grading import gradebook

COURSE_ROOT = Path(__file__).resolve().parent.parent


def course_assignments(root: Path = COURSE_ROOT) -> list[str]:
    """The course's assignments, in course order: solutions/NN-name/NN-name.ipynb.

    >>> names = course_assignments()
    >>> names.index("01-limits") < names.index("02-derivatives")
    True
    """
    return gradebook.course_assignments(root)


def nbgrader_env() -> dict[str, str]:
    """The environment with this interpreter's bin/ first on PATH (nbgrader runs `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def nbgrader(course: Path, *args: str) -> None:
    """Run one nbgrader command in the course folder; raise with its log if it fails."""
    done = subprocess.run(
        ["nbgrader", *args, "--log-level=WARN"],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")


def release(assignments: list[str], root: Path = COURSE_ROOT) -> None:
    """Run ``nbgrader generate_assignment`` for each assignment; stop at the first failure."""
    for name in assignments:
        print(f"releasing {name} …", flush=True)
        try:
            nbgrader(root, "generate_assignment", name, "--force")
        except RuntimeError as error:
            sys.exit(str(error))


if __name__ == "__main__":
    release(sys.argv[1:] or course_assignments())
