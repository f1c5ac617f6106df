"""Formgrader pages name each student by their name when known, by their id otherwise.

nbgrader 0.9.6's Formgrader shows a student without a name in the gradebook (as ``collect`` and
``autograde`` add them) as "None, None". The gradebook stays as it is (its names are empty, and
``nbgrader export`` says so); only the pages change. This server extension serves nbgrader's
own ``formgrader/static/js/utils.js``, which every Formgrader page loads first, followed by
``formgrader_names.js``, which makes the pages' student views show the right name.

`make instructor` enables it (binder/instructor/jupyter_server_config.json). Jupyter server
loads extensions in alphabetical order of their module names and tornado serves a URL by the
first handler added for it, so this handler (``binder.…``) answers before nbgrader's
(``nbgrader.…``); tests/test_instructor_day.py checks the pages in Chromium.

Example
-------
>>> "studentDisplayName" in PATCH.read_text()
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from nbgrader.server_extensions.formgrader import handlers as formgrader
from tornado import web

PATCH = Path(__file__).with_suffix(".js")
NBGRADER_UTILS = Path(formgrader.static_path) / "js" / "utils.js"


class UtilsWithStudentNames(web.RequestHandler):
    """nbgrader's utils.js, then the student-name patch (public, like nbgrader's static files)."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(NBGRADER_UTILS.read_text() + "\n" + PATCH.read_text())


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    base_url = serverapp.web_app.settings["base_url"]
    route = url_path_join(base_url, r"/formgrader/static/js/utils\.js")
    serverapp.web_app.add_handlers(".*$", [(route, UtilsWithStudentNames)])
    serverapp.log.info("Formgrader pages show students' ids when they have no name")
