"""The numbers 06-autograd states, read from its executed solution notebook."""

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
    "swell_ops": "[int(n) for n in swell_ops]",
    "digits_by_step": "[float(d) for d in digits_by_step]",
    "steps": "steps.tolist()",
    "autodiff_digits": "autodiff_digits",
    "dual_slope": "float(y_dual.tangent)",
    "exact": "exact",
    "jvp_columns": "np.asarray(jvp_columns, dtype=float).tolist()",
    "jvp_u": "[float(t) for t in jvp_u]",
    "J_u": "(J_exact @ u_dir).tolist()",
    "J_exact": "J_exact.tolist()",
    "forward_reverse_agreement": "agreement",
    "operations": "operations",
    "slopes": "slopes",
    "memory": "memory_by_mode",
    "vjp_torch": "vjp_torch.tolist()",
    "J_T_v": "(J_torch.T @ v_dir).tolist()",
    "grad_first": "grad_first.tolist()",
    "grad_accumulated": "grad_accumulated.tolist()",
    "grad_nonscalar": "grad_nonscalar.tolist()",
    "control_flow_ok": "control_flow_ok",
    "detach_ok": "detach_ok",
    "engine": "engine",
    "n_parameters": "len(model.parameters())",
    "initial_grad_diff": "initial_grad_diff",
    "engine_losses": "[float(v) for v in engine_losses]",
    "loss_curve_diff": "loss_curve_diff",
    "train_accuracy": "train_accuracy",
    "moon_axes": (
        "[fig_moons.axes[1].get_xlabel(), fig_moons.axes[1].get_ylabel(),"
        " [t.get_text() for t in fig_moons.axes[1].get_legend().get_texts()]]"
    ),
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
    assert v["autodiff_digits"] >= 14
    assert v["dual_slope"] == pytest.approx(v["exact"], rel=1e-13)


def test_central_differences_keep_about_two_thirds_of_the_digits(run: ExecutedNotebook) -> None:
    # 06 once said "about half of the digits are lost", against 02's "about two thirds survive".
    digits = dict(zip(v := run.values["steps"], run.values["digits_by_step"], strict=True))
    assert 9.5 < max(digits.values()) < 11.5  # two thirds of 16 at the best step
    assert digits[min(v, key=lambda h: abs(h - 1e-5))] < 8.5  # "fewer than 8" at h = 1e-5


def test_forward_mode_gives_jacobian_vector_products(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["jvp_u"] == pytest.approx(v["J_u"], rel=1e-14)
    for column, expected in zip(v["jvp_columns"], zip(*v["J_exact"], strict=True), strict=True):
        assert column == pytest.approx(list(expected), rel=1e-14)


def test_forward_and_reverse_mode_counted_in_operations(run: ExecutedNotebook) -> None:
    # Timings printed exponents 1.56 and 2.48 on one machine; counts give 2 and 1 on every machine.
    v = run.values
    assert v["forward_reverse_agreement"] < 1e-12
    assert v["slopes"]["forward (Dual)"] == pytest.approx(2.0, abs=1e-9)
    assert v["slopes"]["reverse (Value)"] == pytest.approx(1.0, abs=1e-9)
    sizes = [2, 4, 8, 16, 32, 64]
    assert v["operations"]["forward (Dual)"] == [3 * n * n for n in sizes]
    assert v["operations"]["reverse (Value)"] == [6 * n for n in sizes]


def test_reverse_mode_memory_grows_with_depth(run: ExecutedNotebook) -> None:
    memory = run.values["memory"]
    assert memory["reverse"] == pytest.approx([0.8, 1.6, 3.2, 6.4])  # 80 kB per tanh layer
    assert memory["no_grad"] == [0.0, 0.0, 0.0, 0.0]


def test_vector_jacobian_product(run: ExecutedNotebook) -> None:
    assert run.values["vjp_torch"] == pytest.approx(run.values["J_T_v"], rel=1e-14)


def test_torch_autograd_facts(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["grad_first"] == [0.0, 4.0, 8.0, 12.0]  # ∇ 2xᵀx = 4x
    assert v["grad_accumulated"] == [0.0, 8.0, 16.0, 24.0]  # accumulated, not zeroed
    assert v["grad_nonscalar"] == [0.0, 2.0, 4.0, 6.0]  # y.sum().backward() for y = x·x
    assert v["control_flow_ok"] and v["detach_ok"]


def test_capstone_on_the_students_engine_agrees_with_torch_and_learns(
    run: ExecutedNotebook,
) -> None:
    v = run.values
    assert v["engine"] == "Micro"  # the solution's own MLP, engine and topological sort
    assert v["n_parameters"] == 105  # 2-8-8-1
    assert v["initial_grad_diff"] < 1e-12
    assert v["loss_curve_diff"] < 1e-10
    assert v["engine_losses"][-1] < v["engine_losses"][0] / 5
    assert v["train_accuracy"] >= 0.9


def test_decision_boundary_has_axis_labels_and_a_colour_key(run: ExecutedNotebook) -> None:
    xlabel, ylabel, legend = run.values["moon_axes"]
    assert "x₁" in xlabel and "x₂" in ylabel
    assert {"network says +1", "network says −1"} <= set(legend)
    assert any("class +1" in t for t in legend) and any("class −1" in t for t in legend)


@pytest.mark.parametrize(
    "grade_id",
    [
        "q1-dual-operations-tests",
        "q2-engine-backward-tests",
        "q3-torch-gradient-tests",
        "q4-gradient-check-tests",
        "q5-topological-sort-tests",
        "q6-mlp-tests",
    ],
)
def test_every_challenge_passes_with_the_solution(run: ExecutedNotebook, grade_id: str) -> None:
    assert "✓" in run.stdout_of(grade_id)


def test_student_copy_runs_to_the_end_unanswered() -> None:
    """Run All on the released copy, nothing answered: fallbacks are named, the end is reached."""
    nb, errors = run_student_copy("06-autograd")
    assert errors == []
    printed = "".join(
        out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    assert "Challenge 2 does not pass yet" in printed
    assert "Challenges 2, 5 and 6 do not all pass yet" in printed
    assert nb.cells[-1].outputs, "progress() at the end was not reached"


def test_every_try_it_has_an_answer_to_reveal() -> None:
    assert_every_try_it_has_an_answer("06-autograd")


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
