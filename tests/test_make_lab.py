"""`make lab`, the students' command, really serves JupyterLab on notebooks/, set up for students."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import COURSE_ROOT, release_path, solution_path
from lab_server import INSTRUCTOR_PLUGINS, get, page_config, running_lab
from release import course_assignments


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_on_the_student_notebooks(tmp_path):
    with running_lab(tmp_path / "lab.log") as (base, page):
        assert "jupyter-config-data" in page and "JupyterLab" in page

        _, listing = get(f"{base}/api/contents")
        served = {item["name"] for item in json.loads(listing)["content"]}
        released = {folder.name for folder in (COURSE_ROOT / "notebooks").iterdir()}
        assert served == released, f"lab serves {served}, not the student notebooks {released}"

        # The student set-up (binder/postBuild) hides and locks nbgrader's instructor tools and
        # the Nbgrader menu that holds only them.
        config = page_config(page)
        for plugin in INSTRUCTOR_PLUGINS:
            assert plugin in config["disabledExtensions"], f"{plugin} is on for students"
            assert plugin in config.get("lockedExtensions", []), f"{plugin} is not locked"
        assert "@jupyter/nbgrader:validate-assignment" not in config["disabledExtensions"]
        status, _ = get(f"{base}/nbgrader_version?version=0.9.6")
        assert status == 200, "Validate's server side is missing"
        # ... and it is ours, answering with a summary line (tests/test_browser.py shows it).
        log = (tmp_path / "lab.log").read_text()
        assert "binder.validate_summary | extension was successfully loaded" in log, log[-3000:]


@pytest.mark.parametrize(
    "path",
    [f(a) for a in course_assignments() for f in (solution_path, release_path)],
    ids=lambda p: str(p.relative_to(COURSE_ROOT)),
)
def test_every_notebook_carries_the_kernels_metadata(path):
    """JupyterLab marks a notebook unsaved on open unless its metadata equals the kernel's.

    The kernel's ``language_info`` (and the kernelspec) are written into the notebook when the
    kernel starts; any difference shows the unsaved dot and a save prompt on an untouched lesson.
    """
    from ipykernel.ipkernel import IPythonKernel

    metadata = nbformat.read(path, as_version=4).metadata
    assert metadata.get("kernelspec") == {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }, f"{path.name}: kernelspec {metadata.get('kernelspec')}"
    # The kernel reports its Python's full version; the files can match one patch release only,
    # so a machine on another patch release of the same Python is not failed for it.
    kernel = dict(IPythonKernel.language_info)
    info = dict(metadata.get("language_info", {}))
    same_python = info.pop("version", "").split(".")[:2] == kernel.pop("version").split(".")[:2]
    assert info == kernel and same_python, (
        f"{path.name}: language_info {metadata.get('language_info')} is not the kernel's "
        f"{IPythonKernel.language_info} (see /work/team-notes/lab.md)"
    )
