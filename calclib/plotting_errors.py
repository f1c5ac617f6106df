"""The error of a numeric derivative against the step h: the U-shaped log-log picture.

Forward differences have truncation error ≈ |f″(x)| h / 2, central differences ≈ |f‴(x)| h² / 6;
both suffer round-off ≈ ε_mach |f(x)| / h (ε_mach is the machine epsilon of the dtype). Their sum
is a U whose bottom is the best step: h* ≈ √(2ε_mach|f|/|f″|) forward, h* ≈ (3ε_mach|f|/|f‴|)^(1/3)
central. The complex step Im f(x + ih) / h has no subtraction, so no round-off growth as h
shrinks.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from calclib.plotting import Numbers, as_expression, numeric

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
