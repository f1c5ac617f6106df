"""Regenerate the student notebooks in notebooks/ from the solutions in solutions/.

Run from the course root (``make release``). Every assignment of nbgrader_config.py that has a
folder in solutions/ is released with ``nbgrader generate_assignment --force``.

Example::

    python scripts/release.py            # every assignment
    python scripts/release.py 01-limits  # just one
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

COURSE_ROOT = Path(__file__).resolve().parent.parent


def course_assignments(root: Path = COURSE_ROOT) -> list[str]:
    """Assignment names from nbgrader_config.py, in course order.

    >>> course_assignments()[0]
    '01-limits'
    """
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return [entry["name"] for entry in config.CourseDirectory.db_assignments]


def nbgrader_env() -> dict[str, str]:
    """The environment with this interpreter's bin/ first on PATH (nbgrader runs `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def release(assignments: list[str], root: Path = COURSE_ROOT) -> None:
    """Run ``nbgrader generate_assignment`` for each assignment; stop at the first failure."""
    nbgrader = Path(sys.executable).parent / "nbgrader"
    for name in assignments:
        print(f"releasing {name} …", flush=True)
        done = subprocess.run(
            [str(nbgrader), "generate_assignment", name, "--force", "--log-level=WARN"],
            cwd=root, env=nbgrader_env(), capture_output=True, text=True,
        )
        if done.returncode != 0:
            sys.exit(f"nbgrader could not release {name}:\n{done.stdout}{done.stderr}")


if __name__ == "__main__":
    names = sys.argv[1:] or [n for n in course_assignments() if (COURSE_ROOT / "solutions" / n).is_dir()]
    release(names)
