"""Gradient checking: compare a hand-written gradient with central differences, component by
component, and report the result (:func:`gradient_report` returns a :class:`GradientReport`; it
raises only for arguments it cannot use, unlike the checks of :mod:`calclib.checking`, which
raise when an answer is wrong).

Introduced in 03-partial-derivatives.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calclib.finite_differences import as_coordinates, require_callable

SHOWN = 5  # components listed in the report


@dataclass(frozen=True)
class GradientReport:
    """Result of :func:`gradient_report`.

    Attributes
    ----------
    ok : bool
        True when every component's error is at most ``rtol``.
    max_error : float
        The largest component error.
    errors, grad, numeric : ndarray
        Per-component error, the gradient checked, and the central differences (shape of x).
    rtol : float
        The tolerance used.
    """

    x: NDArray[np.float64]
    grad: NDArray[np.float64]
    numeric: NDArray[np.float64]
    errors: NDArray[np.float64]
    rtol: float

    @property
    def ok(self) -> bool:
        return bool(np.all(self.errors <= self.rtol))

    @property
    def max_error(self) -> float:
        return float(self.errors.max())

    def worst(self, count: int = SHOWN) -> list[tuple[Any, float, float, float]]:
        """The ``count`` components with the largest error: (index, grad, numeric, error)."""
        order = np.argsort(-self.errors, axis=None, kind="stable")[:count]
        result = []
        for flat in order:
            index = np.unravel_index(flat, self.errors.shape)
            shown = int(index[0]) if len(index) == 1 else tuple(int(j) for j in index)
            result.append(
                (
                    shown,
                    float(self.grad[index]),
                    float(self.numeric[index]),
                    float(self.errors[index]),
                )
            )
        return result

    def __repr__(self) -> str:
        failed = int(np.sum(self.errors > self.rtol))
        if failed:
            head = f"gradient_report: FAILED, {failed} of {self.errors.size} components differ"
        else:
            head = "gradient_report: OK"
        lines = [
            f"{head} (largest error {self.max_error:.1e}, rtol {self.rtol:.0e})",
            f"{'index':>8}  {'grad':>22}  {'central difference':>22}  {'error':>8}",
        ]
        for index, given, numeric, error in self.worst():
            mark = "  <- wrong" if error > self.rtol else ""
            lines.append(f"{index!s:>8}  {given:>22.15g}  {numeric:>22.15g}  {error:>8.1e}{mark}")
        return "\n".join(lines)


def gradient_report(
    f: Callable[[Any], Any],
    grad: Callable[[Any], Any],
    x: object,
    rtol: float | None = None,
    atol: float = 0.0,
) -> GradientReport:
    """Check grad(x) against central differences of f, one component at a time.

    numeric_i = (f(x + h e_i) - f(x - h e_i)) / (2h),  h = eps^(1/3) * max(1, |x_i|)

    error_i = |grad_i - numeric_i| / max(|grad_i|, |numeric_i|, floor_i)

    The floor keeps exact zeros (a ReLU switched off) from failing on rounding noise: it is
    the larger of ``atol`` and 100 times the difference's rounding noise divided by ``rtol``,
    so noise alone never fails a check, while a wrong sign or a missing factor of 2 does.

    Parameters
    ----------
    f : callable
        Scalar function of an array x (a loss).
    grad : callable
        The gradient to check: grad(x) must return an array shaped like x.
    x : array_like
        The point. In float32 the check warns (RuntimeWarning): differences are then only
        good to about 1e-3, so the default rtol becomes 1e-2.
    rtol : float, optional
        Largest error that passes; default 1e-5 (float64), 1e-2 (float32).
    atol : float
        Smallest floor for the denominator, in units of the gradient.

    Returns
    -------
    GradientReport
        ``.ok``, ``.max_error``, per-component arrays; prints the worst components.

    Examples
    --------
    >>> f = lambda x: x[0] ** 2 * x[1]
    >>> gradient_report(f, lambda x: np.array([2 * x[0] * x[1], x[0] ** 2]), [1.0, 3.0]).ok
    True
    >>> gradient_report(f, lambda x: np.array([x[0] * x[1], x[0] ** 2]), [1.0, 3.0]).ok
    False

    Introduced in 03-partial-derivatives.
    """
    f, grad = require_callable(f), require_callable(grad, "grad")
    point = as_coordinates(x)
    float32 = np.asarray(x).dtype == np.float32
    dtype = np.float32 if float32 else np.float64
    start = point.astype(dtype)
    loss = f(start.copy())
    _scalar(loss, "f", start)
    given = np.asarray(grad(start.copy()))
    if given.dtype.kind not in "biuf":
        raise TypeError(f"grad must return an array of real numbers, got {given!r}")
    if given.shape != point.shape:
        raise ValueError(
            f"grad(x) must have the shape of x, {point.shape}, got shape {given.shape}"
        )
    float32 = float32 or given.dtype == np.float32 or np.asarray(loss).dtype == np.float32
    if float32:
        warnings.warn(
            "gradient_report in float32: central differences are only good to about 1e-3 "
            "there, so small gradient errors can hide; check in float64 "
            "(x.astype(np.float64)) for a meaningful result",
            RuntimeWarning,
            stacklevel=2,
        )
    tolerance = (1e-2 if float32 else 1e-5) if rtol is None else rtol
    if not tolerance > 0:
        raise ValueError(f"rtol must be a positive number, got {rtol!r}")
    eps = float(np.finfo(np.float32 if float32 else np.float64).eps)
    numeric, noise = _central_differences(f, start, eps)
    floor = np.maximum(atol, 100 * noise / tolerance)
    given = given.astype(np.float64)
    scale = np.maximum(np.maximum(np.abs(given), np.abs(numeric)), floor)
    errors = np.abs(given - numeric) / np.where(scale > 0, scale, 1.0)
    return GradientReport(point, given, numeric, errors, float(tolerance))


def _central_differences(
    f: Callable[[Any], Any], x: NDArray[Any], eps: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Central difference for each coordinate of x (step eps^(1/3)), and its rounding noise."""
    numeric, noise = np.empty(x.shape), np.empty(x.shape)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        step = eps ** (1 / 3) * max(1.0, abs(float(x[i])))
        up[i] += step
        down[i] -= step
        width = float(up[i]) - float(down[i])  # the step actually taken, after rounding
        above, below = _scalar(f(up), "f", up), _scalar(f(down), "f", down)
        numeric[i] = (above - below) / width
        noise[i] = eps * (abs(above) + abs(below)) / width
    return numeric, noise


def _scalar(value: Any, name: str, x: NDArray[Any]) -> float:
    """A real number returned by f, or a TypeError/ValueError saying what came back."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must return a real number, got {value!r} from {name}(x)")
    if arr.shape != ():
        raise ValueError(
            f"{name} must return a single number, got an array of shape {arr.shape} at x = {x!r}"
        )
    return float(arr)
