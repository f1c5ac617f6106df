"""`make instructor` serves the Formgrader at the course root; the students' set-up stays locked."""

from __future__ import annotations

import json
import re

import pytest
from conftest import COURSE_ROOT
from instructor_course import new_course
from lab_server import INSTRUCTOR_PLUGINS, get, lab_environment, page_config, running_lab

pytestmark = pytest.mark.slow


def test_make_instructor_opens_the_formgrader_for_that_server_only(tmp_path):
    course = new_course(tmp_path / "course", COURSE_ROOT, ["01-limits"])
    state = tmp_path / "lab"
    with running_lab(
        state / "lab.log", "instructor", (f"COURSE={course}",), lab_environment(state)
    ) as (base, page):
        config = page_config(page)
        for plugin in INSTRUCTOR_PLUGINS:
            assert plugin not in config["disabledExtensions"], f"{plugin} is off for instructors"
            assert plugin not in config.get("lockedExtensions", []), f"{plugin} is locked"

        _, listing = get(f"{base}/api/contents")
        served = {item["name"] for item in json.loads(listing)["content"]}
        assert {"solutions", "notebooks", "nbgrader_config.py"} <= served, served

        # The Formgrader's links start at the course root: no /tree/../solutions/ (404).
        status, assignments = get(f"{base}/formgrader/manage_assignments")
        assert status == 200
        assert re.search(r'var url_prefix = "\.";', assignments), "links leave the served root"
        _, api = get(f"{base}/formgrader/api/assignments")
        assert "01-limits" in {a["name"] for a in json.loads(api)}
        status, _ = get(f"{base}/tree/solutions/01-limits/01-limits.ipynb")
        assert status == 200

        # Students without a name are shown by id: the Formgrader's utils.js comes with the
        # patch of binder/formgrader_names.js (tests/test_instructor_day.py sees it in Chromium).
        status, utils = get(f"{base}/formgrader/static/js/utils.js")
        assert status == 200 and "var createModal" in utils and "studentDisplayName" in utils

        # MathJax comes from the server itself.
        status, mathjax = get(f"{base}/static/jupyter_server_mathjax/MathJax.js")
        assert status == 200 and "MathJax" in mathjax

    # The environment's student set-up is untouched: locked for `make lab` and Binder.
    student = json.loads((COURSE_ROOT / ".venv/etc/jupyter/labconfig/page_config.json").read_text())
    for plugin in INSTRUCTOR_PLUGINS:
        assert student["lockedExtensions"].get(plugin) is True, f"{plugin} unlocked for students"
    assert not (COURSE_ROOT / "binder/instructor/lab").exists(), "lab state written into binder/"
