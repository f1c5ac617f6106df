"""Accuracy, cost and speed of calclib.derivative against scipy and numdifftools, side by side.

Ten smooth functions at five points each; the exact derivative comes from sympy, evaluated
with mpmath at 40 digits. Every tool gets the same numpy function and its default settings.
Per-call times are measured in interleaved rounds in one process (best of the rounds per case,
then the median over cases).

Run:  .venv/bin/python benchmarks/derivative_accuracy.py   (needs the [bench] extra)
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numdifftools
import numpy as np
import scipy.differentiate
import sympy as sp

from calclib import derivative

X = sp.Symbol("x")
SUITE = [  # (expression, points); no point is a zero of the derivative
    (sp.exp(X), [-2, -0.5, 0.3, 1, 3]),
    (sp.sin(X), [-2, -0.7, 0.5, 1.2, 3]),
    (X**3, [-2, -0.5, 0.3, 1.5, 4]),
    (sp.log(1 + X**2), [-2, -0.5, 0.3, 1, 3]),
    (sp.sqrt(X), [0.05, 0.3, 1, 2.5, 10]),
    (sp.tanh(X), [-2, -0.5, 0.3, 1, 2.5]),
    ((X**2 - 1) / (X**2 + X + 1), [-2, -0.5, 0.3, 1, 3]),
    (sp.exp(X) * sp.cos(X), [-2, -0.5, 0.3, 1.2, 3]),
    (sp.sin(sp.exp(X)), [-2, -0.5, 0.3, 1, 2]),
    (sp.tanh(20 * X), [-0.1, -0.03, 0.01, 0.05, 0.12]),
]
ROUNDS = 5
CALLS_PER_ROUND = 3


@dataclass(frozen=True)
class Case:
    name: str
    f: Callable[[object], object]
    x: float
    exact: float


@dataclass(frozen=True)
class Outcome:
    value: float
    error_estimate: float
    n_evals: int


def cases() -> list[Case]:
    """The suite, with exact derivatives from sympy (40 significant digits via mpmath)."""
    result = []
    for expr, points in SUITE:
        f = sp.lambdify(X, expr, "numpy")
        slope = sp.diff(expr, X)
        for point in points:
            exact = float(slope.subs(X, sp.Rational(str(point))).evalf(40))
            assert exact != 0, (expr, point)
            result.append(Case(str(expr), f, float(point), exact))
    return result


class Counted:
    """Wrap f to count evaluated points (vectorised tools pass several points per call)."""

    def __init__(self, f: Callable[[object], object]) -> None:
        self.f, self.points = f, 0

    def __call__(self, x: object) -> object:
        self.points += int(np.size(x))
        return self.f(x)


def run_calclib(f: Callable[[object], object], x: float) -> Outcome:
    result = derivative(f, x)
    return Outcome(result.value, result.error, result.n_evals)


def run_scipy(f: Callable[[object], object], x: float) -> Outcome:
    result = scipy.differentiate.derivative(f, x)
    return Outcome(float(result.df), float(result.error), int(result.nfev))


def run_numdifftools(f: Callable[[object], object], x: float) -> Outcome:
    counted = Counted(f)
    result = numdifftools.Derivative(counted, full_output=True)(x)
    return Outcome(float(result.estimate), float(result.error_estimate), counted.points)


TOOLS = {
    "calclib.derivative": run_calclib,
    "scipy.differentiate": run_scipy,
    "numdifftools": run_numdifftools,
}


def seconds_per_call(tool: Callable[..., Outcome], case: Case) -> float:
    start = time.perf_counter()
    for _ in range(CALLS_PER_ROUND):
        tool(case.f, case.x)
    return (time.perf_counter() - start) / CALLS_PER_ROUND


def main() -> None:
    suite = cases()
    names = list(TOOLS)
    outcomes = {name: [TOOLS[name](c.f, c.x) for c in suite] for name in names}
    times = {name: np.full(len(suite), np.inf) for name in names}
    for round_ in range(ROUNDS):  # interleaved, order rotated each round
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for i, case in enumerate(suite):
            for name in order:
                times[name][i] = min(times[name][i], seconds_per_call(TOOLS[name], case))

    exact = np.array([c.exact for c in suite])
    stats = {name: summarise(outcomes[name], exact, times[name]) for name in names}
    header = (
        f"{'tool':<20} {'median err':>10} {'worst err':>10} {'<=1e-12':>8} {'NaN':>4} "
        f"{'med evals':>9} {'max evals':>9} {'est>=err':>8} {'time/call':>10} {'ratio':>7}"
    )
    print(f"{len(suite)} cases ({len(SUITE)} functions x 5 points), relative errors\n")
    print(header)
    print("-" * len(header))
    for name, row in stats.items():
        ratio = row["time"] / stats[names[0]]["time"]
        print(
            f"{name:<20} {row['median']:>10.1e} {row['worst']:>10.1e} {row['share']:>8.0%} "
            f"{row['nan']:>4d} {row['median_evals']:>9.0f} {row['max_evals']:>9d} "
            f"{row['covered']:>8.0%} {row['time'] * 1e6:>8.0f}us {ratio:>6.1f}x"
        )
    print("\nworst err is over the finite results; ratio = time per call / calclib's.")
    print(
        f"scipy NaN at: {', '.join(f'{c.name} at {c.x}' for c, o in zip(suite, outcomes[names[1]]) if np.isnan(o.value)) or 'none'}"
    )
    ours, scipy_row = stats[names[0]], stats[names[1]]
    targets = [
        ("median error <= 1e-13", ours["median"] <= 1e-13),
        (">= 95% of errors <= 1e-12", ours["share"] >= 0.95),
        ("worst error <= 1e-10", ours["worst"] <= 1e-10),
        ("no NaN", ours["nan"] == 0),
        ("median evaluations <= 15", ours["median_evals"] <= 15),
        (">= 10x cheaper than scipy per call", scipy_row["time"] >= 10 * ours["time"]),
        ("error estimate >= true error in >= 95%", ours["covered"] >= 0.95),
    ]
    print(
        "\ncalclib targets: " + "; ".join(f"{t} {'met' if ok else 'MISSED'}" for t, ok in targets)
    )


def summarise(outcomes: list[Outcome], exact: np.ndarray, times: np.ndarray) -> dict:
    values = np.array([o.value for o in outcomes])
    rel = np.abs(values - exact) / np.abs(exact)
    return {
        "median": float(np.median(rel[np.isfinite(rel)])),
        "worst": float(np.max(rel[np.isfinite(rel)])),
        "share": float(np.mean(rel <= 1e-12)),
        "nan": int(np.sum(np.isnan(values))),
        "median_evals": float(np.median([o.n_evals for o in outcomes])),
        "max_evals": int(max(o.n_evals for o in outcomes)),
        "covered": float(np.mean([o.error_estimate for o in outcomes] >= np.abs(values - exact))),
        "time": float(np.median(times)),
    }


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the peers' nan at sqrt(negative)
        main()
