"""The numbers 05-gradient-descent states, read from its executed solution notebook."""

from __future__ import annotations

import pytest
from notebook_run import ExecutedNotebook, execute

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
}


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


def test_learning_rate_bound(run: ExecutedNotebook) -> None:
    assert run.values["largest_converging"] == pytest.approx(0.999)  # just below 2/L = 1
    assert run.values["bound_example"] == pytest.approx(2 / (3 + 2**0.5))


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
    ],
)
def test_every_challenge_passes_with_the_solution(run: ExecutedNotebook, grade_id: str) -> None:
    assert "✓" in run.stdout_of(grade_id)
