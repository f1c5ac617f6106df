"""What 00-start-here promises: it runs, its primer prints what the prose says, its tables are
complete (every lesson mapped with a time and prerequisites, every symbol of the brief in the
glossary), and every Try-it exercise has a revealable answer right after it."""

from __future__ import annotations

import re

import pytest
from conftest import ASSIGNMENTS, read_notebook, solution_path
from notebook_run import ExecutedNotebook, execute, run_student_copy

EXPRESSIONS = {
    "grid": "grid.tolist()",
    "steps": "steps.tolist()",
    "integral": "str(sp.integrate(f_formula, (x, 0, 2)))",
    "progress": "str(progress())",
}


def markdown(assignment: str, grade_id: str) -> str:
    for cell in read_notebook(solution_path(assignment)).cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell.source
    raise KeyError(grade_id)


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("00-start-here", EXPRESSIONS)


@pytest.mark.slow
def test_runs_without_errors_or_stderr_and_the_practice_passes(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []
    assert run.values["progress"].startswith("1 of 1 challenge pass.")


@pytest.mark.slow
def test_primer_shows_linspace_includes_the_end_and_arange_stops_before(run) -> None:
    assert run.values["grid"] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert run.values["steps"] == [0.0, 0.25, 0.5, 0.75]
    assert run.values["integral"] == "0"


def test_the_map_lists_every_lesson_with_a_time_and_prerequisites() -> None:
    rows = [
        line.split("|")[1:-1]
        for line in markdown("00-start-here", "lesson-map").splitlines()
        if line.startswith("| **")
    ]
    names = [row[0].strip().strip("*") for row in rows]
    assert names == ASSIGNMENTS, "the map must list solutions/ in course order"
    for name, _what, time, needs in rows:
        minutes = [int(m) for m in re.findall(r"\d+", time)]
        assert minutes and max(minutes) <= 110, name
        if name.strip("* ") not in ("00-start-here", "01-limits"):
            earlier = re.findall(r"\d\d", needs)
            assert earlier and all(int(e) < int(name.strip("* ")[:2]) for e in earlier), name


def test_the_glossary_separates_the_symbols_students_confuse() -> None:
    glossary = markdown("00-start-here", "notation")
    for symbol in (
        r"\varepsilon_{\text{mach}}",
        r"$\varepsilon$",
        r"\dfrac{df}{dx}",
        "$f'(x)$",
        r"\nabla f",
        "$J$",
        "$H$",
        r"\eta",
        r"\mathbb{E}",
        r"\int_a^b",
    ):
        assert symbol in glossary, symbol


@pytest.mark.parametrize("assignment", ["00-start-here", "07-integrals-and-expectation"])
def test_every_try_it_is_followed_by_a_revealable_answer(assignment: str) -> None:
    cells = read_notebook(solution_path(assignment)).cells
    try_its = [i for i, c in enumerate(cells) if "**Try it (not graded).**" in c.source]
    assert try_its
    for i in try_its:
        answer = cells[i + 1].source
        assert answer.startswith("<details><summary>Show an answer</summary>"), cells[i].source
        assert answer.rstrip().endswith("</details>")


@pytest.mark.slow
def test_run_all_of_the_unanswered_student_copy_reaches_the_end() -> None:
    release, errors = run_student_copy("00-start-here")
    assert errors == []
    shown = [
        o.get("text") or o.get("data", {}).get("text/plain", "") for o in release.cells[-1].outputs
    ]
    assert "".join(shown).startswith("0 of 1 challenge pass."), shown


@pytest.mark.slow
def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
