"""The numbers 02-derivatives states, read from its executed solution notebook."""

from __future__ import annotations

import math

import numpy as np
import pytest
from lesson_text import (
    answers_on_graded_challenges,
    first_cell_with,
    forward_section_references,
    index_of,
    lesson,
    try_its_without_answer,
)
from notebook_run import ExecutedNotebook, execute

pytestmark = pytest.mark.slow

EXPRESSIONS = {
    "steps": "steps",
    "quotients": "quotients",
    "derivative_of_2x2": "str(derivative_of_2x2)",
    "slope_over_value": "{str(k): v for k, v in slope_over_value.items()}",
    "measured_product_slope": "measured_product_slope",
    "product_of_slopes": "product_of_slopes",
    "product_rule": "product_rule",
    "table_checks": "table_checks",
    "rule_checks": "rule_checks",
    "worked_ok": "worked_ok",
    "critical_values": "[[int(p), int(v)] for p, v in critical_values]",
    "linear_rows": "linear_rows",
    "second_derivative_over_2": "second_derivative_over_2",
    "forward_errors": "forward_errors",
    "central_errors": "central_errors",
    "best_tiny": "best_tiny",
    "h_star_forward": "h_star_forward",
    "h_star_central": "h_star_central",
    "complex_error": "abs(complex_estimate - exact)",
    "best_steps": "best_steps",
    "cubic_derivatives": "[str(d) for d in cubic_derivatives]",
    "slope_of_slope": "slope_of_slope",
    "taylor_errors": "{str(k): v for k, v in taylor_errors.items()}",
    "relu_one_sided": "{str(k): v for k, v in relu_one_sided.items()}",
    "subgradient_range": "[float(min(below)), float(max(below))]",
    "progress": "str(progress())",
}


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("02-derivatives", EXPRESSIONS)


def test_runs_without_errors_or_stderr_and_every_challenge_passes(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []
    assert run.values["progress"].startswith("7 of 7 challenges pass.")


def test_definition_worked_for_2x_squared(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["derivative_of_2x2"] == "4*x"
    for h, q in zip(v["steps"], v["quotients"]):
        assert q == pytest.approx(8 + 2 * h, abs=1e-8)  # the quotient is exactly 8 + 2h
    assert v["quotients"][-1] == pytest.approx(8.0, abs=1e-5)


def test_exponentials_grow_at_ln_a_times_their_value(run: ExecutedNotebook) -> None:
    for base, ratios in run.values["slope_over_value"].items():
        assert ratios == pytest.approx([math.log(float(base))] * 4, rel=1e-10)


def test_every_table_entry_and_rule_is_verified_symbolically_and_numerically(run) -> None:
    v = run.values
    assert len(v["table_checks"]) == 9 and len(v["rule_checks"]) == 4
    for name, (symbolic_ok, numeric_error) in {**v["table_checks"], **v["rule_checks"]}.items():
        assert symbolic_ok, name
        assert numeric_error < 1e-10, name
    assert v["worked_ok"] == [True] * 5


def test_product_rule_beats_the_product_of_slopes(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["measured_product_slope"] == pytest.approx(v["product_rule"], rel=1e-12)
    assert v["product_rule"] == pytest.approx(2 * math.sin(1) + math.cos(1))
    assert abs(v["product_of_slopes"] - v["product_rule"]) > 1


def test_extrema_of_the_cubic(run: ExecutedNotebook) -> None:
    assert run.values["critical_values"] == [[-1, 2], [1, -2]]


def test_linear_approximation_of_sqrt(run: ExecutedNotebook) -> None:
    v = run.values
    eps, true_value, tangent_value, error = v["linear_rows"][0]
    assert (eps, tangent_value) == (0.1, 2.025)
    assert true_value == pytest.approx(math.sqrt(4.1)) and error == pytest.approx(
        -1.54e-4, rel=0.01
    )
    assert v["second_derivative_over_2"] == -1 / 64
    ratios = [row[3] / row[0] ** 2 for row in v["linear_rows"]]
    assert abs(ratios[-1] + 1 / 64) < abs(ratios[0] + 1 / 64) < 1e-3  # error / eps^2 -> f''/2


def test_forward_is_first_order_and_central_second_order(run: ExecutedNotebook) -> None:
    fwd, cen = np.array(run.values["forward_errors"]), np.array(run.values["central_errors"])
    assert fwd[:-1] / fwd[1:] == pytest.approx([2, 2, 2], abs=0.05)
    assert cen[:-1] / cen[1:] == pytest.approx([4, 4, 4], abs=0.01)


def test_round_off_and_the_best_steps(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["best_tiny"] == 1e-8
    assert v["h_star_forward"] == pytest.approx(math.sqrt(2 * np.finfo(float).eps))
    assert v["h_star_central"] == pytest.approx((3 * np.finfo(float).eps) ** (1 / 3))
    assert v["complex_error"] <= 4 * np.finfo(float).eps * math.e


def test_float32_needs_a_much_larger_step(run: ExecutedNotebook) -> None:
    f64, f32 = run.values["best_steps"]["float64"], run.values["best_steps"]["float32"]
    assert 1e-9 <= f64["best h, forward"] <= 1e-7 and 1e-6 <= f64["best h, central"] <= 1e-4
    assert f32["best h, forward"] > 100 * f64["best h, forward"]
    assert f32["best h, central"] > 100 * f64["best h, central"]


def test_second_derivative_and_big_o_are_defined_before_use(run: ExecutedNotebook) -> None:
    cells = lesson("02-derivatives")
    assert first_cell_with(cells, r"f''|f\\prime\\prime|d\^2f") == index_of(
        cells, "higher-derivatives"
    )
    assert first_cell_with(cells, r"O\(h|O\(\\varepsilon") == index_of(cells, "big-o")
    assert first_cell_with(cells, "Taylor") == index_of(cells, "taylor")
    assert index_of(cells, "linear-experiment") < index_of(cells, "sign-experiment")  # §3 before §4
    assert forward_section_references(cells) == []
    v = run.values
    assert v["cubic_derivatives"] == ["x**3 - 3*x", "3*x**2 - 3", "6*x", "6"]
    assert v["slope_of_slope"] == pytest.approx([12.3, 12.03, 12.003], abs=1e-8)  # 12 + 3h: O(h)


def test_each_taylor_term_gains_a_factor_eps(run: ExecutedNotebook) -> None:
    coarse, fine = run.values["taylor_errors"]["0.1"], run.values["taylor_errors"]["0.01"]
    assert coarse[0] > coarse[1] > coarse[2]
    for terms, (big, small) in enumerate(zip(coarse, fine), start=1):
        assert big / small == pytest.approx(10.0 ** (terms + 1), rel=0.1)  # O(eps^(terms + 1))


def test_relu_has_one_sided_slopes_0_and_1_and_subgradients_0_to_1(run: ExecutedNotebook) -> None:
    sides = run.values["relu_one_sided"]
    assert sides["(0.0, 0.001)"] == [0.0, 1.0]
    assert sides["(-0.5, 0.1)"] == [0.0, 0.0]
    assert sides["(0.5, 0.1)"] == pytest.approx([1.0, 1.0], abs=1e-12)
    assert run.values["subgradient_range"] == [0.0, 1.0]


def test_pytorch_uses_the_subgradient_0_for_relu_at_0() -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor([0.0, -1.0, 2.0], requires_grad=True)
    torch.relu(t).sum().backward()
    assert t.grad.tolist() == [0.0, 0.0, 1.0]  # what the relu-in-practice cell states


def test_every_try_it_has_a_revealable_answer() -> None:
    cells = lesson("02-derivatives")
    assert try_its_without_answer(cells) == []
    assert answers_on_graded_challenges(cells) == []


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
