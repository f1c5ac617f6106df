"""derivative(f, x): f'(x) to near machine precision, with an error estimate.

Richardson extrapolation in Ridders' form. A central difference has an error series in even
powers of the step, D(h) = f'(x) + c1 h^2 + c2 h^4 + ..., so two differences at h and h/2 combine
into (4 D(h/2) - D(h)) / 3 where the h^2 term cancels; repeating the trick on the combinations
removes h^4, h^6, ... (Ridders' tableau). The steps stay large (about 0.05 |x|), so rounding
error stays small, and the tableau stops when its corrections reach the rounding noise.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from calclib.finite_differences import EPS, as_point, evaluate, require_callable

STEP_RATIO = 2.0  # each row of the tableau halves the step
MAX_ROWS = 10  # rows per pass before restarting from a smaller step
NOISE_FACTOR = 4.0  # corrections below this many times the rounding noise are noise
SAFETY = 2.0  # the error estimate is this many times the last tableau correction
ACCEPT = 1e-8  # a pass whose relative error estimate is above this restarts with smaller steps


@dataclass(frozen=True, slots=True)
class DerivativeResult:
    """An estimate of f'(x) (``value``), a bound on its error and the calls of f it cost.

    For an array of points each field is an array of the same shape.
    """

    value: Any
    error: Any
    n_evals: Any


class _Pass(NamedTuple):
    value: float
    error: float
    accepted: bool  # the error is at the rounding-noise floor or below ACCEPT relative
    n_evals: int
    rows: int
    next_step: float
    kink: float  # half the jump between one-sided slopes if x looks like a kink, else 0


def derivative(
    f: Callable[[float], Any], x: object, initial_step: float = 0.05
) -> DerivativeResult:
    """Estimate f'(x) by Richardson extrapolation of central differences, with its error.

    f'(x) = lim (D(h/2^k) extrapolated to h -> 0), D(h) = (f(x + h) - f(x - h)) / (2h),
    starting from h = initial_step * max(1, |x|) and halving.

    Near the edge of f's domain (f raises a domain error or returns nan, as sqrt or log do
    left of 0) the step shrinks until both sides are defined; at the edge itself the
    differences become one-sided. At a kink (``abs`` at 0) the one-sided slopes differ and
    the error estimate is half their difference, so it is never silently small. Rounding
    noise is taken to be float64's, or float32's if f returns float32 values.

    Parameters
    ----------
    f : callable
        Function of one real number, called with one float at a time.
    x : float or array_like
        Point(s); for an array, f'(x) is estimated at each point.
    initial_step : float
        First relative step; smaller steps are tried automatically when needed.

    Returns
    -------
    DerivativeResult
        ``value`` (the estimate), ``error`` (an estimate of |value - f'(x)|, usually an
        overestimate) and ``n_evals`` (calls of f); arrays of x's shape for an array x.

    Examples
    --------
    >>> import math
    >>> result = derivative(math.sin, 0.5)
    >>> abs(result.value - math.cos(0.5)) < 1e-14, result.error < 1e-12
    (True, True)
    >>> round(derivative(math.sqrt, 1e-4).value, 9)
    50.0
    >>> derivative(abs, 0.0)
    DerivativeResult(value=0.0, error=1.0, n_evals=9)

    Introduced in 02-derivatives.
    """
    f, point = require_callable(f), as_point(x)
    if not (isinstance(initial_step, (int, float)) and 0 < initial_step < math.inf):
        raise ValueError(f"initial_step must be a positive number, got {initial_step!r}")
    with np.errstate(all="ignore"):
        if isinstance(point, float):
            return _derivative_at(f, point, float(initial_step))
        results = [_derivative_at(f, float(p), float(initial_step)) for p in point.flat]
    shape = point.shape
    return DerivativeResult(
        np.reshape([r.value for r in results], shape),
        np.reshape([r.error for r in results], shape),
        np.reshape(np.array([r.n_evals for r in results], dtype=int), shape),
    )


def _derivative_at(f: Callable[[float], Any], x: float, initial_step: float) -> DerivativeResult:
    """Run extrapolation passes at one point until one is accurate or the budget is spent."""
    raw = f(x)
    fx = float(evaluate(lambda _: raw, x))  # checks the value f returned
    eps = EPS if type(raw) is float else _rounding_unit(raw)
    if not math.isfinite(fx):
        raise ValueError(f"f({x!r}) = {fx}: f is not defined there, so neither is f'({x!r})")

    def g(t: float) -> float:
        try:
            return float(f(t))
        except (ValueError, ArithmeticError):  # math.sqrt(-1.0), 1 / 0.0: outside the domain
            return math.nan

    scale = max(1.0, abs(x))
    step, direction, n_evals = initial_step * scale, 0, 1
    best = DerivativeResult(math.nan, math.inf, 0)
    kink_seen = False
    while n_evals < 200 and step > 1e-12 * scale:
        run = _ridders_pass(g, x, fx, step, direction, eps)
        n_evals += run.n_evals
        if run.rows == 0:  # f undefined at x + step or x - step: shrink, then go one-sided
            if step < 1e-6 * scale and direction == 0:
                direction = 1 if math.isfinite(g(x + step)) else -1
                step, n_evals = initial_step * scale, n_evals + 1
            else:
                step /= 8
            continue
        error = max(run.error, run.kink) if run.accepted else run.error
        if error < best.error or run.accepted:
            best = DerivativeResult(run.value, error, 0)
        if run.accepted and run.kink and not kink_seen:
            kink_seen, step = True, run.next_step / 64  # a true kink looks the same closer in
            continue
        if run.accepted:
            break
        step = run.next_step
    if math.isnan(best.value):
        raise ValueError(
            f"f is undefined on both sides of x = {x!r}: f(x + h) and f(x - h) were nan or "
            "raised for every step h tried, so f'(x) does not exist there"
        )
    return DerivativeResult(best.value, best.error, n_evals)


def _rounding_unit(value: Any) -> float:
    """Machine epsilon of the values f returns: float64's unless they are float32/float16."""
    dtype = np.asarray(value).dtype
    return float(np.finfo(dtype).eps) if dtype.kind == "f" and dtype.itemsize < 8 else EPS


def _ridders_pass(
    g: Callable[[float], float], x: float, fx: float, step: float, direction: int, eps: float
) -> _Pass:
    """One Ridders tableau from ``step`` down by STEP_RATIO; direction 0 central, +-1 one-sided.

    Row i holds D(step / 2^i) and its extrapolations; entry j cancels the error terms up to
    h^(2j) (central) or h^j (one-sided). The best entry is the one whose neighbours agree best.
    """
    factor = STEP_RATIO**2 if direction == 0 else STEP_RATIO
    prev: list[float] = []
    prev_noise: list[float] = []
    best, best_error, best_noise, size = math.nan, math.inf, math.inf, 0.0
    n_evals = rows = since_best = 0
    bends: list[float] = []
    bend_noise = 0.0
    for i in range(MAX_ROWS):
        h = (x + (direction or 1) * step) - x
        if h == 0:
            step = 0.0
            break
        if direction == 0:
            above, below = g(x + h), g(x - h)
            n_evals += 2
            if not (math.isfinite(above) and math.isfinite(below)):
                break
            first = (above - below) / (2 * h)
            noise = eps * (abs(above) + abs(below)) / (2 * h)
            bends.append((above - 2 * fx + below) / h)  # right slope minus left slope
            bend_noise = eps * (abs(above) + 2 * abs(fx) + abs(below)) / h
        else:
            above = g(x + h)
            n_evals += 1
            if not math.isfinite(above):
                break
            first, noise = (above - fx) / h, eps * (abs(above) + abs(fx)) / abs(h)
        rows += 1
        size = max(size, abs(first))
        row, row_noise = [first], [noise]
        improved = i == 0
        if i == 0:
            best, best_noise = first, noise
        weight = factor
        for j in range(1, i + 1):
            row.append((weight * row[j - 1] - prev[j - 1]) / (weight - 1))
            row_noise.append((weight * row_noise[j - 1] + prev_noise[j - 1]) / (weight - 1))
            weight *= factor
            error = max(abs(row[j] - row[j - 1]), abs(row[j] - prev[j - 1]))
            if error <= best_error:
                best, best_error, best_noise, improved = row[j], error, row_noise[j], True
        since_best = 0 if improved else since_best + 1
        step /= STEP_RATIO
        if best_error <= NOISE_FACTOR * best_noise or since_best >= 2:
            break
        prev, prev_noise = row, row_noise
    noise_floor = NOISE_FACTOR * best_noise
    error = max(SAFETY * best_error, noise_floor)
    # Accept when only rounding noise is left, or when the error is tiny next to the slopes
    # seen (so a slope of about 0 is judged against the size of f's differences, not 0).
    accepted = error == noise_floor or error <= ACCEPT * max(abs(best), size)
    kinked = len(bends) >= 2 and abs(bends[-1]) > max(0.75 * abs(bends[0]), 1e3 * bend_noise)
    kink = abs(bends[-1]) / 2 if kinked else 0.0
    return _Pass(best, error, accepted, n_evals, rows, step, kink)
