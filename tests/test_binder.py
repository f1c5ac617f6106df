"""Binder builds the same environment as the learner's requirements.txt."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from conftest import COURSE_ROOT
from packaging.requirements import Requirement

import calclib

BINDER = COURSE_ROOT / "binder"


def requirements(path: Path) -> list[str]:
    """What a pip requirements file asks for, as pip reads it: ``-r`` files followed (relative
    to the file), comments and pip options (``--extra-index-url``) left out.

    >>> requirements(BINDER / "requirements.txt")[:2]
    ['jupyterlab==4.6.6', 'notebook==7.6.5']
    """
    found: list[str] = []
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            found += requirements(path.parent / line.split(maxsplit=1)[1])
        elif line and not line.startswith("#") and (line == "-e ." or not line.startswith("-")):
            found.append(line)
    return found


def test_binder_files_point_at_the_learner_environment():
    lines = [
        line.strip()
        for line in (BINDER / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    packages = [line for line in lines if not line.startswith("--")]
    assert packages == ["-r ../requirements.txt"], "binder/ must not pin packages of its own"
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = (BINDER / "postBuild").read_text()
    assert "@jupyter/nbgrader:formgrader" in post_build and "lock" in post_build


def test_binder_asks_for_the_learner_requirements_and_this_environment_resolves_them():
    """Offline: Binder's file expands to requirements.txt, whose every pin the installed
    environment meets; no package index is asked (Binder's extra index is out of reach here).
    That these versions resolve together is `pip check`, which `make` runs whenever it builds
    the environment.

    What Binder's own pip fetches (torch's CPU wheel from the extra index) cannot be seen here.
    """
    learner = requirements(COURSE_ROOT / "requirements.txt")
    assert requirements(BINDER / "requirements.txt") == learner
    unmet = []
    for line in learner:
        if line == "-e .":  # the course itself: calclib, installed from this checkout
            unmet += [] if COURSE_ROOT in Path(calclib.__file__).resolve().parents else [line]
            continue
        wanted = Requirement(line)
        try:
            installed = metadata.version(wanted.name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or not wanted.specifier.contains(installed, prereleases=True):
            unmet.append(f"{line} (installed: {installed})")
    assert unmet == [], "the environment does not meet requirements.txt: make .venv/.installed"
    assert metadata.version("torch").startswith("2.13.0")
    assert {"jupyterlab", "nbgrader", "ipywidgets"} <= {Requirement(r).name for r in learner[:-1]}
