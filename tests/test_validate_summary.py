"""Validate's answer for students: a summary line first, then each failing test cell in a line.

binder/validate_summary.py rewrites nbgrader's Validate results; tests/test_browser.py checks
the dialog in Chromium, this file the rewriting itself, quickly.
"""

from __future__ import annotations

import doctest

import nbformat

from binder import validate_summary
from binder.validate_summary import summarised

CHECKS = '"""Check the slope at 2."""\nq_hints = ["..."]\nwith challenge("q2-slope"):\n    ...'


def _notebook() -> nbformat.NotebookNode:
    cells = []
    for grade_id, source in [
        ("q1-limit-tests", '"""Check the limit."""\ncheck_number(limit, 2)'),
        ("q2-slope-tests", CHECKS),
        ("q3-sum-tests", '"""Check the sum."""\nassert total == 6'),
    ]:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id}
        cells.append(cell)
    answer = nbformat.v4.new_code_cell("limit = 2")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "q1-answer"}
    return nbformat.v4.new_notebook(cells=[answer, *cells])


def test_failures_come_after_one_summary_line_and_are_cut_to_their_first_line():
    not_answered = "✗ q2-slope: Not answered yet: `slope` is not defined yet.\n  What to do: ..."
    crashed = "Traceback (most recent call last):\n  ...\n\x1b[31mZeroDivisionError\x1b[0m: oops"
    results = {
        "failed": [
            {"source": CHECKS, "error": "<html>", "raw_error": not_answered},
            {
                "source": '"""Check the sum."""\nassert total == 6',
                "error": "<tb>",
                "raw_error": crashed,
            },
        ]
    }
    head, slope, total = summarised(results, _notebook())["failed"]
    assert head["source"] == (
        "2 of 3 challenges do not pass yet: q2-slope (not answered yet), q3-sum (ZeroDivisionError)."
    )
    assert "<style>" in head["error"]  # hides the entry's "The following cell failed:"
    assert (
        slope["source"]
        == '"""Check the slope at 2."""  # … 3 more lines: the checks (see the cell)'
    )
    assert (slope["error"], slope["raw_error"]) == ("<html>", not_answered)
    assert total["source"].startswith('"""Check the sum."""  # …')


def test_a_long_reason_is_cut_and_an_unknown_cell_is_named_by_its_message():
    wrong = "✗ q9-extra: " + "the gradient is off in every entry, " * 4 + "\n  You gave: ..."
    results = {"failed": [{"source": "not in the notebook", "error": "", "raw_error": wrong}]}
    head = summarised(results, _notebook())["failed"][0]["source"]
    assert head.startswith("1 of 3 challenges do not pass yet: q9-extra (the gradient is off")
    assert head.endswith("…).") and len(head) < 120


def test_success_and_edited_cells_are_left_as_nbgrader_says():
    assert summarised({}, _notebook()) == {}
    changed = {"changed": [{"source": "a test cell the student edited"}]}
    assert summarised(changed, _notebook()) == changed


def test_the_modules_examples():
    assert doctest.testmod(validate_summary).failed == 0
