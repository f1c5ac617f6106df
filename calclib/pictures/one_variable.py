"""Pictures of one-variable derivatives (lessons 01–02) and the widgets that move them.

- secant and tangent (:func:`draw_secant`), the linear approximation (:func:`draw_tangent_line`),
  the sign of f′ (:func:`draw_function_and_derivative`);
- the error of a numeric derivative against the step h, the U-shaped log-log picture
  (:func:`draw_error_vs_h`). Forward differences have truncation error ≈ |f″(x)| h / 2, central
  differences ≈ |f‴(x)| h² / 6; both suffer round-off ≈ ε_mach |f(x)| / h (ε_mach is the machine
  epsilon of the dtype). Their sum is a U whose bottom is the best step: h* ≈ √(2ε_mach|f|/|f″|)
  forward, h* ≈ (3ε_mach|f|/|f‴|)^(1/3) central. The complex step Im f(x + ih) / h has no
  subtraction, so no round-off growth as h shrinks;
- the widgets (:func:`secant_widget`, :func:`tangent_widget`, :func:`error_vs_h_widget`), at most
  three controls each, redraw a ``draw_*`` function with
  :func:`calclib.pictures.figure_image.picture_box`; ``static_plot`` of the same function is the
  still counterpart, so a lesson reads the same where widgets do not run. Nothing here needs a
  display or blocks headless execution.

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import sympy as sp
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from calclib.pictures.figure_image import picture_box
from calclib.pictures.plotting import Numbers, NumericFunction, as_expression, numeric


def _derivatives(f: str | sp.Expr, order: int) -> list[NumericFunction]:
    """[f, f′, …, f⁽ᵒʳᵈᵉʳ⁾] as numpy functions of x."""
    expr = as_expression(f)
    return [numeric(sp.diff(expr, sp.Symbol("x"), k)) for k in range(order + 1)]


def _curve(ax: Axes, f: NumericFunction, xlim: tuple[float, float], label: str) -> None:
    """Plot f over xlim; fix the y-range to the curve so lines drawn through it do not rescale."""
    xs = np.linspace(*xlim, 400)
    with np.errstate(invalid="ignore", divide="ignore"):
        ys = f(xs).astype(float)
    pad = 0.15 * (np.nanmax(ys) - np.nanmin(ys) or 1.0)
    ax.plot(xs, ys, color="C0", lw=2, label=label)
    ax.set_ylim(np.nanmin(ys) - pad, np.nanmax(ys) + pad)
    ax.set_xlim(*xlim)
    ax.grid(alpha=0.3)


def _label(f: str | sp.Expr) -> str:
    return f"$f(x) = {sp.latex(as_expression(f))}$"


def draw_secant(
    fig: Figure, f: str | sp.Expr, x0: float, h: float, xlim: tuple[float, float] | None = None
) -> Numbers:
    """Draw f, the secant through (x0, f(x0)) and (x0 + h, f(x0 + h)), and the tangent at x0.

    The secant's slope is the difference quotient (f(x0 + h) − f(x0)) / h; as h → 0 it tends to
    the tangent's slope f′(x0).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw (a figure or subfigure).
    f : str or sympy.Expr
        The function, a formula in x.
    x0, h : float
        The point and the step (h ≠ 0; negative h looks from the left).
    xlim : (float, float), optional
        The x-range; by default 1.5 beyond both points.

    Returns
    -------
    dict
        ``h``, ``secant slope``, ``f′(x0)`` and their difference.

    Examples
    --------
    >>> n = draw_secant(Figure(), "3*x**2 - 4*x", 1.0, 0.5)
    >>> n["secant slope"], n["f′(x0)"]
    (3.5, 2.0)

    Introduced in 01-limits.
    """
    if h == 0:
        raise ValueError("h = 0 gives 0/0: choose a small nonzero h, e.g. 0.1 or -0.1")
    fx, dfx = _derivatives(f, 1)
    y0, y1 = float(fx(x0)), float(fx(x0 + h))
    slope, exact = (y1 - y0) / h, float(dfx(x0))
    lo, hi = xlim or (min(x0, x0 + h) - 1.5, max(x0, x0 + h) + 1.5)
    ax = fig.add_subplot()
    _curve(ax, fx, (lo, hi), _label(f))
    xs = np.array([lo, hi])
    ax.plot(xs, y0 + slope * (xs - x0), color="C1", label=f"secant, slope {slope:.6g}")
    ax.plot(xs, y0 + exact * (xs - x0), "k--", lw=1, label=f"tangent, slope {exact:.6g}")
    ax.plot([x0, x0 + h], [y0, y1], "o", color="C1")
    ax.set_xlabel("x")
    ax.legend(loc="best", fontsize=8)
    return {"h": h, "secant slope": slope, "f′(x0)": exact, "slope − f′(x0)": slope - exact}


def draw_tangent_line(
    fig: Figure, f: str | sp.Expr, x0: float, eps: float, xlim: tuple[float, float] | None = None
) -> Numbers:
    """Draw f, its tangent at x0, and the gap between f(x0 + ε) and f(x0) + ε f′(x0).

    The linear approximation f(x0 + ε) ≈ f(x0) + ε f′(x0) misses by about f″(x0) ε² / 2, so
    "error / ε²" settles near f″(x0) / 2 as ε → 0. Where there is nothing to compare, the numbers
    say why instead of showing inf or nan: f′(x0) does not exist (√x at 0, where the tangent is
    vertical), or x0 + ε lies outside the domain of f.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw.
    f : str or sympy.Expr
        The function, a formula in x.
    x0, eps : float
        The point of tangency and the step ε.
    xlim : (float, float), optional
        The x-range; by default x0 ± max(2, 1.5|ε|).

    Returns
    -------
    dict
        ``x0``, ``ε``, the true value, the linear approximation, their difference and
        difference / ε²; or ``x0``, ``ε`` and a ``why no error`` explanation.

    Examples
    --------
    >>> n = draw_tangent_line(Figure(), "x**2", 1.0, 0.1)
    >>> round(n["f(x0) + ε f′(x0)"], 12), round(n["error"], 12)
    (1.2, 0.01)
    >>> draw_tangent_line(Figure(), "sqrt(x)", 0.0, 0.5)["f′(x0)"]
    'does not exist (the tangent is vertical)'

    Introduced in 02-derivatives.
    """
    fx, dfx = _derivatives(f, 1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # outside the domain: nan
        y0, slope = float(fx(x0)), float(dfx(x0))
        true = float(fx(x0 + eps))
    reach = max(2.0, 1.5 * abs(eps))
    lo, hi = xlim or (x0 - reach, x0 + reach)
    ax = fig.add_subplot()
    _curve(ax, fx, (lo, hi), _label(f))
    ax.set_xlabel("x")
    if not np.isfinite(y0):
        ax.set_title(f"x0 = {x0:g} is outside the domain of f", fontsize=9)
        return {"x0": x0, "ε": eps, "f(x0)": "undefined: x0 is outside the domain of f"}
    ax.plot([x0], [y0], "ko")
    if not np.isfinite(slope):  # √x at 0: the secant slopes grow without bound
        ax.axvline(x0, color="k", ls="--", lw=1, label="vertical tangent")
        ax.set_title(f"f′({x0:g}) does not exist: no linear approximation here", fontsize=9)
        ax.legend(loc="best", fontsize=8)
        return {
            "x0": x0,
            "ε": eps,
            "f′(x0)": "does not exist (the tangent is vertical)",
            "why no error": "no tangent slope, so no f(x0) + ε f′(x0); move x0 to where f′ exists",
        }
    approx = y0 + eps * slope
    xs = np.array([lo, hi])
    ax.plot(xs, y0 + slope * (xs - x0), "k--", lw=1, label="tangent $f(x_0) + ε f'(x_0)$")
    numbers: Numbers = {"x0": x0, "ε": eps, "f′(x0)": slope}
    if not np.isfinite(true):
        ax.set_title(f"x0 + ε = {x0 + eps:g} is outside the domain of f", fontsize=9)
        ax.legend(loc="best", fontsize=8)
        numbers["why no error"] = f"f(x0 + ε) is undefined at x0 + ε = {x0 + eps:g}"
        return numbers
    ax.plot([x0 + eps] * 2, [approx, true], color="C3", lw=3, label="error")
    ax.legend(loc="best", fontsize=8)
    error = true - approx
    numbers |= {"f(x0 + ε)": true, "f(x0) + ε f′(x0)": approx, "error": error}
    numbers["error / ε²"] = error / eps**2 if eps else "undefined at ε = 0 (choose ε ≠ 0)"
    return numbers


def _critical_points(f: str | sp.Expr, xlim: tuple[float, float]) -> list[float]:
    """Zeros of f′ in xlim: exact (sympy) when it can solve, else sign changes on a fine grid."""
    x = sp.Symbol("x")
    zeros = sp.solveset(sp.diff(as_expression(f), x), x, sp.Interval(*xlim))
    if isinstance(zeros, sp.FiniteSet) and all(z.is_real for z in zeros):
        return sorted(float(z) for z in zeros)
    xs = np.linspace(*xlim, 2001)
    ds = _derivatives(f, 1)[1](xs).astype(float)
    i = np.nonzero(np.sign(ds[:-1]) * np.sign(ds[1:]) < 0)[0]
    return [float(c) for c in xs[i] - ds[i] * (xs[i + 1] - xs[i]) / (ds[i + 1] - ds[i])]


def draw_function_and_derivative(
    fig: Figure, f: str | sp.Expr, xlim: tuple[float, float] = (-3.0, 3.0)
) -> Numbers:
    """Draw f above f′, shaded green where f′ > 0 (f increases) and red where f′ < 0.

    Zeros of f′ are marked and named by how f′ changes sign there: + to − is a local maximum,
    − to + a local minimum, no change a flat point (such as x³ at 0).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw.
    f : str or sympy.Expr
        The function, a formula in x.
    xlim : (float, float)
        The x-range.

    Returns
    -------
    dict
        For each zero of f′, the value of f there, keyed by its x and kind.

    Examples
    --------
    >>> draw_function_and_derivative(Figure(), "x**3 - 3*x")
    {'f at x = -1 (local max)': 2.0, 'f at x = 1 (local min)': -2.0}

    Introduced in 02-derivatives.
    """
    fx, dfx = _derivatives(f, 1)
    ax_f, ax_d = fig.subplots(2, 1, sharex=True)
    _curve(ax_f, fx, xlim, _label(f))
    _curve(ax_d, dfx, xlim, "$f'(x)$")
    xs = np.linspace(*xlim, 400)
    ds = dfx(xs)
    for ax in (ax_f, ax_d):
        low, high = ax.get_ylim()
        ax.fill_between(xs, low, high, where=ds > 0, color="C2", alpha=0.12, label="$f' > 0$")
        ax.fill_between(xs, low, high, where=ds < 0, color="C3", alpha=0.12, label="$f' < 0$")
    ax_d.axhline(0, color="k", lw=0.8)
    numbers: Numbers = {}
    step = 1e-4 * (xlim[1] - xlim[0])
    for c in _critical_points(f, xlim):
        left, right = int(np.sign(dfx(c - step))), int(np.sign(dfx(c + step)))
        kind = {(1, -1): "local max", (-1, 1): "local min"}.get((left, right), "flat")
        ax_f.plot([c], [fx(c)], "ko")
        ax_d.plot([c], [0], "ko")
        numbers[f"f at x = {c:.4g} ({kind})"] = float(fx(c))
    ax_f.legend(loc="best", fontsize=8)
    ax_f.set_ylabel("$f(x)$")
    ax_d.set_ylabel("$f'(x)$")
    ax_d.set_xlabel("x")
    return numbers


STEPS = np.logspace(-16, 0, 161)
_NOT_ANALYTIC = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.floor, sp.ceiling)


def _approximations(f: sp.Expr, x0: float, h: np.ndarray, dtype: str) -> dict[str, np.ndarray]:
    """Forward, central and complex-step approximations of f′(x0), computed in ``dtype``."""
    real, complex_ = np.dtype(dtype), np.result_type(np.dtype(dtype), np.complex64)
    g = numeric(f)
    x, hs = real.type(x0), h.astype(real)
    out = {
        "forward": (g(x + hs) - g(x)) / hs,
        "central": (g(x + hs) - g(x - hs)) / (2 * hs),
    }
    z = np.empty(hs.shape, complex_)
    z.real, z.imag = x, hs
    out["complex step"] = np.imag(g(z)) / hs
    return out


def draw_error_vs_h(
    fig: Figure, f: str | sp.Expr, x0: float = 1.0, dtype: str = "float64", h: float | None = None
) -> Numbers:
    """Draw |approximation − f′(x0)| against h on log-log axes, with the error models.

    Solid lines are measured errors of the forward difference (f(x+h) − f(x)) / h and the central
    difference (f(x+h) − f(x−h)) / 2h, dashed the complex step Im f(x+ih) / h (exact zeros sit on
    the bottom edge). Dotted lines are the truncation models |f″| h / 2 and |f‴| h² / 6 and the
    round-off model ε_mach |f| / h, where ε_mach is the machine epsilon of ``dtype``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Where to draw.
    f : str or sympy.Expr
        A smooth function, a formula in x (no ``Abs``, ``sign`` ...).
    x0 : float
        Where to differentiate.
    dtype : {"float64", "float32"}
        The precision of every evaluation of f.
    h : float, optional
        A step to mark; the numbers then include each scheme's error at it.

    Returns
    -------
    dict
        Errors at ``h`` (if given), the measured best h of forward and central differences (on a
        grid of 161 steps from 1e-16 to 1) and the models' best h, √(2ε_mach|f|/|f″|) and
        (3ε_mach|f|/|f‴|)^(1/3).

    Examples
    --------
    >>> n = draw_error_vs_h(Figure(), "exp(x)", 1.0)
    >>> 1e-9 < n["best h, forward"] < 1e-7, 1e-6 < n["best h, central"] < 1e-4
    (True, True)

    Introduced in 02-derivatives.
    """
    if dtype not in ("float32", "float64"):
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    expr = as_expression(f)
    if expr.has(*_NOT_ANALYTIC):
        raise ValueError(
            f"{expr} has a kink or jump; the error models need a smooth f such as "
            "'exp(x)' or 'sin(x)'"
        )
    x = sp.Symbol("x")
    f0, d1, d2, d3 = (abs(float(sp.diff(expr, x, k).subs(x, x0))) for k in range(4))
    exact = float(sp.diff(expr, x).subs(x, x0))
    eps = float(np.finfo(dtype).eps)
    floor = 1e-3 * eps
    ax = fig.add_subplot()
    numbers: Numbers = {}
    errors = {
        k: np.abs(v.astype(float) - exact)
        for k, v in _approximations(expr, x0, STEPS, dtype).items()
    }
    for (name, err), color, style in zip(errors.items(), ("C0", "C1", "C2"), ("-", "-", "--")):
        ax.loglog(STEPS, np.maximum(err, floor), style, color=color, lw=2, label=name)
        if name != "complex step":
            numbers[f"best h, {name}"] = float(STEPS[np.argmin(err)])
    ax.loglog(STEPS, eps * f0 / STEPS, ":", color="gray", label="round-off ε_mach|f|/h")
    if d2:
        ax.loglog(STEPS, d2 * STEPS / 2, ":", color="C0", label="truncation |f″|h/2")
        numbers["model h*, forward"] = float(np.sqrt(2 * eps * f0 / d2))
    if d3:
        ax.loglog(STEPS, d3 * STEPS**2 / 6, ":", color="C1", label="truncation |f‴|h²/6")
        numbers["model h*, central"] = float(np.cbrt(3 * eps * f0 / d3))
    if h is not None:
        ax.axvline(h, color="k", lw=1)
        at_h = _approximations(expr, x0, np.array([h]), dtype)
        numbers = {
            "h": h,
            **{f"{k} error": abs(float(v[0]) - exact) for k, v in at_h.items()},
            **numbers,
        }
    ax.set_ylim(floor / 2, 10 * max(1.0, d1))
    ax.set_xlabel("step h")
    ax.set_ylabel(f"error of f′({x0:g}), {dtype}")
    ax.set_title(f"$f(x) = {sp.latex(expr)}$", fontsize=10)
    ax.grid(alpha=0.3, which="major")
    fig.legend(loc="outside lower center", fontsize=8, ncol=3)
    return numbers


def secant_widget(f: str | sp.Expr = "3*x**2 - 4*x", x0: float = 1.0) -> widgets.HBox:
    """Slide |h| towards 0 and watch the secant through x0 and x0 + h turn into the tangent.

    Controls: |h| (log scale, 10⁻⁴ to 2) and the side (h > 0 or h < 0). Still counterpart:
    ``static_plot(draw_secant, f, x0, h)``.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, a formula in x.
    x0 : float
        The point of tangency.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> secant_widget().children[1].children[-1].value.splitlines()[1]
    'secant slope = 5'

    Introduced in 01-limits.
    """
    size = widgets.FloatLogSlider(value=1.0, base=10, min=-4, max=0.3, step=0.05, description="|h|")
    side = widgets.ToggleButtons(options=[("h > 0", 1.0), ("h < 0", -1.0)], description="side")
    return picture_box(
        lambda fig, h, sign: draw_secant(fig, f, x0, sign * h), {"h": size, "sign": side}
    )


def tangent_widget(
    f: str | sp.Expr = "sin(x)", x0: float = 1.0, x_range: tuple[float, float] = (-3.0, 3.0)
) -> widgets.HBox:
    """Move x0 and ε: the tangent's value f(x0) + ε f′(x0) against the true f(x0 + ε).

    Controls: x0 and ε. Still counterpart: ``static_plot(draw_tangent_line, f, x0, eps)``.

    Parameters
    ----------
    f : str or sympy.Expr
        The function, a formula in x.
    x0 : float
        The starting point of tangency.
    x_range : (float, float)
        The x-range drawn, which is also the range of the x0 slider.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> tangent_widget("x**2").children[1].children[-1].value.splitlines()[-1]
    'error / ε² = 1</pre>'

    Introduced in 02-derivatives.
    """
    point = widgets.FloatSlider(
        value=x0, min=x_range[0], max=x_range[1], step=0.05, description="x0"
    )
    eps = widgets.FloatSlider(value=0.5, min=-1.5, max=1.5, step=0.01, description="ε")
    return picture_box(
        lambda fig, x0, eps: draw_tangent_line(fig, f, x0, eps, x_range), {"x0": point, "eps": eps}
    )


def error_vs_h_widget(
    functions: Sequence[str] = ("exp(x)", "sin(x)", "x**3", "log(1 + x**2)"), x0: float = 1.0
) -> widgets.HBox:
    """Pick f, the precision and a step h: the errors of forward, central and complex step.

    Controls: f, dtype (float64 or float32) and h (log scale, 10⁻¹⁶ to 1). Still counterpart:
    ``static_plot(draw_error_vs_h, f, x0, dtype, h)``.

    Parameters
    ----------
    functions : sequence of str
        Smooth functions to choose from, formulas in x.
    x0 : float
        Where to differentiate.

    Returns
    -------
    ipywidgets.HBox

    Examples
    --------
    >>> error_vs_h_widget().children[1].children[-1].value.splitlines()[0]
    '<pre>h = 0.001'

    Introduced in 02-derivatives.
    """
    controls = {
        "f": widgets.Dropdown(options=list(functions), description="f(x)"),
        "dtype": widgets.ToggleButtons(options=["float64", "float32"], description="dtype"),
        "h": widgets.FloatLogSlider(
            value=1e-3, base=10, min=-16, max=0, step=0.25, description="h", continuous_update=False
        ),
    }
    return picture_box(
        lambda fig, f, dtype, h: draw_error_vs_h(fig, f, x0, dtype, h), controls, height=4.2
    )
