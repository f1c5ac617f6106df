"""The numbers 01-limits states, read from its executed solution notebook."""

from __future__ import annotations

import math

import pytest
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
