"""Grade one submission as one unit: preflight, autograde, feedback, a record of what was done.

This is the task a grading worker runs, once per ``(assignment, student)``, in a long-lived
process (a Dask worker) that keeps one nbgrader Python API per course instead of starting an
nbgrader command per assignment. Nothing a submission does can stop the others: whatever goes
wrong comes back as an :class:`Outcome` whose ``status`` is ``"not graded"`` and whose ``reason``
says why, never as an exception.

Example::

    from grading.submission import grade_submission
    outcome = grade_submission(Path("~/fall26").expanduser(), "01-limits", "ana")
    outcome.status, outcome.score, outcome.reason   # ('graded', 7.0, '')

Each graded submission leaves ``grading-state/<student>/<assignment>.json`` in the course: the
fingerprint of the submitted files and the score its feedback shows. A rerun compares both with
the submission and the gradebook (see ``classroom.py``) and grades again only what changed.
"""

from __future__ import annotations

import sys

# jsonschema imports rfc3987_syntax when it is installed (jupyter_server's dependencies bring it),
# only to check the "iri" formats, which neither nbformat's nor nbgrader's schemas use; building
# its grammar costs 1-4 s in every grading process (the `make grade` process and each worker).
# Blocked before anything imports jsonschema: it then checks those formats as not checkable.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

import gc  # after the block above: jsonschema comes with nbconvert and nbgrader
import hashlib
import html
import json
import os
import socket
import stat
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jinja2
import jsonschema
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML, _pygments_highlight
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from nbgrader.apps import NbGraderAPI
from nbgrader.nbgraderformat import common as nbgraderformat_common
from sqlalchemy.exc import SAWarning

from grading import preflight
from grading.gradebook import (
    course_api,
    find_submission_or_none,
    open_gradebook,
    share_gradebook_engines,
)
from grading.head_start import state_path
from grading.sandbox import MODE_VARIABLE

GRADED, FLAGGED, NOT_GRADED = "graded", "flagged", "not graded"


@dataclass
class Outcome:
    """What became of one submission.

    ``status`` is ``graded``, ``flagged`` (graded, but a human must look: nbgrader's
    needs-manual-grade, or feedback that could not be written) or ``not graded`` (no score at all);
    ``reason`` says why for the last two. ``challenges`` maps each graded cell's id to its score.
    """

    assignment: str
    student: str
    status: str
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    challenges: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    worker: str = ""
    log: str = ""


_apis: dict[tuple[str, str, bool], NbGraderAPI] = {}
_api_lock = threading.Lock()


def grade_submission(
    course: Path,
    assignment: str,
    student: str,
    *,
    db_url: str | None = None,
    sandbox: bool = True,
    log_folder: Path | None = None,
) -> Outcome:
    """Preflight, autograde and write the feedback of one student's submission.

    Parameters
    ----------
    course
        The course folder (the same path on every machine of a cluster: a shared file system).
    assignment, student
        Which submission: ``course/submitted/<student>/<assignment>/``.
    db_url
        The gradebook (default: the course's; give it explicitly to workers on other machines).
    sandbox
        False runs the kernel unconfined (``--no-sandbox``: trusted notebooks only).
    log_folder
        Where nbgrader's log of this submission is kept (``<log_folder>/<assignment>/<student>.log``).

    Returns
    -------
    Outcome
        Never raises for anything the submission does.
    """
    started = time.perf_counter()
    outcome = Outcome(
        assignment, student, NOT_GRADED, worker=f"{socket.gethostname()}:{os.getpid()}"
    )
    folder = course / "submitted" / student / assignment
    released = _released_files(course, assignment)
    with _api_lock:
        try:
            why = preflight.refusal(folder, assignment, released)
        except OSError as error:
            why = f"the submission folder cannot be read ({error.strerror}: {error.filename})"
        outcome.seconds["preflight"] = time.perf_counter() - started
        if why:
            outcome.reason = why
            _keep_log(outcome, log_folder, f"refused before grading: {why}\n")
            write_state(course, outcome, fingerprint="")
            return outcome
        fingerprint = submission_fingerprint(folder)
        api = _api(course, db_url, sandbox)
        step = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session handling
            result = api.autograde(assignment, student, force=True, create=False)
        outcome.seconds["autograde"] = time.perf_counter() - step
        log = result.get("log", "") + result.get("error", "")
        graded = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        if not result["success"] or not graded.is_file():
            outcome.reason = _failure_reason(log)
            _keep_log(outcome, log_folder, log)
            write_state(course, outcome, fingerprint)
            return outcome
        _read_grades(api, outcome)
        step = time.perf_counter()
        feedback = refresh_feedback(api, assignment, student)
        outcome.seconds["feedback"] = time.perf_counter() - step
        log += feedback.get("log", "") + feedback.get("error", "")
        if not feedback["success"]:
            outcome.status = FLAGGED
            outcome.reason = "graded, but its feedback could not be written: " + _failure_reason(
                feedback.get("log", "") + feedback.get("error", "")
            )
        write_state(course, outcome, fingerprint)
        _keep_log(outcome, log_folder, log)
    outcome.seconds["total"] = time.perf_counter() - started
    return outcome


def regenerate_feedback(
    course: Path, assignment: str, student: str, *, db_url: str | None = None, sandbox: bool = True
) -> Outcome:
    """Write a graded submission's feedback again from the gradebook's current scores.

    Run when a grade changed after the feedback was written (a manual score in the Formgrader),
    so that the feedback and grades.csv agree. The submission is not run again.
    """
    started = time.perf_counter()
    outcome = Outcome(
        assignment, student, NOT_GRADED, worker=f"{socket.gethostname()}:{os.getpid()}"
    )
    with _api_lock:
        api = _api(course, db_url, sandbox)
        _read_grades(api, outcome)
        state = read_state(course, assignment, student) or {}
        result = refresh_feedback(api, assignment, student)
        if not result["success"]:
            outcome.status = FLAGGED
            outcome.reason = "its feedback could not be written: " + _failure_reason(
                result.get("log", "") + result.get("error", "")
            )
        write_state(course, outcome, state.get("fingerprint", ""))
    outcome.seconds["feedback"] = outcome.seconds["total"] = time.perf_counter() - started
    return outcome


def refresh_feedback(api: NbGraderAPI, assignment: str, student: str) -> dict:
    """nbgrader's generate_feedback for one student, always overwriting (nbgrader's result)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        return api.generate_feedback(assignment, student, force=True)


class _TemplateBytecode(jinja2.BytecodeCache):
    """Compiled feedback templates, kept for the life of the grading process (keyed by source)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _TemplateBytecode()


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter for feedback pages, without two costs that change nothing.

    - nbgrader builds a new exporter, hence a new Jinja environment, for every feedback page;
      each would compile the same templates again (about a tenth of a page's cost): they are
      compiled once per grading process.
    - ``HTMLExporter`` parses every page it wrote again with BeautifulSoup (a third of a page's
      cost) to give images without one an alt text and JupyterLab's cells a ``tabindex``.
      nbgrader's feedback template writes no such cell, and a grading kernel's outputs hold no
      image, so the pass is skipped: the page is the template's, unparsed.
    - Every page of a class renders the lesson's same markdown cells: each distinct cell is
      rendered once per grading process (:meth:`markdown2html`).
    """

    def _create_environment(self) -> jinja2.Environment:
        environment = super()._create_environment()
        environment.bytecode_cache = _TEMPLATES
        return environment

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict | None = None, **kw: object
    ) -> tuple[str, dict]:
        """``HTMLExporter.from_notebook_node`` (nbconvert 7.17) up to its BeautifulSoup pass."""
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", _Highlight(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    @jinja2.pass_context
    def markdown2html(self, context: jinja2.runtime.Context, source: str) -> str:
        """nbconvert's markdown filter, each distinct cell rendered once per grading process.

        The HTML depends only on the cell's source and attachments, the exporter's markdown
        options and, when images are embedded, the page's folder (linked images are read from
        there), so those are the key: every student's page shares the lesson's cells.
        """
        cell = context.get("cell", {})
        folder = context.get("resources", {}).get("metadata", {}).get("path", "")
        key = json.dumps(
            [
                source,
                cell.get("attachments", {}),
                folder if self.embed_images else None,
                self.embed_images,
                self.anchor_link_text,
                self.exclude_anchor_links,
                self.lexer_options,
            ],
            sort_keys=True,
            default=repr,
        )
        return _RENDERED_MARKDOWN.kept(
            key, lambda: HTMLExporter.markdown2html(self, context, source)
        )


class RecentPages(OrderedDict):
    """The most recent ``size`` pieces of HTML made in this process, by what they depend on.

    >>> pages = RecentPages(size=1)
    >>> pages.kept("a", lambda: "<p>a</p>"), pages.kept("a", lambda: "never made")
    ('<p>a</p>', '<p>a</p>')
    >>> pages.kept("b", lambda: "<p>b</p>"), list(pages)
    ('<p>b</p>', ['b'])
    """

    def __init__(self, size: int = 4096) -> None:
        super().__init__()
        self.size = size

    def kept(self, key: Hashable, make: Callable[[], str]) -> str:
        """The page kept for ``key``, or ``make()``'s, kept from now on."""
        if key in self:
            self.move_to_end(key)
            return self[key]
        page = self[key] = make()
        if len(self) > self.size:
            self.popitem(last=False)
        return page


_RENDERED_MARKDOWN = RecentPages()


class _Highlight(Highlight2HTML):
    """nbconvert's code highlighting, each distinct cell highlighted once per grading process.

    nbconvert builds a formatter, and with it the formatter's whole stylesheet, for every code
    cell (a sixth of a feedback page's cost): here one formatter per language serves every cell.
    And most cells of a class's feedback pages are the same text (the lesson's own cells, the
    test cells restored from the gradebook): pygments' HTML for a cell depends only on its
    source, its language (a magic's language, from its metadata) and the formatter's options, so
    it is kept (:data:`_HIGHLIGHTED`, the most recent few thousand cells) and served again.
    """

    def __call__(self, source: str, language: str | None = None, metadata: dict | None = None):
        from pygments.formatters import HtmlFormatter

        language = language or self.pygments_lexer
        magic = (metadata or {}).get("magics_language")
        options = repr(sorted(self.extra_formatter_options.items()))
        key = (language, magic, options, source)

        def highlight() -> str:
            formatters = vars(self).setdefault("_formatters", {})
            if language not in formatters:
                formatters[language] = HtmlFormatter(
                    cssclass=html.escape(f" highlight hl-{language}"),
                    **self.extra_formatter_options,
                )
            return _pygments_highlight(source or " ", formatters[language], language, metadata)

        return _HIGHLIGHTED.kept(key, highlight)


_HIGHLIGHTED = RecentPages()


class _CompiledSchemas:
    """``jsonschema`` as nbgrader's notebook metadata validator calls it, each schema compiled once.

    nbgrader validates every cell's metadata each time it reads or writes a notebook (several
    times per submission) with ``jsonschema.validate``, which checks the schema itself against
    its meta-schema and builds a validator on every call: about 0.3 s per submission. This does
    the same validation (the same error, :func:`jsonschema.exceptions.best_match`) with one
    validator per schema for the life of the grading process.

    >>> from nbgrader.nbgraderformat import MetadataValidator
    >>> from nbformat.v4 import new_code_cell
    >>> grading = {"schema_version": 3, "grade": "no", "locked": True, "solution": False}
    >>> cell = new_code_cell(metadata={"nbgrader": grading})
    >>> try:
    ...     MetadataValidator().validate_cell(cell)
    ... except jsonschema.ValidationError as error:
    ...     print(error.message)
    'no' is not of type 'boolean'
    """

    def __init__(self) -> None:
        self.validators: dict[str, jsonschema.protocols.Validator] = {}

    def validate(self, instance: object, schema: dict) -> None:
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            self.validators[key] = cls(schema)
        error = jsonschema.exceptions.best_match(self.validators[key].iter_errors(instance))
        if error is not None:
            raise error


nbgraderformat_common.jsonschema = _CompiledSchemas()
share_gradebook_engines()


def submission_fingerprint(folder: Path) -> str:
    """A hash of every file handed in (names and bytes, ``timestamp.txt`` included).

    Two submissions with the same fingerprint grade the same; a resubmission, or a new
    ``timestamp.txt`` from nbgrader's collect, changes it.
    """
    digest = hashlib.sha256()
    files = []
    for parent, _, names in os.walk(folder):  # links to folders are not followed
        files += [Path(parent) / name for name in names]
    for path in sorted(files):
        if not stat.S_ISREG(path.lstat().st_mode):
            continue  # links, FIFOs, devices: preflight refuses them, they are never read
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_state(course: Path, assignment: str, student: str) -> dict | None:
    """The record :func:`write_state` left for this submission, or None."""
    try:
        return json.loads(state_path(course, assignment, student).read_text())
    except (OSError, ValueError):
        return None


def write_state(course: Path, outcome: Outcome, fingerprint: str) -> None:
    """Record what became of a submission, atomically (a killed worker leaves the old record).

    A record of a submission that was not graded only gives its reason to later summaries: the
    next run grades it again whatever its fingerprint.
    """
    path = state_path(course, outcome.assignment, outcome.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = asdict(outcome) | {"fingerprint": fingerprint, "graded_at": time.time()}
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    os.replace(partial, path)


def _api(course: Path, db_url: str | None, sandbox: bool) -> NbGraderAPI:
    """This process's nbgrader API for the course, built once (it loads nbgrader_config.py)."""
    key = (str(course), db_url or "", sandbox)
    if key not in _apis:
        if not sandbox:
            os.environ[MODE_VARIABLE] = "off"  # kernels unconfined (--no-sandbox)
        _apis[key] = course_api(course, db_url)
    return _apis[key]


def _released_files(course: Path, assignment: str) -> frozenset[str]:
    """The files besides the notebook that the assignment hands out (relative paths)."""
    release = course / "notebooks" / assignment
    if not release.is_dir():
        return frozenset()
    return frozenset(
        p.relative_to(release).as_posix()
        for p in release.rglob("*")
        if p.is_file() and p.suffix != ".ipynb"
    )


def _read_grades(api: NbGraderAPI, outcome: Outcome) -> None:
    """Fill ``outcome`` from the gradebook: total, maximum, per-challenge scores, flags."""
    with open_gradebook(api) as gradebook:
        submission = find_submission_or_none(gradebook, outcome.assignment, outcome.student)
        if submission is None:
            outcome.status = NOT_GRADED
            outcome.reason = "nbgrader recorded no grade for it"
            return
        outcome.score = float(submission.score)
        outcome.max_score = float(submission.max_score)
        needs_human = []
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                outcome.challenges[grade.name] = float(grade.score)
                if grade.needs_manual_grade:
                    needs_human.append(grade.name)
        if submission.needs_manual_grade:
            outcome.status = FLAGGED
            cells = ", ".join(sorted(needs_human)) or "a cell"
            outcome.reason = (
                f"needs a manual grade for {cells} (a test cell deleted or edited, or an answer "
                "the autograder could not judge)"
            )
        else:
            outcome.status = GRADED
            outcome.reason = ""


def _failure_reason(log: str) -> str:
    """The last error nbgrader reported, in one line (a traceback's last line if it logged one).

    >>> _failure_reason("[INFO] x\\n[ERROR] Kernel died while waiting for execute reply.\\n")
    'Kernel died while waiting for execute reply.'
    >>> _failure_reason("[ERROR] Traceback:\\n  File x\\nValueError: bad\\n[ERROR] Please see the")
    'ValueError: bad'
    """
    records: list[list[str]] = []
    for line in log.splitlines():
        if line.startswith("[") and "]" in line:
            level, _, text = line[1:].partition("]")
            records.append([level, text.strip()])
        elif records and line.strip():
            records[-1].append(line.strip())
    boilerplate = ("There was an error processing", "Please see the")
    errors = [
        r[1:] for r in records if r[0] in ("ERROR", "CRITICAL") and not r[1].startswith(boilerplate)
    ]
    if errors:
        lines = [line for line in errors[-1] if line]
        return (lines[-1] if lines else "nbgrader reported an error without a message")[:300]
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return (lines[-1] if lines else "nbgrader stopped without saying why")[:300]


def _keep_log(outcome: Outcome, log_folder: Path | None, text: str) -> None:
    """Keep nbgrader's log of the submission in the run's log folder."""
    if log_folder is None:
        return
    path = log_folder / outcome.assignment / f"{outcome.student}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    outcome.log = str(path)


def dask_setup(worker: object) -> None:
    """Dask runs this in each worker that preloads this module, once its imports are done.

    nbgrader's, nbconvert's and SQLAlchemy's objects live as long as the worker: frozen out of
    the garbage collector's sight, they are not walked again by every full collection while the
    worker grades.
    """
    gc.freeze()
