"""The numbers 03-partial-derivatives states, read from its executed solution notebook."""

from __future__ import annotations

import itertools
import math

import numpy as np
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
    "nudges": "nudges",
    "symbolic_partials": "[str(d) for d in symbolic_partials]",
    "numeric_partials": "numeric_partials",
    "grad_p": "grad_p.tolist()",
    "steepest": "steepest",
    "max_rate": "float(rates.max())",
    "rate_vs_dot": "float(np.max(np.abs(rates - predicted)))",
    "lse_start": "lse(start)",
    "grad_start": "grad_start.tolist()",
    "predicted_lse": "float(predicted_lse)",
    "true_lse": "true_lse",
    "lse_errors": "lse_errors",
    "quadratic": "[numeric_quadratic.tolist(), guess_2Ax.tolist(), rule_quadratic.tolist()]",
    "rule_errors": "rule_errors",
    "ridge_error": "ridge_error",
    "det_J": "str(sp.simplify(J_symbolic.det()))",
    "jacobian_error": "float(np.max(np.abs(J_numeric - J_exact)))",
    "classified": "{str(k): v for k, v in classified.items()}",
    "grad_ce": "grad_ce.tolist()",
    "p_minus_y": "(p_ce - y_ce).tolist()",
    "ce_steps": "ce_steps",
    "positive_definite": "positive_definite",
    "progress": "str(progress())",
}


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("03-partial-derivatives", EXPRESSIONS)


def test_runs_without_errors_or_stderr_and_every_challenge_passes(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []
    assert run.values["progress"].startswith("6 of 6 challenges pass.")


def test_partials_by_holding_the_others_constant(run: ExecutedNotebook) -> None:
    v = run.values
    for h, along_a, along_c in v["nudges"]:
        assert along_a == pytest.approx(2.0, abs=1e-9)  # df/da = 2
        assert along_c == pytest.approx(6.0 + h, abs=1e-9)  # df/dc = 2c = 6 at c = 3
    assert v["symbolic_partials"] == ["6*x", "2"]
    assert v["numeric_partials"] == pytest.approx([6.0, 2.0], rel=1e-10)


def test_gradient_is_the_direction_of_steepest_ascent(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["grad_p"] == pytest.approx([6.0, 2.0], rel=1e-10)
    assert v["steepest"] == round(math.degrees(math.atan2(2, 6)))  # 18 degrees
    assert v["max_rate"] == pytest.approx(math.sqrt(40), rel=1e-4)
    assert v["rate_vs_dot"] < 1e-5


def test_linear_approximation_of_log_sum_exp(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["lse_start"] == pytest.approx(math.log(3))
    assert v["grad_start"] == pytest.approx([1 / 3, 2 / 3], rel=1e-10)
    assert round(v["predicted_lse"], 4) == 1.0819
    assert round(v["true_lse"], 4) == 1.0821
    errors = v["lse_errors"]
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.05)
    assert errors[1] / errors[2] == pytest.approx(100, rel=0.05)


def test_vector_and_matrix_gradient_rules(run: ExecutedNotebook) -> None:
    numeric, guess, rule = (np.array(a) for a in run.values["quadratic"])
    assert numeric == pytest.approx(rule, abs=1e-8)
    assert np.max(np.abs(numeric - guess)) > 0.1  # 2Ax is wrong for a non-symmetric A
    assert len(run.values["rule_errors"]) == 5
    assert max(run.values["rule_errors"].values()) < 1e-8
    assert run.values["ridge_error"] < 1e-8  # least squares with weight decay: 2X^T(Xw - y) + 2λw


def test_jacobian_of_polar_coordinates(run: ExecutedNotebook) -> None:
    assert run.values["det_J"] == "r"
    assert run.values["jacobian_error"] < 1e-8


def test_critical_points_classified_by_the_hessian(run: ExecutedNotebook) -> None:
    classified = run.values["classified"]
    assert classified["(1, 0)"] == [[2.0, 6.0], "minimum"]
    assert classified["(-1, 0)"] == [[-6.0, 2.0], "saddle"]


def test_cross_entropy_gradient_is_p_minus_y(run: ExecutedNotebook) -> None:
    grad, p_minus_y = np.array(run.values["grad_ce"]), np.array(run.values["p_minus_y"])
    assert grad == pytest.approx(p_minus_y, abs=1e-9)
    assert grad[1] < 0 < min(grad[0], grad[2], grad[3])  # the true class is pushed up
    losses, p_true, sums = zip(*run.values["ce_steps"])
    assert all(a > b for a, b in itertools.pairwise(losses))
    assert all(a < b for a, b in itertools.pairwise(p_true))
    assert max(abs(s) for s in sums) < 1e-12


def test_saddles_outnumbering_minima_is_measured_not_asserted(run: ExecutedNotebook) -> None:
    shares = [run.values["positive_definite"][str(n)] for n in range(1, 7)]
    assert shares[0] == pytest.approx(0.5, abs=0.05)
    assert all(a > b for a, b in itertools.pairwise(shares[:5]))
    assert all(share < 2.0**-n for n, share in enumerate(shares[1:], start=2))
    cells = lesson("03-partial-derivatives")
    text = (
        cells[index_of(cells, "hessian-ml")].source
        + cells[index_of(cells, "hessian-ml-explained")].source
    )
    assert "most such points are saddles" not in text
    assert "heuristic, not a theorem" in text and "Dauphin" in text


def test_no_chain_rule_before_lesson_04() -> None:
    for cell in lesson("03-partial-derivatives"):
        for line in cell.source.lower().splitlines():
            assert "chain rule" not in line or "04" in line, line


def test_every_try_it_has_a_revealable_answer_and_no_section_points_ahead() -> None:
    cells = lesson("03-partial-derivatives")
    assert try_its_without_answer(cells) == []
    assert answers_on_graded_challenges(cells) == []
    assert forward_section_references(cells) == []


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
