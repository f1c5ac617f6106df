"""The numbers 07-integrals-and-expectation states, read from its executed solution notebook."""

from __future__ import annotations

import math

import numpy as np
import pytest
from notebook_run import ExecutedNotebook, execute, run_student_copy

pytestmark = pytest.mark.slow

EXPRESSIONS = {
    "sums_of_squares": "{str(k): v for k, v in sums_of_squares.items()}",
    "riemann_factors": "riemann_factors[1:]",
    "ftc_rows": "ftc_rows",
    "ftc_checks": "ftc_checks",
    "trapezoid_errors": "trapezoid_errors",
    "simpson_errors": "simpson_errors",
    "error_numbers": "draw_integration_error(__import__('matplotlib.figure').figure.Figure())",
    "second_moment": "second_moment.value",
    "mc_spreads": "mc_spreads",
    "mc_slope": "mc_slope",
    "sigma_pi_sin": "sigma_pi_sin",
    "full_gradient": "float(full_gradient)",
    "batch": "{str(b): [float(g.mean()), float(g.std(ddof=1)), g.size]"
    " for b, g in batch_gradients.items()}",
    "exact_gradient": "exact_gradient",
    "by_integral": "float(by_integral)",
    "variances": "{f'{k[0]} {k[1]}': v for k, v in estimator_variances.items()}",
    "progress": "str(progress())",
}


@pytest.fixture(scope="module")
def run() -> ExecutedNotebook:
    return execute("07-integrals-and-expectation", EXPRESSIONS)


def test_runs_without_errors_or_stderr_and_every_challenge_passes(run: ExecutedNotebook) -> None:
    assert run.errors() == []
    assert run.stderr() == []
    assert run.values["progress"].startswith("8 of 8 challenges pass.")


def test_riemann_sums_bracket_the_area_and_converge_at_their_orders(run: ExecutedNotebook) -> None:
    sums = run.values["sums_of_squares"]
    for n, (left, right, middle) in sums.items():
        assert left < 1 / 3 < right  # x**2 increases on [0, 1]
        assert right == pytest.approx(1 / 3 + 1 / (2 * int(n)) + 1 / (6 * int(n) ** 2))
        assert abs(middle - 1 / 3) < abs(left - 1 / 3) / 10
    factors = np.array(run.values["riemann_factors"])
    assert factors[-1, 0] == pytest.approx(4, abs=0.05)  # left: first order (n grows fourfold)
    assert factors[:, 1] == pytest.approx([16] * len(factors), abs=0.01)  # midpoint: second


def test_both_halves_of_the_fundamental_theorem(run: ExecutedNotebook) -> None:
    for point, slope, cosine in run.values["ftc_rows"]:
        assert slope == pytest.approx(math.cos(point), abs=1e-12)
        assert cosine == math.cos(point)
    for antiderivative, by_theorem, numeric, estimate in run.values["ftc_checks"]:
        assert numeric == pytest.approx(by_theorem, rel=1e-12), antiderivative
        assert abs(numeric - by_theorem) <= estimate < 1e-8  # an honest, small error estimate
    assert run.values["ftc_checks"][0][0] == "x**3/3"


def test_trapezoid_is_second_order_and_simpson_fourth(run: ExecutedNotebook) -> None:
    trap, simp = np.array(run.values["trapezoid_errors"]), np.array(run.values["simpson_errors"])
    assert trap[:-1] / trap[1:] == pytest.approx([4, 4, 4], abs=0.01)
    assert simp[:-1] / simp[1:] == pytest.approx([16, 16, 16], abs=0.1)
    numbers = run.values["error_numbers"]
    assert numbers["order, left"] == pytest.approx(1, abs=0.05)
    assert numbers["order, trapezoid"] == pytest.approx(2, abs=0.05)
    assert numbers["order, Simpson"] == pytest.approx(4, abs=0.05)
    # the prose: Simpson reaches the round-off floor near n = 10**3, the trapezoid not before 10**6
    assert 300 <= numbers["best n, Simpson"] <= 10_000
    assert numbers["best n, trapezoid"] >= 500_000


def test_expectation_and_monte_carlo(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["second_moment"] == pytest.approx(4 / 3, abs=1e-12)
    assert v["mc_slope"] == pytest.approx(-0.5, abs=0.06)
    assert v["sigma_pi_sin"] == pytest.approx(0.967, abs=0.001)
    scaled = np.array(v["mc_spreads"]) * np.sqrt([100, 400, 1_600, 6_400, 25_600])
    assert scaled == pytest.approx(np.full(5, v["sigma_pi_sin"]), rel=0.15)


def test_mini_batch_gradients_are_unbiased_and_noisier_for_small_batches(run) -> None:
    v = run.values
    for mean, spread, count in v["batch"].values():
        assert abs(mean - v["full_gradient"]) < 2.5 * spread / math.sqrt(count)
    spread_10, spread_40 = v["batch"]["10"][1], v["batch"]["40"][1]
    assert 0.35 < spread_10 < 0.45 and 0.15 < spread_40 < 0.22  # "about 0.4 … or 0.2"
    assert 1.9 < spread_10 / spread_40 < 2.4  # like 1/sqrt(B), a bit faster without replacement


def test_gradient_estimators_and_their_variances(run: ExecutedNotebook) -> None:
    v = run.values
    assert v["by_integral"] == pytest.approx(v["exact_gradient"], abs=1e-8)
    var = v["variances"]
    assert var["0 score function"] == pytest.approx(0.33, abs=0.02)
    assert var["0 reparameterisation"] == pytest.approx(0.25, abs=0.02)
    assert var["2 score function"] == pytest.approx(4.4, abs=0.2)
    assert var["10 score function"] == pytest.approx(100, rel=0.05)
    assert var["10 reparameterisation"] == var["0 reparameterisation"]  # a constant has no slope


def test_run_all_of_the_unanswered_student_copy_reaches_the_end() -> None:
    release, errors = run_student_copy("07-integrals-and-expectation")
    assert errors == []
    shown = [
        o.get("text") or o.get("data", {}).get("text/plain", "") for o in release.cells[-1].outputs
    ]
    assert "".join(shown).startswith("0 of 8 challenges pass."), shown


def test_solution_passes_its_own_tests_as_nbgrader_validate_scores_them(
    run: ExecutedNotebook,
) -> None:
    """What `nbgrader validate` on the solution checked, read from the one run of the lesson."""
    assert run.failing_tests() == []
