"""JupyterLab's Validate button, answered in a glance: one summary line, then one short entry each.

nbgrader 0.9.6's Validate shows, for every failing test cell, the cell's whole source (the
checks, their hints and misconceptions: dozens of lines) and then its error, with no summary.
This server extension answers Validate in its place (same URL, same JSON, so nbgrader's own
dialog shows it) with nbgrader's own Validator, and rewrites only the failures:

- first, one line: ``2 of 5 challenges do not pass yet: q1-limit-value (not answered yet),
  q3-difference-quotient (difference_quotient is not right yet).``;
- then each failing test cell by its first line (the docstring saying what it checks), and the
  checker's message, as before.

Validate's kernels start as the server's own do (the server's ``KernelManager`` settings: `make
lab` gives CurveZMQ encryption, so they print no "running over TCP without encryption" warning).

binder/postBuild enables this extension in place of nbgrader's ``validate_assignment`` for
students (Binder and `make lab`); binder/instructor/ does the same for `make instructor`.

Example
-------
>>> failures = [Failure("q1-limit-value", "not answered yet"), Failure("q3-slope", "slope = 2")]
>>> summary_line(failures, n_challenges=5)
'2 of 5 challenges do not pass yet: q1-limit-value (not answered yet), q3-slope (slope = 2).'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jupyter_server.utils import url_path_join
from nbgrader.server_extensions.validate_assignment.handlers import (
    NbGraderVersionHandler,
    ValidateAssignmentHandler,
)
from traitlets.config import Config

# nbgrader's dialog writes "The following cell failed:", the source as text, then the error as
# HTML, for each failure. The summary comes first as a failure of its own; this style (in its
# error, the one part read as HTML) hides that entry's heading and empty error box.
SUMMARY_STYLE = (
    "<style>#validation-message > div:nth-child(1), #validation-message > div:nth-child(3)"
    " { display: none; } #validation-message > div:nth-child(2) pre"
    " { font-weight: bold; white-space: pre-wrap; }</style>"
)
REASON_LENGTH = 60
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHECKER_LINE = re.compile(r"^✗ (?P<challenge>\S+): (?P<headline>.+)$", re.MULTILINE)
EXCEPTION_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit))\b")


@dataclass(frozen=True)
class Failure:
    """A challenge that does not pass yet, and why, in a few words."""

    challenge: str
    reason: str


def summary_line(failures: list[Failure], n_challenges: int) -> str:
    """One line naming every challenge that does not pass yet, with its reason."""
    n_challenges = max(n_challenges, len(failures))
    named = ", ".join(f"{f.challenge} ({f.reason})" for f in failures)
    plural = "s" if n_challenges != 1 else ""
    return f"{len(failures)} of {n_challenges} challenge{plural} do not pass yet: {named}."


def reason(error: str) -> str:
    """Why a test cell fails, in a few words, from its error text.

    >>> reason("✗ q1-limit: Not answered yet: `limit_value` is not defined yet.\\n  What to do: ...")
    'not answered yet'
    >>> reason("✗ q2-slope: slope is not right yet.\\n  You gave: 3")
    'slope is not right yet'
    >>> reason("Traceback (most recent call last):\\n  ...\\nZeroDivisionError: division by zero")
    'ZeroDivisionError'
    """
    text = ANSI.sub("", error)
    checker = CHECKER_LINE.search(text)
    if checker:
        headline = checker["headline"].strip()
        if headline.startswith("Not answered yet"):
            return "not answered yet"
        headline = headline.rstrip(".")
        if len(headline) > REASON_LENGTH:
            headline = headline[: REASON_LENGTH - 1].rstrip() + "…"
        return headline
    if text.startswith("Partial credit"):
        return "some checks pass, not all"
    exceptions = [m["name"] for line in text.splitlines() if (m := EXCEPTION_LINE.match(line))]
    return exceptions[-1] if exceptions else "does not pass"


def first_line(source: str) -> str:
    """The test cell's first line (its docstring), with a note of the lines left out."""
    lines = source.strip().splitlines()
    if len(lines) <= 1:
        return source.strip()
    return f"{lines[0]}  # … {len(lines) - 1} more lines: the checks (see the cell)"


def _test_cells(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """{the source of each graded test cell: its challenge id}, in notebook order."""
    cells = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            grade_id = str(meta.get("grade_id", "?"))
            cells[cell.source.strip()] = grade_id.removesuffix("-tests")
    return cells


def summarised(results: dict[str, Any], notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """nbgrader's Validate results with a summary first and each failing cell cut to a line.

    Only ``failed`` changes; results for changed cells (edited tests) and success are kept.
    """
    failed = results.get("failed")
    if not failed:
        return results
    challenges = _test_cells(notebook)
    failures, entries = [], []
    for entry in failed:
        why = reason(entry.get("raw_error", ""))
        checker = CHECKER_LINE.search(ANSI.sub("", entry.get("raw_error", "")))
        challenge = challenges.get(entry["source"]) or (checker["challenge"] if checker else "?")
        failures.append(Failure(challenge, why))
        entries.append(dict(entry, source=first_line(entry["source"])))
    summary = summary_line(failures, n_challenges=len(challenges))
    head = {"source": summary, "error": SUMMARY_STYLE, "raw_error": summary}
    return dict(results, failed=[head, *entries])


class SummarisedValidateHandler(ValidateAssignmentHandler):
    """nbgrader's Validate handler, with kernels like the server's and summarised failures."""

    def load_config(self) -> Config:
        config = super().load_config()
        config.KernelManager.merge(self.config.get("KernelManager", Config()))
        return config

    def validate_notebook(self, path: str) -> dict[str, Any]:
        answer = super().validate_notebook(path)
        if answer.get("success") and isinstance(answer.get("value"), dict):
            notebook = nbformat.read(Path(self.root_dir) / path, as_version=4)
            answer["value"] = summarised(answer["value"], notebook)
        return answer


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    web_app = serverapp.web_app
    web_app.settings["root_dir"] = serverapp.root_dir  # as nbgrader's own extension does
    base_url = web_app.settings["base_url"]
    routes = [
        (r"/assignments/validate", SummarisedValidateHandler),
        (r"/nbgrader_version", NbGraderVersionHandler),
    ]
    web_app.add_handlers(".*$", [(url_path_join(base_url, url), h) for url, h in routes])
    serverapp.log.info("Validate answers with a summary line (binder.validate_summary)")
