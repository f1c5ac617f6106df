"""Finite-difference formulas for f'(x), and the input checks every derivative tool shares.

Each formula replaces the limit in f'(x) = lim_{h->0} (f(x + h) - f(x)) / h by one small step h.
Two errors compete: truncation (the formula is only exact as h -> 0) and rounding (f(x + h) and
f(x) agree in most of their digits, so their difference loses them). The default steps balance the
two. Steps are relative to |x|, h * max(1, |x|), and rounded so that x + h - x == h exactly.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

Point = float | NDArray[np.float64]

EPS = float(np.finfo(np.float64).eps)


def require_callable(f: object, name: str = "f") -> Callable[..., Any]:
    """Return f unchanged, or raise a TypeError saying it is not a function."""
    if not callable(f):
        raise TypeError(
            f"{name} must be a function such as math.sin or lambda x: x**2, "
            f"got {f!r} of type {type(f).__name__}"
        )
    return f


def as_point(x: object, name: str = "x") -> Point:
    """Return x as a float (a number) or a float64 array, rejecting text, complex and nan/inf."""
    if type(x) is float and math.isfinite(x):  # the common case, fast
        return x
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a real number or an array of them, got {x!r}") from exc
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a real number or an array of them, got {x!r} "
            f"of type {type(x).__name__}"
        )
    values = arr.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite, got {x!r}: pick a real point instead")
    return float(values) if values.ndim == 0 else values


def as_coordinates(x: object) -> NDArray[np.float64]:
    """Return x as a float64 array of at least one coordinate (a point of a function of several).

    Rejects what :func:`as_point` rejects, and a single number (with a pointer to
    ``derivative``) or an empty array.

    Examples
    --------
    >>> as_coordinates([1, 2])
    array([1., 2.])

    Introduced in 03-partial-derivatives.
    """
    point = as_point(x)
    if isinstance(point, float):
        raise TypeError(
            f"x must be an array of coordinates such as [1.0, 2.0], got the number {x!r}; "
            "for a function of one number use derivative"
        )
    if point.size == 0:
        raise ValueError("x must have at least one coordinate, got an empty array")
    return point


def evaluate(f: Callable[..., Any], x: Point) -> Point:
    """Call f(x) and check it returned real values of x's shape (a number for a number)."""
    y = f(x)
    if type(y) is float and isinstance(x, float):  # the common case, fast
        return y
    arr = np.asarray(y)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"f must return a real number, got {y!r} of type {type(y).__name__} from f({x!r})"
        )
    if arr.shape != np.shape(x) and arr.ndim > 0:
        raise ValueError(
            f"f must return one number per point: f(x) has shape {arr.shape} for x of "
            f"shape {np.shape(x)}; for a function with several outputs use jacobian"
        )
    if isinstance(x, float):
        return float(arr)
    return np.broadcast_to(arr, np.shape(x)).astype(np.float64)


def representable_step(x: Point, h: float) -> Point:
    """Return about h * max(1, |x|), rounded so that (x + step) - x == step exactly."""
    if not (isinstance(h, (int, float)) and math.isfinite(h) and h > 0):
        raise ValueError(f"the step h must be a positive finite number, got {h!r}")
    if isinstance(x, float):
        return (x + h * max(1.0, abs(x))) - x
    return (x + h * np.maximum(1.0, np.abs(x))) - x


def forward_difference(f: Callable[..., Any], x: object, h: float | None = None) -> Point:
    """Forward difference, first order: f'(x) ~ (f(x + h) - f(x)) / h, error O(h).

    Parameters
    ----------
    f : callable
        Function of one real variable (vectorised if ``x`` is an array).
    x : float or array_like
        Point(s) where the derivative is wanted.
    h : float, optional
        Relative step; the step used is ``h * max(1, |x|)``. Default ``sqrt(eps)`` ~ 1.5e-8,
        which balances the O(h) truncation error against rounding error eps/h.

    Returns
    -------
    float or ndarray
        The estimate of f'(x).

    Examples
    --------
    >>> round(forward_difference(lambda x: x**2, 3.0), 6)
    6.0

    Introduced in 02-derivatives.
    """
    f, x = require_callable(f), as_point(x)
    step = representable_step(x, math.sqrt(EPS) if h is None else h)
    return (evaluate(f, x + step) - evaluate(f, x)) / step


def backward_difference(f: Callable[..., Any], x: object, h: float | None = None) -> Point:
    """Backward difference, first order: f'(x) ~ (f(x) - f(x - h)) / h, error O(h).

    Same parameters and default step as :func:`forward_difference`; useful when f is only
    defined to the left of x.

    Examples
    --------
    >>> round(backward_difference(lambda x: x**2, 3.0), 6)
    6.0

    Introduced in 02-derivatives.
    """
    f, x = require_callable(f), as_point(x)
    step = representable_step(x, math.sqrt(EPS) if h is None else h)
    return (evaluate(f, x) - evaluate(f, x - step)) / step


def central_difference(f: Callable[..., Any], x: object, h: float | None = None) -> Point:
    """Central difference, second order: f'(x) ~ (f(x + h) - f(x - h)) / (2h), error O(h^2).

    The even-order error terms cancel between the two sides. Default relative step
    ``eps**(1/3)`` ~ 6e-6 balances the h^2 truncation against rounding eps/h.

    Examples
    --------
    >>> round(central_difference(math.sin, 0.0), 10)
    1.0

    Introduced in 02-derivatives.
    """
    f, x = require_callable(f), as_point(x)
    step = representable_step(x, EPS ** (1 / 3) if h is None else h)
    return (evaluate(f, x + step) - evaluate(f, x - step)) / (2 * step)


def five_point_difference(f: Callable[..., Any], x: object, h: float | None = None) -> Point:
    """Five-point stencil, fourth order, error O(h^4).

    f'(x) ~ (-f(x + 2h) + 8 f(x + h) - 8 f(x - h) + f(x - 2h)) / (12 h)

    Default relative step ``eps**(1/5)`` ~ 7e-4.

    Examples
    --------
    >>> round(five_point_difference(math.exp, 0.0), 12)
    1.0

    Introduced in 02-derivatives.
    """
    f, x = require_callable(f), as_point(x)
    step = representable_step(x, EPS ** (1 / 5) if h is None else h)
    near = evaluate(f, x + step) - evaluate(f, x - step)
    far = evaluate(f, x + 2 * step) - evaluate(f, x - 2 * step)
    return (8 * near - far) / (12 * step)


def complex_step(f: Callable[..., Any], x: object, h: float = 1e-20, check: bool = True) -> Point:
    """Complex-step derivative: f'(x) ~ Im f(x + ih) / h, exact to rounding for tiny h.

    For an analytic f, f(x + ih) = f(x) + ih f'(x) - h^2 f''(x) / 2 + ..., so the imaginary
    part divided by h is f'(x) with an O(h^2) error and no subtraction, hence no cancellation.
    It only works if f keeps the imaginary part all the way through. Traps: ``math.*``
    functions and comparisons (``x > 0``) reject complex numbers (TypeError raised here),
    ``abs``, ``.real`` and ``float()`` drop the imaginary part (a real result raises, a
    silently wrong one is caught by the check below and warned about).

    Parameters
    ----------
    f : callable
        Function built from complex-safe operations (``+ - * / **``, ``cmath``, ``numpy``).
    x : float or array_like
        Real point(s).
    h : float
        Relative imaginary step, default 1e-20.
    check : bool
        Compare with a central difference (two more evaluations) and warn with a
        RuntimeWarning if they disagree, which means f lost the imaginary part somewhere.

    Returns
    -------
    float or ndarray
        The estimate of f'(x).

    Examples
    --------
    >>> import cmath
    >>> complex_step(cmath.sin, 0.0)
    1.0

    Introduced in 02-derivatives.
    """
    f, x = require_callable(f), as_point(x)
    if not (isinstance(h, (int, float)) and math.isfinite(h) and h > 0):
        raise ValueError(f"the step h must be a positive finite number, got {h!r}")
    step = h * (max(1.0, abs(x)) if isinstance(x, float) else np.maximum(1.0, np.abs(x)))
    z = x + 1j * step
    try:
        y = f(z)
    except TypeError as exc:
        raise TypeError(
            f"complex_step: f cannot take the complex input {z!r} ({exc}). The trick needs "
            "complex-safe operations: use cmath.sin or np.sin instead of math.sin, and no "
            "abs() or comparisons like x > 0; or use central_difference instead."
        ) from exc
    if not np.iscomplexobj(y):
        raise TypeError(
            f"complex_step: f returned the real value {y!r} for the complex input {z!r}, so "
            "the imaginary part carrying the derivative was lost (abs(), .real, float() or "
            "math.* inside f). Use central_difference for this f."
        )
    slope = np.imag(y) / step
    slope = float(slope) if isinstance(x, float) else np.asarray(slope, dtype=np.float64)
    if check:
        _warn_if_inconsistent(f, x, slope)
    return slope


def _warn_if_inconsistent(f: Callable[..., Any], x: Point, slope: Point) -> None:
    """Warn if a complex-step slope disagrees with central differences beyond their accuracy.

    A mismatch that shrinks ~100-fold when the central step shrinks 10-fold is the central
    difference's own O(h^2) error (a steep f); one that stays means f lost the imaginary part.
    """
    step = representable_step(x, EPS ** (1 / 3))
    mismatch = np.zeros_like(slope)
    for shrink in (1, 10):
        above, below = np.real(f(x + step / shrink)), np.real(f(x - step / shrink))
        reference = (above - below) / (2 * step / shrink)
        rounding = 1e3 * EPS * np.maximum(np.abs(above), np.abs(below)) * shrink / step
        tolerance = 1e-6 * np.maximum(np.abs(slope), np.abs(reference)) + rounding
        tolerance = np.maximum(tolerance, mismatch / 20)
        mismatch = np.abs(slope - reference)
        if np.all(mismatch <= tolerance):
            return
    warnings.warn(
        f"complex_step gave {slope} but central differences give {reference} at x = {x}: "
        "f probably drops the imaginary part (abs(), .real, conjugate(), float()). "
        "Trust central_difference here, or pass check=False if f is complex-safe.",
        RuntimeWarning,
        stacklevel=3,
    )
