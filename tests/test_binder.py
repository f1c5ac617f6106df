"""Binder builds the same environment as the learner's requirements.txt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COURSE_ROOT

BINDER = COURSE_ROOT / "binder"


def _start_resolving(requirements: Path, report: Path) -> subprocess.Popen:
    """pip's dry run from the course root, as Binder runs it; the report lists what it installs."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--retries",
            "0",
            "--timeout",
            "5",
            "--report",
            str(report),
            "-r",
            str(requirements),
        ],
        cwd=COURSE_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _resolved(process: subprocess.Popen, report: Path) -> dict[str, str]:
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, f"pip could not resolve: {stderr[-2000:]}"
    installs = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in installs}


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


@pytest.mark.slow
def test_binder_resolves_to_the_same_packages_as_requirements_txt(tmp_path: Path):
    learner = _start_resolving(COURSE_ROOT / "requirements.txt", tmp_path / "learner.json")
    binder = _start_resolving(BINDER / "requirements.txt", tmp_path / "binder.json")
    learner_env = _resolved(learner, tmp_path / "learner.json")
    binder_env = _resolved(binder, tmp_path / "binder.json")
    assert binder_env == learner_env
    assert learner_env["torch"].startswith("2.13.0")
    assert {"jupyterlab", "nbgrader", "ipywidgets", "calclib"} <= learner_env.keys()
