"""Pictures and widgets of lesson 07: Riemann sums, the error of numeric integration, Monte Carlo.

Each picture is a ``draw_*(fig, ...)`` function that draws into a matplotlib figure and returns the
numbers it shows; :func:`calclib.pictures.plotting.static_plot` of it is its still version, and
each ``*_widget`` redraws it as its controls move (through
:func:`calclib.pictures.figure_image.picture_box`).
Functions are formulas in x (``"x**2"``, ``"sin(x)"``), so sympy supplies the exact integral that
errors are measured against.

Introduced in 07-integrals-and-expectation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon, Rectangle

from calclib.integrals import riemann_sum, simpson, trapezoid
from calclib.pictures.figure_image import picture_box
from calclib.pictures.plotting import Numbers, as_expression, numeric

SUM_RULES = ("left", "right", "midpoint", "trapezoid")


def exact_integral(f: str | sp.Expr, a: float, b: float) -> float:
    """∫_a^b f(x) dx from sympy (exactly, then to a float).

    Examples
    --------
    >>> exact_integral("x**2", 0.0, 1.0)
    0.3333333333333333

    Introduced in 07-integrals-and-expectation.
    """
    x = sp.Symbol("x")
    return float(sp.integrate(as_expression(f), (x, sp.nsimplify(a), sp.nsimplify(b))))


def draw_riemann_sum(
    fig: Figure, f: str | sp.Expr, a: float, b: float, n: int, rule: str = "left"
) -> Numbers:
    """Draw f over [a, b] and the n slices of a Riemann sum (or trapezoids), signed area shaded.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw.
    f : str or sympy.Expr
        The function, a formula in x.
    a, b : float
        The interval, a < b.
    n : int
        The number of slices.
    rule : {"left", "right", "midpoint", "trapezoid"}
        Where each rectangle takes its height, or straight tops (trapezoids).

    Returns
    -------
    dict
        ``n``, ``Δx``, the ``sum``, the ``exact area`` (sympy) and the ``error``.

    Examples
    --------
    >>> numbers = draw_riemann_sum(Figure(), "x**2", 0.0, 1.0, 4, "left")
    >>> numbers["sum"], round(numbers["error"], 6)
    (0.21875, -0.114583)

    Introduced in 07-integrals-and-expectation.
    """
    if rule not in SUM_RULES:
        raise ValueError(f"rule must be one of {', '.join(SUM_RULES)}, got {rule!r}")
    if not a < b:
        raise ValueError(f"draw the sum over an interval with a < b, got a = {a}, b = {b}")
    g = numeric(as_expression(f))
    if rule == "trapezoid":
        total = trapezoid(g, a, b, n)
    else:
        total = riemann_sum(g, a, b, n, rule)  # type: ignore[arg-type]
    exact = exact_integral(f, a, b)
    dx = (b - a) / n
    ax = fig.add_subplot()
    for i in range(n):
        left = a + i * dx
        shape: Patch
        if rule == "trapezoid":
            corners = [(left, 0.0), (left, float(g(left))), (left + dx, float(g(left + dx)))]
            shape = Polygon([*corners, (left + dx, 0.0)], closed=True)
        else:
            where = left + {"left": 0.0, "right": dx, "midpoint": dx / 2}[rule]
            height = float(g(where))
            shape = Rectangle((left, 0.0), dx, height)
            ax.plot(where, height, "o", color="C1", ms=3)
        shape.set(facecolor="C1", alpha=0.35, edgecolor="C1", lw=0.8)
        ax.add_patch(shape)
    xs = np.linspace(a, b, 400)
    ax.plot(xs, g(xs), color="C0", lw=2, label=f"$f(x) = {sp.latex(as_expression(f))}$")
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(f"{rule} sum, n = {n}: {total:.6g} (exact {exact:.6g})", fontsize=10)
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return {"n": n, "Δx": dx, "sum": total, "exact area": exact, "error": total - exact}


def integration_errors(
    f: str | sp.Expr, a: float, b: float, ns: Sequence[int]
) -> dict[str, np.ndarray]:
    """|rule - exact| for the left sum, midpoint sum, trapezoid and Simpson rules at each n.

    Examples
    --------
    >>> errors = integration_errors("exp(x)", 0.0, 1.0, [4, 8])
    >>> bool(errors["Simpson"][1] < errors["trapezoid"][1] < errors["left"][1])
    True

    Introduced in 07-integrals-and-expectation.
    """
    g = numeric(as_expression(f))
    exact = exact_integral(f, a, b)
    rules = {
        "left": lambda n: riemann_sum(g, a, b, n, "left"),
        "midpoint": lambda n: riemann_sum(g, a, b, n, "midpoint"),
        "trapezoid": lambda n: trapezoid(g, a, b, n),
        "Simpson": lambda n: simpson(g, a, b, n + n % 2),
    }
    return {name: np.array([abs(rule(n) - exact) for n in ns]) for name, rule in rules.items()}


ERROR_NS = np.unique(np.logspace(0.31, 6, 28).astype(int) // 2 * 2)


def draw_integration_error(
    fig: Figure, f: str | sp.Expr = "exp(x)", a: float = 0.0, b: float = 1.0
) -> Numbers:
    """Draw the error of four rules against n on log-log axes, with each rule's fitted order.

    The slope of log(error) against log(Δx) is the order of accuracy (fitted on n = 8 … 64,
    before round-off matters). Past the round-off floor, 10 ε_mach |∫f|, more slices buy nothing:
    the best n is the first n on a grid of even n from 2 to 10⁶ whose error is below the floor
    (10⁶ if none is), marked with a triangle; the floor is the dotted line.

    Returns
    -------
    dict
        ``order, <rule>`` and ``best n, <rule>`` for the trapezoid and Simpson rules, and the
        order of the left and midpoint sums.

    Examples
    --------
    >>> numbers = draw_integration_error(Figure(), "exp(x)", 0.0, 1.0)
    >>> round(numbers["order, trapezoid"]), round(numbers["order, Simpson"])
    (2, 4)

    Introduced in 07-integrals-and-expectation.
    """
    errors = integration_errors(f, a, b, list(ERROR_NS))
    fit = (ERROR_NS >= 8) & (ERROR_NS <= 64)
    floor = 1e-18
    round_off = 10 * float(np.finfo(float).eps) * abs(exact_integral(f, a, b))
    ax = fig.add_subplot()
    ax.axhline(round_off, color="gray", ls=":", lw=1, label="round-off floor")
    numbers: Numbers = {}
    for (name, err), color in zip(errors.items(), ("C0", "C1", "C2", "C3")):
        order = -float(np.polyfit(np.log(ERROR_NS[fit]), np.log(np.maximum(err[fit], floor)), 1)[0])
        ax.loglog(ERROR_NS, np.maximum(err, floor), "-", color=color, lw=2, label=f"{name}")
        numbers[f"order, {name}"] = round(order, 2)
        if name in ("trapezoid", "Simpson"):
            reached = np.flatnonzero(err <= round_off)
            at = int(reached[0]) if reached.size else len(ERROR_NS) - 1
            numbers[f"best n, {name}"] = int(ERROR_NS[at])
            ax.plot(ERROR_NS[at], max(float(err[at]), floor), "v", color=color, ms=8)
    ax.set_xlabel("number of slices n")
    ax.set_ylabel("|rule - exact|")
    ax.set_ylim(floor / 2, 10)
    ax.set_title(f"$\\int_{{{a:g}}}^{{{b:g}}} {sp.latex(as_expression(f))}\\,dx$", fontsize=10)
    ax.grid(alpha=0.3, which="major")
    fig.legend(loc="outside lower center", fontsize=8, ncol=4)
    return numbers


def draw_monte_carlo(fig: Figure, n_samples: int = 1000, seed: int = 0) -> Numbers:
    """Estimate ∫_0^π sin x dx = 2 as π · mean(sin X), X uniform on [0, π]: error against N.

    Left: the first samples and the running estimate. Right: |estimate - 2| against N for 20
    seeds (gray), the seed chosen (blue), and the standard error σ/√N (dashed), a line of
    slope -1/2 on log-log axes.

    Returns
    -------
    dict
        ``N``, the ``estimate``, its ``standard error`` (from the sample) and the ``error``.

    Examples
    --------
    >>> numbers = draw_monte_carlo(Figure(), 10_000, seed=1)
    >>> abs(numbers["error"]) < 3 * numbers["standard error"]
    True

    Introduced in 07-integrals-and-expectation.
    """
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"N must be a whole number >= 2, got {n_samples!r}")
    n_max = max(int(n_samples), 10)
    counts = np.arange(1, n_max + 1)
    shown_at = np.unique(np.logspace(0, math.log10(n_max), 120).astype(int)) - 1  # plotted points
    sigma = math.pi * math.sqrt(0.5 - 4 / math.pi**2)  # the spread of π sin X
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.4])
    for s in range(20):
        draws = math.pi * np.sin(np.random.default_rng(1000 + s).uniform(0, math.pi, n_max))
        running = np.cumsum(draws) / counts
        right.loglog(counts[shown_at], np.abs(running[shown_at] - 2), color="0.8", lw=0.6)
    draws = math.pi * np.sin(np.random.default_rng(seed).uniform(0, math.pi, n_max))
    running = np.cumsum(draws) / counts
    right.loglog(
        counts[shown_at], np.abs(running[shown_at] - 2), color="C0", lw=1.2, label=f"seed {seed}"
    )
    right.loglog(counts[shown_at], sigma / np.sqrt(counts[shown_at]), "k--", lw=1.2, label="σ/√N")
    right.axvline(n_samples, color="C1", lw=1)
    right.set_xlabel("samples N")
    right.set_ylabel("|estimate - 2|")
    right.set_ylim(1e-5, 10)
    right.legend(fontsize=8, loc="lower left")
    right.grid(alpha=0.3)
    xs = np.linspace(0, math.pi, 200)
    left.plot(xs, np.sin(xs), color="C0", lw=2)
    shown = np.random.default_rng(seed).uniform(0, math.pi, min(n_samples, 200))
    left.plot(shown, np.sin(shown), ".", color="C1", ms=3)
    estimate = float(running[n_samples - 1])
    left.axhline(estimate / math.pi, color="C1", lw=1, label="mean of sin")
    left.set_xlabel("x")
    left.set_ylabel("sin x")
    left.legend(fontsize=8, loc="lower center")
    sample = draws[:n_samples]
    return {
        "N": int(n_samples),
        "estimate": estimate,
        "standard error": float(np.std(sample, ddof=1) / math.sqrt(n_samples)),
        "error": estimate - 2.0,
    }


def riemann_widget(
    functions: Sequence[str] = ("x**2", "sin(x)", "exp(-x**2)", "x**3 - 2*x"),
    a: float = 0.0,
    b: float = 2.0,
) -> widgets.HBox:
    """Pick f, the rule and n: watch the slices fill the area and the error shrink.

    Controls: f, the rule (left, right, midpoint, trapezoid) and n (1 to 64). Still counterpart:
    ``static_plot(draw_riemann_sum, f, a, b, n, rule)``.

    Examples
    --------
    >>> riemann_widget().children[1].children[-1].value.splitlines()[0]
    '<pre>n = 4'

    Introduced in 07-integrals-and-expectation.
    """
    controls = {
        "f": widgets.Dropdown(options=list(functions), description="f(x)"),
        "rule": widgets.ToggleButtons(options=list(SUM_RULES), description="rule"),
        "n": widgets.IntSlider(value=4, min=1, max=64, description="n"),
    }
    return picture_box(
        lambda fig, f, rule, n: draw_riemann_sum(fig, f, a, b, n, rule), controls, height=3.4
    )


def monte_carlo_widget() -> widgets.HBox:
    """Slide N (log scale) and the seed: the Monte Carlo estimate of ∫_0^π sin and its error.

    Still counterpart: ``static_plot(draw_monte_carlo, n_samples, seed)``.

    Examples
    --------
    >>> monte_carlo_widget().children[1].children[-1].value.splitlines()[0]
    '<pre>N = 100'

    Introduced in 07-integrals-and-expectation.
    """
    controls = {
        "n_samples": widgets.SelectionSlider(
            options=[10, 30, 100, 300, 1000, 3000, 10_000], value=100, description="N"
        ),
        "seed": widgets.IntSlider(value=0, min=0, max=9, description="seed"),
    }
    return picture_box(draw_monte_carlo, controls, width=7.0, height=3.4)
