"""Look at a submission folder before nbgrader reads or writes it, and refuse it with a reason.

nbgrader trusts ``submitted/<student>/<assignment>/``: it follows symlinks, blocks on a FIFO,
aborts a whole worker on a duplicated test cell and fails feedback on the text
``BEGIN HIDDEN TESTS`` in a student's cell. Each of those becomes one sentence here, saying what
was found and what to do, and that submission alone is left ungraded::

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp()) / "submitted" / "ana" / "01-limits"
    >>> folder.mkdir(parents=True)
    >>> _ = (folder / "01-limits (1).ipynb").write_text("{}")
    >>> print(refusal(folder, "01-limits"))
    expected 01-limits.ipynb, found 01-limits (1).ipynb: rename it to 01-limits.ipynb and grade again

What is accepted: the notebook ``<assignment>.ipynb``, nbgrader's ``timestamp.txt``, files the
assignment itself releases (data files), and what nbgrader ignores anyway
(``.ipynb_checkpoints``, ``__pycache__``, ``*.pyc``). Everything is looked at without following
links (``lstat``), so a hostile folder cannot make the check itself read or hang on anything.
"""

from __future__ import annotations

import fnmatch
import json
import stat
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 20 * 2**20
"""A submitted notebook larger than this is refused (an honest one is well under 1 MiB)."""

NBGRADER_IGNORES = (".ipynb_checkpoints", "__pycache__", "*.pyc")
HIDDEN_TEST_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
GLOB_CHARACTERS = frozenset("*?[]")


def refusal(folder: Path, assignment: str, released: frozenset[str] = frozenset()) -> str | None:
    """Why the submission in ``folder`` cannot be graded, or None if nbgrader may read it.

    Parameters
    ----------
    folder
        ``<course>/submitted/<student>/<assignment>``.
    assignment
        The assignment's name; its notebook must be ``<assignment>.ipynb``.
    released
        Names of the other files the assignment hands out (relative paths), accepted beside it.

    Returns
    -------
    str or None
        One sentence: what is wrong, the offending name or value, what to do.
    """
    student = folder.parent.name
    if GLOB_CHARACTERS & set(student):
        return (
            f"student id {student!r} contains one of * ? [ ], which nbgrader reads as a file "
            "pattern: rename the folder submitted/" + student
        )
    for level in (folder.parent, folder):
        kind = _file_kind(level)
        if kind != "folder":
            return f"{level.name} is a {kind}, not a folder: only real folders are graded"
    expected = f"{assignment}.ipynb"
    entries = sorted(_walk(folder))
    if not entries:
        return f"the folder is empty: no {expected} was handed in"
    for relative, kind in entries:
        if kind != "file":
            return f"{relative} is a {kind}; a submission may hold only regular files"
    names = [relative for relative, _ in entries]
    notebooks = [name for name in names if name.endswith(".ipynb")]
    if expected not in notebooks:
        found = ", ".join(notebooks) or ", ".join(names)
        return f"expected {expected}, found {found}: rename it to {expected} and grade again"
    extra = [name for name in notebooks if name != expected]
    if extra:
        return (
            f"extra notebook {', '.join(extra)} beside {expected}: only {expected} is graded; "
            "remove the others and grade again"
        )
    unexpected = [n for n in names if n not in (expected, "timestamp.txt") and n not in released]
    if unexpected:
        return (
            f"unexpected file {', '.join(unexpected)} (the assignment hands out no such file): "
            "remove it and grade again"
        )
    return _notebook_refusal(folder / expected)


def _file_kind(path: Path) -> str:
    """What ``path`` is, without following a link: folder, file, symlink, FIFO, device, …"""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _walk(folder: Path, prefix: str = ""):
    """(relative path, kind) of everything under ``folder``, links not followed, ignores skipped."""
    for entry in folder.iterdir():
        if any(fnmatch.fnmatch(entry.name, pattern) for pattern in NBGRADER_IGNORES):
            continue
        relative = f"{prefix}{entry.name}"
        kind = _file_kind(entry)
        if kind == "folder":
            yield from _walk(entry, f"{relative}/")
        else:
            yield relative, kind


def _notebook_refusal(path: Path) -> str | None:
    """Why the notebook file itself cannot be graded (size, JSON, format, cells), or None."""
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return (
            f"{path.name} is {size / 2**20:.1f} MiB, more than the {MAX_NOTEBOOK_BYTES >> 20} MiB "
            "a notebook may have: clear its outputs (Edit > Clear Outputs of All Cells) and hand "
            "it in again"
        )
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return (
            f"{path.name} is not valid notebook JSON ({error.msg} at line {error.lineno}, "
            f"column {error.colno}): the file was damaged; ask the student for a fresh download"
        )
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - nbformat raises several types for a bad notebook
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"{path.name} is not a valid Jupyter notebook ({first_line[:200]})"
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id is not None:
            if grade_id in seen:
                return (
                    f"cell {grade_id} appears twice (cells {seen[grade_id]} and {index}), a "
                    "copy-pasted graded cell: delete the copy and grade again"
                )
            seen[grade_id] = index
        student_written = meta.get("solution", False) or not meta
        if student_written:
            for marker in HIDDEN_TEST_MARKERS:
                if marker in cell.source:
                    return (
                        f"cell {index} ({grade_id or 'a cell the student added'}) contains the text "
                        f"{marker!r}, which nbgrader reserves for the instructor's hidden tests: "
                        "remove it and grade again"
                    )
    return None
