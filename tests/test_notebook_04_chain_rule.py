"""The numbers 04-chain-rule states, read from its executed solution notebook."""

from __future__ import annotations

import pytest
from notebook_run import ExecutedNotebook, execute

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


def test_stepper_prose_follows_the_backward_pass(run: ExecutedNotebook) -> None:
    # f, u + v, v, a - b, u, a + b act first; b gets -512 through a - b, then +512 through a + b
    assert run.values["first_steps"] == ["f", "+", "v", "-", "u", "+", "b"]
    assert run.values["b_grad_by_step"][3:7] == [0.0, -512.0, -512.0, 0.0]


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
    ],
)
def test_every_challenge_passes_with_the_solution(run: ExecutedNotebook, grade_id: str) -> None:
    assert "✓" in run.stdout_of(grade_id)
