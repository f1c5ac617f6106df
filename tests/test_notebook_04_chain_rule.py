"""The numbers 04-chain-rule states, read from its executed solution notebook."""

from __future__ import annotations

import pytest
from notebook_run import (
    ExecutedNotebook,
    assert_every_try_it_has_an_answer,
    execute,
    run_student_copy,
)

pytestmark = pytest.mark.slow

EXPRESSIONS = {
    "slope_measured": "slope_measured",
    "chain_rule_slope": "chain_rule_slope",
    "guess_outer_only": "guess_outer_only",
    "dz_dt_measured": "dz_dt_measured",
    "dz_dt_paths": "via_u + via_v",
    "f_val": "f_val",
    "dv_db": "local[('v', 'b')]",
    "forward_grads": "forward_grads",
    "backward_grads": "backward_grads",
    "engine_grads": "engine_grads",
    "engine_f": "f.data",
    "adjoint_a": "adjoints['a']",
    "adjoint_b": "adjoints['b']",
    "n_ops_forward": "n_ops_forward",
    "n_ops_backward": "n_ops_backward",
    "neuron_by_hand": "by_hand",
    "neuron_by_engine": "by_engine",
    "neuron_by_torch": "by_torch",
    "first_steps": "first_steps",
    "b_grad_by_step": "b_grad_by_step",
    "measured_costs": "{str(n): list(c) for n, c in measured_costs.items()}",
    "rule_edges": "{str(n): edges_of(n) for n in (4, 20, 100, 10_000, 1_000_000)}",
    "chain_grads": "chain_grads",
    "sigmoid_product": "sigmoid_product",
    "stepper_captions": (
        "[(lambda s, k: (setattr(s.children[0].children[0], 'value', k),"
        " s.children[0].children[1].value)[1])(backward_stepper(f), k) for k in (0, 7)]"
    ),
}


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("04-chain-rule", EXPRESSIONS)


def test_runs_without_errors_or_stderr(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []


def test_single_variable_chain_rule(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["chain_rule_slope"] == 20.0  # d/dx (2x + 3)^2 = 4(2x + 3) at x = 1
    assert v["slope_measured"] == pytest.approx(20.0, rel=1e-8)
    assert v["guess_outer_only"] == 10.0


def test_two_paths_add(run: ExecutedNotebook) -> None:
    assert run.values["dz_dt_paths"] == pytest.approx(run.values["dz_dt_measured"], rel=1e-8)


def test_worked_composition_forward_and_backward(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["f_val"] == 1024.0 and v["engine_f"] == 1024.0
    assert v["dv_db"] == -8.0  # dv/db = -2(a - b) with a = 4, b = 0
    for key in ("forward_grads", "backward_grads", "engine_grads"):
        assert v[key] == [-4096.0] * 4, key
    assert (v["adjoint_a"], v["adjoint_b"]) == (1024.0, 0.0)


def test_backward_accumulation_is_cheaper(run: ExecutedNotebook) -> None:
    assert run.values["n_ops_backward"] == 14
    assert run.values["n_ops_forward"] == 4 * 14


def test_cost_table_grows_its_edges_with_its_inputs(run: ExecutedNotebook) -> None:
    # The table once kept E = 14 edges for a million inputs: every input needs an edge, E >= n.
    for n, edges in run.values["rule_edges"].items():
        assert edges >= int(n)
    for n, (edges, forward, backward) in run.values["measured_costs"].items():
        assert edges == run.values["rule_edges"][n]  # the rule matches the counted graphs
        assert (forward, backward) == (int(n) * edges, edges)


def test_deep_chains_vanish_explode_or_stay(run: ExecutedNotebook) -> None:
    grads = run.values["chain_grads"]
    sigmoid, linear = grads["sigmoid, w = 1"], grads["linear, w = 1.2"]
    residual = grads["residual, x + 0.1 tanh(x)"]
    assert sigmoid[0] == pytest.approx(run.values["sigmoid_product"], rel=1e-9)
    assert sigmoid[0] < 0.25**40 and 1e-27 < sigmoid[0] < 1e-25  # "about 1e-26"
    assert linear[0] == pytest.approx(1.2**40, rel=1e-12)
    assert 1.0 < residual[0] < 1.1**40 and residual[0] < 10  # "of order 1"
    assert all(abs(a) >= abs(b) for a, b in zip(sigmoid[1:], sigmoid))  # shrinks layer by layer


def test_stepper_prose_follows_the_backward_pass(run: ExecutedNotebook) -> None:
    # f, u + v, v, a - b, u, a + b act first; b gets -512 through a - b, then +512 through a + b
    assert run.values["first_steps"] == ["f", "+", "v", "-", "u", "+", "b"]
    assert run.values["b_grad_by_step"][3:7] == [0.0, -512.0, -512.0, 0.0]


def test_stepper_caption_numbers_steps_like_the_prose(run: ExecutedNotebook) -> None:
    # "Step 0 only seeds f = 1"; the caption once said "Step 8" at slider 7.
    at_0, at_7 = run.values["stepper_captions"]
    assert at_0.startswith("Step 0 of") and "seed" in at_0
    assert at_7.startswith("Step 7 of")


def test_student_copy_runs_to_the_end_unanswered() -> None:
    nb, errors = run_student_copy("04-chain-rule")
    assert errors == []
    assert nb.cells[-1].outputs, "progress() at the end was not reached"


def test_neuron_by_hand_matches_engine_and_torch(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["neuron_by_hand"]["dL/dw"] == pytest.approx(-0.1781998981, abs=1e-9)
    for key in ("dL/dw", "dL/db"):
        assert v["neuron_by_engine"][key] == pytest.approx(v["neuron_by_hand"][key], abs=1e-12)
        assert v["neuron_by_torch"][key] == pytest.approx(v["neuron_by_hand"][key], abs=1e-12)


@pytest.mark.parametrize(
    "grade_id",
    [
        "q1-chain-expression-tests",
        "q2-local-partials-tests",
        "q3-backward-pass-tests",
        "q4-neuron-gradient-tests",
        "q5-two-layer-tests",
        "q6-deep-chain-tests",
    ],
)
def test_every_challenge_passes_with_the_solution(run: ExecutedNotebook, grade_id: str) -> None:
    assert "✓" in run.stdout_of(grade_id)


def test_every_try_it_has_an_answer_to_reveal() -> None:
    assert_every_try_it_has_an_answer("04-chain-rule")


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
