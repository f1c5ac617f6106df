"""Accuracy, cost and speed of calclib.integrate against scipy.integrate.quad, side by side.

Ten integrands on finite intervals (smooth, peaked, oscillating, with a kink and with an infinite
slope at an end); the exact values come from sympy, evaluated at 30 digits. Both tools get the
same Python function of one float, and each is run with its own default tolerances; calclib is run
a second time with quad's defaults (absolute and relative 1.49e-8), the fair match in accuracy
asked. Calls of the function are counted; times are the median of interleaved rounds per case
(the tools take turns within each round), then the median over cases, and the ratio is to
quad's time.

Run:  .venv/bin/python benchmarks/integration_accuracy.py   (needs the [bench] extra)
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import scipy.integrate
import sympy as sp

from calclib import integrate

X = sp.Symbol("x", real=True)
SUITE = [  # (integrand, a, b)
    (sp.exp(X), 0, 1),
    (sp.sin(X), 0, sp.pi),
    (1 / (1 + 25 * X**2), -1, 1),
    (sp.sqrt(X), 0, 1),
    (sp.exp(-(X**2)), -5, 5),
    (sp.Abs(X - sp.Rational(3, 10)), 0, 1),
    (sp.sin(30 * X) ** 2, 0, 1),
    (sp.log(1 + X), 0, 1),
    (X**10, 0, 1),
    (1 / (1 + X**4), 0, 2),
]
ROUNDS = 7
QUAD_TOL = 1.49e-8  # scipy.integrate.quad's default epsabs and epsrel


@dataclass(frozen=True)
class Case:
    name: str
    f: Callable[[float], float]
    a: float
    b: float
    exact: float


@dataclass(frozen=True)
class Outcome:
    value: float
    error_estimate: float
    n_evals: int


def cases() -> list[Case]:
    """The suite, each with its exact integral from sympy (30 significant digits)."""
    result = []
    for expr, a, b in SUITE:
        exact = sp.integrate(expr, (X, a, b))
        result.append(
            Case(
                f"{expr} on [{a}, {float(b):.4g}]",
                sp.lambdify(X, expr, "math"),
                float(a),
                float(b),
                float(sp.N(exact, 30)),
            )
        )
    return result


def counted(f: Callable[[float], float]) -> tuple[Callable[[float], float], list[int]]:
    """f, and a one-element list counting its calls."""
    calls = [0]

    def g(t: float) -> float:
        calls[0] += 1
        return f(t)

    return g, calls


def run_calclib(case: Case, tol: float | None = None) -> Outcome:
    g, calls = counted(case.f)
    tolerances = {} if tol is None else {"atol": tol, "rtol": tol}
    result = integrate(g, case.a, case.b, **tolerances)
    return Outcome(result.value, result.error, calls[0])


def run_quad(case: Case) -> Outcome:
    g, calls = counted(case.f)
    value, error = scipy.integrate.quad(g, case.a, case.b)
    return Outcome(value, error, calls[0])


TOOLS: dict[str, Callable[[Case], Outcome]] = {
    "calclib.integrate": run_calclib,
    "calclib, quad's tol": lambda case: run_calclib(case, QUAD_TOL),
    "scipy quad": run_quad,
}


def seconds_per_call(tool: Callable[[Case], Outcome], case: Case) -> float:
    start = time.perf_counter()
    tool(case)
    return time.perf_counter() - start


def main() -> None:
    suite = cases()
    outcomes = {name: [tool(case) for case in suite] for name, tool in TOOLS.items()}
    times: dict[str, list[list[float]]] = {name: [[] for _ in suite] for name in TOOLS}
    for _ in range(ROUNDS):  # interleaved: the tools take turns on each case in every round
        for i, case in enumerate(suite):
            for name, tool in TOOLS.items():
                times[name][i].append(seconds_per_call(tool, case))
    median_time = {
        name: statistics.median(statistics.median(per_case) for per_case in cases_times)
        for name, cases_times in times.items()
    }
    header = (
        f"{'tool':<20} {'median err':>10} {'worst err':>9} {'<=1e-12':>7} {'med calls':>9} "
        f"{'max calls':>9} {'est>=err':>8} {'time/call':>9} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, results in outcomes.items():
        errors = [
            abs(r.value - c.exact) / max(abs(c.exact), 1e-300) for r, c in zip(results, suite)
        ]
        honest = [r.error_estimate >= abs(r.value - c.exact) for r, c in zip(results, suite)]
        calls = [r.n_evals for r in results]
        print(
            f"{name:<20} {statistics.median(errors):>10.1e} {max(errors):>9.1e} "
            f"{sum(e <= 1e-12 for e in errors) / len(errors):>7.0%} "
            f"{statistics.median(calls):>9.0f} {max(calls):>9d} "
            f"{sum(honest) / len(honest):>8.0%} {median_time[name] * 1e6:>7.0f}us "
            f"{median_time[name] / median_time['scipy quad']:>6.1f}x"
        )
    print("\nper integrand, relative error (calls):")
    for i, case in enumerate(suite):
        row = "  ".join(
            f"{abs(outcomes[n][i].value - case.exact) / abs(case.exact):8.1e} "
            f"({outcomes[n][i].n_evals:>4})"
            for n in TOOLS
        )
        print(f"  {case.name:<34} {row}")
    worst = max(
        (abs(r.value - c.exact) for r, c in zip(outcomes["calclib.integrate"], suite)),
        default=math.nan,
    )
    print(f"\ncalclib.integrate's worst absolute error: {worst:.1e}")


if __name__ == "__main__":
    main()
