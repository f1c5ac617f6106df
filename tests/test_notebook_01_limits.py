"""The numbers 01-limits states, read from its executed solution notebook."""

from __future__ import annotations

import math

import pytest
from lesson_text import (
    answers_on_graded_challenges,
    forward_section_references,
    index_of,
    lesson,
    try_its_without_answer,
)
from notebook_run import ExecutedNotebook, execute

pytestmark = pytest.mark.slow

EXPRESSIONS = {
    "rows": "[(s, difference_quotient_at_1(-s), difference_quotient_at_1(s)) for s in (0.1, 1e-3, 1e-6)]",
    "quotient_at_1": "str(quotient_at_1)",
    "limit_at_1": "int(limit_at_1)",
    "table_limit": "table_quotient.limit",
    "table_agrees": "table_quotient.sides_agree",
    "worked_limits": "worked_limits",
    "no_limits": "{k: [t.sides_agree, t.left, t.right] for k, t in no_limits.items()}",
    "float_rows": "float_rows",
    "best_float_h": "best_float_h",
    "error_is_3h": "error_is_3h",
    "x_sin_table": "[(t := limit_table(lambda s: s * math.sin(1 / s), 0.0, k=8)).sides_agree, t.limit]",
    "progress": "str(progress())",
}


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("01-limits", EXPRESSIONS)


def test_runs_without_errors_or_stderr_and_every_challenge_passes(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []
    assert run.values["progress"].startswith("5 of 5 challenges pass.")


def test_difference_quotient_of_3x2_minus_4x_converges_to_2_from_both_sides(run) -> None:
    for h, left, right in run.values["rows"]:
        assert left == pytest.approx(2 - 3 * h, abs=1e-8)  # below 2
        assert right == pytest.approx(2 + 3 * h, abs=1e-8)  # above 2
    assert run.values["quotient_at_1"] == "3*h + 2"
    assert run.values["limit_at_1"] == 2
    assert run.values["table_agrees"] and run.values["table_limit"] == pytest.approx(2, abs=1e-6)


def test_worked_examples_agree_with_sympy(run: ExecutedNotebook) -> None:
    expected = [4, 2, 1, 1]
    for (table, exact), want in zip(run.values["worked_limits"].values(), expected):
        assert exact == want
        assert table == pytest.approx(want, rel=1e-6)


def test_limits_that_do_not_exist(run: ExecutedNotebook) -> None:
    jump, blow_up, oscillation = (run.values["no_limits"][k] for k in ("|x|/x", "1/x", "sin(1/x)"))
    assert jump == [False, -1.0, 1.0]
    assert blow_up[0] is False and oscillation[0] is False
    assert all(math.isnan(side) for side in blow_up[1:] + oscillation[1:])


def test_floating_point_teaser(run: ExecutedNotebook) -> None:
    rows = dict(run.values["float_rows"])
    assert run.values["best_float_h"] == 1e-8
    assert abs(rows[1e-5] - 2) == pytest.approx(3e-5, rel=0.01)  # truncation 3h
    assert abs(rows[1e-12] - 2) > abs(rows[1e-8] - 2) * 100  # rounding takes over
    assert rows[1e-16] == 0.0  # 1 + 1e-16 == 1


def test_error_is_3h_only_down_to_1e_7_as_the_prose_says(run: ExecutedNotebook) -> None:
    rows = dict(run.values["float_rows"])
    assert run.values["error_is_3h"] == [10.0**-k for k in range(1, 8)]
    assert abs(rows[1e-8] - 2) == pytest.approx(1.2e-8, rel=0.05)  # not 3e-8: rounding joined in
    assert "From $h = 10^{-1}$ down to $h = 10^{-7}$ the error is $3h$" in lesson_markdown()


def test_try_it_has_a_revealable_answer_and_no_section_points_ahead() -> None:
    cells = lesson("01-limits")
    assert try_its_without_answer(cells) == []
    assert answers_on_graded_challenges(cells) == []
    assert forward_section_references(cells) == []


def test_try_it_answer_is_what_the_table_shows(run: ExecutedNotebook) -> None:
    assert run.values["x_sin_table"] == [True, 0.0]
    answer = lesson("01-limits")[index_of(lesson("01-limits"), "one-sided-try-it-answer")].source
    assert "limit is about $0$" in answer and "squeeze" in answer


def lesson_markdown() -> str:
    return "\n".join(c.source for c in lesson("01-limits") if c.cell_type == "markdown")


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
