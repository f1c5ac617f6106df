r"""From an LMS's "download all submissions" archive to submitted/, and grades back to the LMS.

``make grade ZIP=submissions.zip`` reads a Canvas or a Moodle archive. The file names say who
handed in what; the LMS is recognised from them:

- **Canvas** (Assignments > Download Submissions) names each file
  ``<name>_<user id>_<submission id>_<file name>``, with ``late_`` (or ``LATE_``) before the user
  id for a late submission and ``-1``, ``-2``, … before ``.ipynb`` for a resubmission, e.g.
  ``limaana_late_48213_990112_01-limits-1.ipynb``. The name is Canvas's sortable name written
  together in lower case (``limaana``); the student id is Canvas's user id (``48213``).
- **Moodle** (Assignment > View all submissions > Download all submissions) names each file
  ``<Full Name>_<participant id>_assignsubmission_file_<file name>``, or puts the files in a
  folder ``<Full Name>_<participant id>_assignsubmission_file_/`` ("Download submissions in
  folders"), e.g. ``Ana Lima_1830_assignsubmission_file_/01-limits.ipynb``. The student id is the
  participant id (``1830``), the name the student's full name.

Each archive goes through nbgrader's own ``zip_collect`` (``downloaded/<assignment>/archive/``,
then ``submitted/<id>/<assignment>/``) with the regular expressions below, the names go into the
gradebook, and after grading ``grades-canvas.csv`` or ``grades-moodle.csv`` is written beside
grades.csv: one row per student with the LMS's id and one column per assignment, ready for the
LMS's grade import (Canvas: Grades > Import; Moodle: Grades > Import > CSV file, matching
"Identifier" to the participant).

Example::

    >>> canvas = LMS_PATTERNS["canvas"]
    >>> m = canvas.fullmatch("/x/extracted/limaana_late_48213_990112_01-limits-1.ipynb")
    >>> m["student_id"], m["name"], m["file_id"]
    ('48213', 'limaana', '01-limits')
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from grading.submission import NOT_GRADED, Outcome

LMS_PATTERNS = {
    "canvas": re.compile(
        r".*/(?P<name>[^/_]+)_(?:[lL][aA][tT][eE]_)?(?P<student_id>\d+)_\d+_"
        r"(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb"
    ),
    "moodle": re.compile(
        r".*/(?P<name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_file_/?"
        r"(?P<file_id>[^/]+?)\.ipynb"
    ),
}
LMS_RECORD = Path("downloaded") / "lms.json"


class ArchiveError(ValueError):
    """The archive cannot be collected (the message says what was found and what to do)."""


def read_archive(archive: Path, assignments: list[str]) -> tuple[str, dict[str, list[str]], dict]:
    """Recognise the LMS and the assignments of an archive's notebooks.

    Returns
    -------
    lms
        ``"canvas"`` or ``"moodle"``.
    by_assignment
        {assignment: notebook file names of the archive that belong to it}.
    names
        {student id: name as the LMS wrote it}.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.namelist() if m.endswith(".ipynb")]
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"{archive} is not a readable zip archive ({error})") from error
    if not members:
        raise ArchiveError(f"{archive} holds no .ipynb file: is it the submissions download?")
    paths = ["/" + m for m in members]
    lms = next(
        (name for name, rx in LMS_PATTERNS.items() if any(rx.fullmatch(p) for p in paths)), None
    )
    if lms is None:
        raise ArchiveError(
            f"the file names of {archive} are neither Canvas's "
            "(<name>_<user id>_<submission id>_<file>.ipynb) nor Moodle's "
            "(<Full Name>_<id>_assignsubmission_file_<file>.ipynb); the first is "
            f"{members[0]!r}. Collect it with nbgrader zip_collect and your own named_regexp."
        )
    by_assignment: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for path in paths:
        match = LMS_PATTERNS[lms].fullmatch(path)
        if match is None:
            continue
        names[match["student_id"]] = match["name"]
        if match["file_id"] in assignments:
            by_assignment.setdefault(match["file_id"], []).append(path)
    if not by_assignment:
        if len(assignments) == 1:
            return lms, {assignments[0]: paths}, names
        raise ArchiveError(
            f"no notebook of {archive} is named after an assignment ({', '.join(assignments)}): "
            "say which assignment it holds (make grade ZIP=... ASSIGNMENT=01-limits)"
        )
    return lms, by_assignment, names


def collect_archive(course: Path, archive: Path, assignments: list[str]) -> tuple[str, list[str]]:
    """Put an LMS archive's notebooks into ``submitted/`` with nbgrader's ``zip_collect``.

    Returns the LMS and the assignments collected. A notebook the student renamed is collected
    under its wrong name when the archive holds one assignment, so that grading reports it
    ("expected 01-limits.ipynb, found …"); when it holds several, it is skipped (``--strict``).
    """
    lms, by_assignment, names = read_archive(archive, assignments)
    strict = len(by_assignment) > 1
    for assignment in by_assignment:
        folder = course / "downloaded" / assignment / "archive"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copy(archive, folder / archive.name)
        command = [
            sys.executable,
            "-m",
            "nbgrader",
            "zip_collect",
            assignment,
            "--force",
            f"--FileNameCollectorPlugin.named_regexp={LMS_PATTERNS[lms].pattern}",
            "--log-level=WARN",
        ] + (["--strict"] if strict else [])
        # nbgrader runs `alembic` by name when it creates a gradebook: this Python's bin/ first.
        env = dict(
            os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        )
        done = subprocess.run(
            command, cwd=course, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ArchiveError(
                f"nbgrader zip_collect {assignment} failed on {archive}:\n{done.stdout}{done.stderr}"
            )
    record = course / LMS_RECORD
    known = json.loads(record.read_text()) if record.is_file() else {"names": {}}
    known["lms"] = lms
    known["names"] |= names
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(known, indent=1, ensure_ascii=False))
    return lms, sorted(by_assignment)


def lms_students(course: Path) -> tuple[str | None, dict[str, tuple[str, str]]]:
    """The LMS the class came from and {student id: (first name, last name)}, if any."""
    record = course / LMS_RECORD
    if not record.is_file():
        return None, {}
    known = json.loads(record.read_text())
    names = {}
    for student, name in known["names"].items():
        first, _, last = name.rpartition(" ") if " " in name else ("", "", name)
        names[student] = (first, last)
    return known["lms"], names


def write_lms_csv(path: Path, lms: str, records: list[Outcome], names: dict[str, str]) -> None:
    """The LMS import file: one row per student, the LMS's id, one column per assignment.

    A submission without a score leaves its cell empty, so the import does not write a 0 over
    what the LMS holds.
    """
    assignments = list(dict.fromkeys(r.assignment for r in records))
    scores: dict[str, dict[str, str]] = {}
    for record in records:
        score = "" if record.status == NOT_GRADED or record.score is None else f"{record.score:g}"
        scores.setdefault(record.student, {})[record.assignment] = score
    if lms == "canvas":
        header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
        rows = [
            [names.get(s, ""), s, "", "", "", *(scores[s].get(a, "") for a in assignments)]
            for s in scores
        ]
    else:
        header = ["Identifier", "Full name", *assignments]
        rows = [
            [f"Participant {s}", names.get(s, ""), *(scores[s].get(a, "") for a in assignments)]
            for s in scores
        ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
