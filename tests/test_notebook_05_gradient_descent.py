"""The numbers 05-gradient-descent states, read from its executed solution notebook."""

from __future__ import annotations

import itertools

import pytest
from notebook_run import (
    ExecutedNotebook,
    assert_every_try_it_has_an_answer,
    execute,
    run_student_copy,
)

pytestmark = pytest.mark.slow

EXPRESSIONS = {
    "steepest_name": "steepest_name",
    "iterates": "iterates",
    "x_step_20": "x_step_20",
    "ab_final": "ab_path[-1].tolist()",
    "ab_final_loss": "ab_final_loss",
    "ab_sums": "ab_path.sum(axis=1).tolist()",
    "line_lr_bound": "float(2 / lambda_max)",
    "largest_converging": "largest_converging",
    "bound_example": "bound_example",
    "fits": "{k: [float(m), float(b)] for k, (m, b) in fits.items()}",
    "torch_matches_gd": "torch_matches_gd",
    "final_losses": "{' | '.join(k): v for k, v in final_losses.items()}",
    "double_well_ends": "{str(k): v for k, v in ends.items()}",
    "lr_budget": "lr_budget",
    "eta_max": "float(eta_max)",
    "measured_example": "measured_example",
    "ab_axis_labels": "[fig_ab.axes[0].get_xlabel(), fig_ab.axes[0].get_ylabel()]",
    "batch_runs": (
        "{k: [float(v[1]), float(v[10]), float(v[-1]), float(v[-10:].mean()), float(v[:10].min())]"
        " for k, v in batch_runs.items()}"
    ),
    "all_positive": "{str(k): v for k, v in all_positive.items()}",
    "convexity_violations": "convexity_violations",
    "newton_errors": "{k: [float(e) for e in v] for k, v in newton_errors.items()}",
    "gd_errors": "{k: [float(e) for e in v] for k, v in gd_errors.items()}",
    "x_newton": "x_newton",
}


def test_student_copy_runs_to_the_end_unanswered() -> None:
    nb, errors = run_student_copy("05-gradient-descent")
    assert errors == []
    assert nb.cells[-1].outputs, "progress() at the end was not reached"


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("05-gradient-descent", EXPRESSIONS)


def test_runs_without_errors_or_stderr(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []


def test_negative_gradient_is_steepest(run: ExecutedNotebook) -> None:
    assert run.values["steepest_name"] == "-grad/|grad|"


def test_descent_on_x_squared(run: ExecutedNotebook) -> None:
    iterates = run.values["iterates"]
    assert iterates[:4] == pytest.approx([10.0, 8.0, 6.4, 5.12])
    assert run.values["x_step_20"] == pytest.approx(10 * 0.8**20, rel=1e-12)
    assert round(run.values["x_step_20"], 4) == 0.1153  # not the 0.107 of a copied printout


def test_descent_on_a_minus_b_squared(run: ExecutedNotebook) -> None:
    assert run.values["ab_final_loss"] < 1e-10
    assert run.values["ab_final"] == pytest.approx([1.0, 1.0], abs=1e-5)
    assert run.values["ab_sums"] == pytest.approx([2.0] * 31, abs=1e-12)  # a + b = 2 is kept


def test_learning_rate_bound_is_found_by_running_descent(run: ExecutedNotebook) -> None:
    # The bound was once "verified" by evaluating (1 - eta L)^n: now descent itself is run.
    assert run.values["largest_converging"] == pytest.approx(1.0, abs=1e-4)
    assert run.values["bound_example"] == pytest.approx(2 / (3 + 2**0.5))
    assert run.values["measured_example"] == pytest.approx(run.values["bound_example"], abs=1e-4)


def test_a_b_loss_is_drawn_with_axes_a_and_b(run: ExecutedNotebook) -> None:
    assert run.values["ab_axis_labels"] == ["a", "b"]


def test_noisy_data_need_a_decaying_rate(run: ExecutedNotebook) -> None:
    runs = run.values["batch_runs"]
    # each run: excess loss after epochs 1, 10 and 30, the mean of the last 10, the best of the first 10
    full, sgd = runs["full batch, η = 0.2"], runs["SGD, η = 0.02"]
    batch10 = runs["batches of 10, η = 0.02"]
    schedule = runs["batches of 10, η = 0.05/(1 + t/100)"]
    assert sgd[0] < full[0] / 100  # "hundreds of times closer after one epoch"
    assert sgd[3] > 3e-3 and sgd[3] > sgd[4]  # stalls: the noise does not average out
    assert 5 < sgd[3] / batch10[3] < 50  # "about ten times lower"
    assert schedule[3] < batch10[3] / 2 and schedule[2] < schedule[1] / 5  # keeps falling
    assert full[2] < full[1] < full[0]  # noiseless: steadily down


def test_saddle_heuristic_measurement(run: ExecutedNotebook) -> None:
    fractions = [run.values["all_positive"][str(d)] for d in range(1, 7)]
    assert fractions[0] == pytest.approx(0.5, abs=0.03)
    assert all(b <= a for a, b in itertools.pairwise(fractions)) and fractions[-1] < 0.005


def test_convexity_and_newton(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["convexity_violations"]["line-fit MSE in m"] == 0
    assert v["convexity_violations"]["double well g"] > 100
    assert v["newton_errors"]["bowl"][1] < 1e-12  # one step on a quadratic
    q = v["newton_errors"]["q"]
    assert q[3] < 0.05 and q[4] < 1e-3 and q[5] < 1e-7  # digits double
    assert q[4] < 0.5 * q[3] ** 2
    assert v["gd_errors"]["q"][-1] > 0.1 and v["gd_errors"]["bowl"][-1] > 2
    assert v["x_newton"] == pytest.approx(0.1699, abs=1e-4)  # a local maximum of the double well


def test_four_line_fits_agree(run: ExecutedNotebook) -> None:
    for name, (m, b) in run.values["fits"].items():
        assert m == pytest.approx(2.0, abs=1e-6), name
        assert b == pytest.approx(0.0, abs=1e-6), name
    assert run.values["torch_matches_gd"] < 1e-12
    assert 0.3 < run.values["line_lr_bound"] < 1.0  # the full-batch rate 0.3 is stable


def test_momentum_beats_plain_descent(run: ExecutedNotebook) -> None:
    losses = run.values["final_losses"]
    bowl_gd = losses["ill-conditioned bowl | GD η = 0.07"]
    assert losses["ill-conditioned bowl | momentum η = 0.03, β = 0.8"] < bowl_gd / 10
    rosen_gd = losses["Rosenbrock | GD η = 0.001"]
    assert losses["Rosenbrock | momentum η = 0.001, β = 0.9"] < rosen_gd / 100
    assert losses["Rosenbrock | Adam η = 0.05"] < rosen_gd / 2


def test_double_well_minima(run: ExecutedNotebook) -> None:
    ends = run.values["double_well_ends"]
    assert ends["-2.0"] == pytest.approx(-1.3008, abs=1e-4)
    assert ends["2.0"] == pytest.approx(1.1309, abs=1e-4)


def test_challenge_answers(run: ExecutedNotebook) -> None:
    assert run.values["eta_max"] == pytest.approx(0.25)
    assert 0.079 < run.values["lr_budget"] < 0.0925


@pytest.mark.parametrize(
    "grade_id",
    [
        "q1-gradient-descent-tests",
        "q2-learning-rate-tests",
        "q3-mse-gradient-tests",
        "q4-cubic-fit-tests",
        "q5-stable-bound-tests",
        "q6-newton-step-tests",
    ],
)
def test_every_challenge_passes_with_the_solution(run: ExecutedNotebook, grade_id: str) -> None:
    assert "✓" in run.stdout_of(grade_id)


def test_every_try_it_has_an_answer_to_reveal() -> None:
    assert_every_try_it_has_an_answer("05-gradient-descent")


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
