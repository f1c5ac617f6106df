"""What a lesson's text promises about its own order: read from the solution notebook's cells.

Used by the notebook tests of 01–03: every ungraded "Try it" has a revealable answer right after
it, no section leans on a later one, and a term is defined before it is used.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
SECTION_HEADING = re.compile(r"^## (\d+)\.", re.MULTILINE)
SECTION_MENTION = re.compile(r"\bsections? (\d+)")
REVEAL = "<details><summary>Show an answer</summary>"


def lesson(assignment: str) -> list[nbformat.NotebookNode]:
    """The cells of ``solutions/<assignment>/<assignment>.ipynb``."""
    path = SOLUTIONS / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4).cells


def grade_id(cell: nbformat.NotebookNode) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def try_its_without_answer(cells: list[nbformat.NotebookNode]) -> list[int]:
    """Cells with a "Try it (not graded)" whose next cell is not a collapsed answer."""
    return [
        i
        for i, cell in enumerate(cells)
        if "**Try it (not graded).**" in cell.source
        and not (
            i + 1 < len(cells)
            and cells[i + 1].cell_type == "markdown"
            and cells[i + 1].source.startswith(REVEAL)
            and cells[i + 1].source.rstrip().endswith("</details>")
        )
    ]


def answers_on_graded_challenges(cells: list[nbformat.NotebookNode]) -> list[int]:
    """Revealable answers placed in a graded challenge (between its prose and its test cell)."""
    return [
        i
        for i, cell in enumerate(cells)
        if REVEAL in cell.source and re.match(r"q\d+-", grade_id(cell) or grade_id(cells[i - 1]))
    ]


def forward_section_references(cells: list[nbformat.NotebookNode]) -> list[str]:
    """Markdown that refers to a section after the one it sits in ("section 4" in section 3)."""
    current, found = 0, []
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        headings = SECTION_HEADING.findall(cell.source)
        if headings:
            current = int(headings[-1])
        found += [
            f"section {n} mentioned in section {current}: {cell.source[:60]!r}"
            for n in map(int, SECTION_MENTION.findall(cell.source))
            if n > current
        ]
    return found


def first_cell_with(cells: list[nbformat.NotebookNode], pattern: str) -> int:
    """Index of the first cell (markdown or code) whose source matches the regex ``pattern``."""
    return next(i for i, cell in enumerate(cells) if re.search(pattern, cell.source))


def index_of(cells: list[nbformat.NotebookNode], wanted_grade_id: str) -> int:
    return next(i for i, cell in enumerate(cells) if grade_id(cell) == wanted_grade_id)
