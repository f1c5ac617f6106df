"""`make lab`, the students' command, really serves JupyterLab on notebooks/."""

from __future__ import annotations

import json

import pytest
from conftest import COURSE_ROOT
from lab_server import get, running_lab


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_on_the_student_notebooks(tmp_path):
    with running_lab(tmp_path / "lab.log") as (base, page):
        assert "jupyter-config-data" in page and "JupyterLab" in page

        _, listing = get(f"{base}/api/contents")
        served = {item["name"] for item in json.loads(listing)["content"]}
        released = {folder.name for folder in (COURSE_ROOT / "notebooks").iterdir()}
        assert served == released, f"lab serves {served}, not the student notebooks {released}"

        # The student set-up (binder/postBuild) hides and locks nbgrader's instructor tools.
        config = json.loads(
            page.split('id="jupyter-config-data" type="application/json">')[1].split("</script>")[0]
        )
        assert "@jupyter/nbgrader:formgrader" in config["disabledExtensions"]
        assert "@jupyter/nbgrader:formgrader" in config.get("lockedExtensions", [])
