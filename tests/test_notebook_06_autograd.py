"""The numbers 06-autograd states, read from its executed solution notebook."""

from __future__ import annotations

import pytest
from notebook_run import ExecutedNotebook, execute

pytestmark = pytest.mark.slow

EXPRESSIONS = {
    "swell_ops": "[int(n) for n in swell_ops]",
    "autodiff_error": "autodiff_error",
    "numeric_error": "numeric_error",
    "dual_slope": "float(y_dual.tangent)",
    "exact": "exact",
    "forward_reverse_agreement": "agreement",
    "grad_first": "grad_first.tolist()",
    "grad_accumulated": "grad_accumulated.tolist()",
    "grad_nonscalar": "grad_nonscalar.tolist()",
    "control_flow_ok": "control_flow_ok",
    "detach_ok": "detach_ok",
    "n_parameters": "len(model.parameters())",
    "initial_grad_diff": "initial_grad_diff",
    "engine_losses": "[float(v) for v in engine_losses]",
    "loss_curve_diff": "loss_curve_diff",
    "train_accuracy": "train_accuracy",
}


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("06-autograd", EXPRESSIONS)


def test_runs_without_errors_or_stderr(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []


def test_three_ways_to_differentiate(run: ExecutedNotebook) -> None:
    v = run.values
    function_ops, derivative_ops = v["swell_ops"]
    assert derivative_ops > 3 * function_ops  # expression swell
    assert v["autodiff_error"] < 1e-12
    assert v["numeric_error"] > 1e-9  # central differences lose digits
    assert v["dual_slope"] == pytest.approx(v["exact"], rel=1e-13)


def test_forward_and_reverse_mode_agree(run: ExecutedNotebook) -> None:
    assert run.values["forward_reverse_agreement"] < 1e-12


def test_torch_autograd_facts(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["grad_first"] == [0.0, 4.0, 8.0, 12.0]  # ∇ 2xᵀx = 4x
    assert v["grad_accumulated"] == [0.0, 8.0, 16.0, 24.0]  # accumulated, not zeroed
    assert v["grad_nonscalar"] == [0.0, 2.0, 4.0, 6.0]  # y.sum().backward() for y = x·x
    assert v["control_flow_ok"] and v["detach_ok"]


def test_capstone_engine_and_torch_agree_and_learn(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["n_parameters"] == 337  # 2-16-16-1
    assert v["initial_grad_diff"] < 1e-12
    assert v["loss_curve_diff"] < 1e-10
    assert v["engine_losses"][-1] < v["engine_losses"][0] / 5
    assert v["train_accuracy"] >= 0.9


@pytest.mark.parametrize(
    "grade_id",
    [
        "q1-dual-operations-tests",
        "q2-engine-backward-tests",
        "q3-torch-gradient-tests",
        "q4-gradient-check-tests",
    ],
)
def test_every_challenge_passes_with_the_solution(run: ExecutedNotebook, grade_id: str) -> None:
    assert "✓" in run.stdout_of(grade_id)
