"""Derivatives of functions of several variables: partial, gradient, jacobian, hessian.

f takes one numpy array ``x`` (f(x) = x[0]**2 * x[1], say). Each partial derivative is an
ordinary derivative along one coordinate, so everything here is built on :func:`derivative`.

Introduced in 03-partial-derivatives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calclib.derivative import DerivativeResult, derivative
from calclib.finite_differences import as_coordinates, require_callable

Vector = NDArray[np.float64]


def partial(f: Callable[[Vector], Any], x: object, i: int | tuple[int, ...]) -> DerivativeResult:
    """Partial derivative of f with respect to x[i], with an error estimate.

    df/dx_i (x) = lim_{h -> 0} (f(x + h e_i) - f(x)) / h, where e_i is the i-th unit vector:
    move along coordinate i only, keep the others fixed.

    Parameters
    ----------
    f : callable
        Function of an array x returning one number.
    x : array_like
        The point, e.g. ``[1.0, 2.0]``.
    i : int or tuple of int
        Index of the coordinate (a tuple for a 2-d x).

    Returns
    -------
    DerivativeResult
        ``value``, ``error`` and ``n_evals`` as for :func:`derivative`.

    Examples
    --------
    >>> f = lambda x: x[0] ** 2 * x[1]
    >>> round(partial(f, [3.0, 2.0], 0).value, 10)  # 2 * x * y
    12.0

    Introduced in 03-partial-derivatives.
    """
    f, point = require_callable(f), as_coordinates(x)
    _scalar_output(f, point)
    try:
        start = point[i]
    except (IndexError, TypeError) as exc:
        raise IndexError(f"i = {i!r} is not an index of x, which has shape {point.shape}") from exc
    if np.ndim(start) != 0:
        raise IndexError(f"i = {i!r} must pick one coordinate of x (shape {point.shape})")

    def along(t: float) -> Any:
        moved = point.copy()
        moved[i] = t
        return f(moved)

    return derivative(along, float(start))


def gradient(f: Callable[[Vector], Any], x: object) -> Vector:
    """Gradient of a scalar function: the array of its partial derivatives.

    grad f(x) = (df/dx_0, df/dx_1, ..., df/dx_{n-1}), the direction of steepest ascent.

    Parameters
    ----------
    f : callable
        Function of an array x returning one number.
    x : array_like
        The point; the gradient has the same shape.

    Returns
    -------
    ndarray
        The gradient at x.

    Examples
    --------
    >>> gradient(lambda x: x[0] ** 2 + 3 * x[0] * x[1], [1.0, 2.0]).round(10)
    array([8., 3.])

    Introduced in 03-partial-derivatives.
    """
    f, point = require_callable(f), as_coordinates(x)
    _scalar_output(f, point)
    return jacobian(f, point)


def jacobian(f: Callable[[Vector], Any], x: object) -> Vector:
    """Jacobian matrix: J[k, i] = d f_k / d x_i, row k the gradient of output k.

    For f with output shape S and input shape T the result has shape S + T; a scalar f
    gives its gradient.

    Parameters
    ----------
    f : callable
        Function of an array x returning a number or an array of fixed shape.
    x : array_like
        The point.

    Returns
    -------
    ndarray
        The Jacobian at x.

    Examples
    --------
    >>> polar = lambda p: [p[0] * np.cos(p[1]), p[0] * np.sin(p[1])]
    >>> jacobian(polar, [2.0, 0.0]).round(10)
    array([[1., 0.],
           [0., 2.]])

    Introduced in 03-partial-derivatives.
    """
    f, point = require_callable(f), as_coordinates(x)
    out_shape = _output(f, point).shape
    result = np.empty(out_shape + point.shape)
    for i in np.ndindex(point.shape):
        result[(..., *i)] = _jacobian_column(f, point, i, out_shape)
    return result


def _jacobian_column(
    f: Callable[[Vector], Any], x: Vector, i: tuple[int, ...], out_shape: tuple[int, ...]
) -> Vector:
    """d f / d x_i for every output of f; one call of f at each step serves all outputs."""
    cache: dict[float, Vector] = {}
    changed: list[str] = []  # derivative() treats a ValueError as "outside the domain"

    def output_at(t: float) -> Vector:
        if t not in cache:
            moved = x.copy()
            moved[i] = t
            cache[t] = _output(f, moved)
            if cache[t].shape != out_shape:
                changed.append(
                    f"f returned shape {cache[t].shape} at x = {moved!r} but shape "
                    f"{out_shape} at the first point"
                )
                cache[t] = np.full(out_shape, np.nan)
        return cache[t]

    column = np.empty(out_shape)
    for k in np.ndindex(out_shape):

        def component(t: float, k: tuple[int, ...] = k) -> float:
            return float(output_at(t)[k])

        try:
            column[k] = derivative(component, float(x[i])).value
        except ValueError:
            if not changed:
                raise
        if changed:
            raise ValueError(changed[0])
    return column


def hessian(f: Callable[[Vector], Any], x: object) -> Vector:
    """Hessian matrix of second partial derivatives, H[i, j] = d^2 f / dx_i dx_j.

    Computed as the Jacobian of the gradient and symmetrised, (H + H^T) / 2, since the
    mixed partials of a smooth f are equal (Schwarz). Expect about 1e-9 relative accuracy.

    Parameters
    ----------
    f : callable
        Function of a 1-d array x returning one number.
    x : array_like
        The point, a 1-d array.

    Returns
    -------
    ndarray
        The n x n Hessian at x.

    Examples
    --------
    >>> hessian(lambda x: x[0] ** 2 * x[1], [1.0, 3.0]).round(8)
    array([[6., 2.],
           [2., 0.]])

    Introduced in 03-partial-derivatives.
    """
    f, point = require_callable(f), as_coordinates(x)
    if point.ndim != 1:
        raise ValueError(f"hessian needs a 1-d x, got shape {point.shape}; flatten x first")
    _scalar_output(f, point)
    matrix = jacobian(lambda y: gradient(f, y), point)
    return (matrix + matrix.T) / 2


def _output(f: Callable[[Vector], Any], x: Vector) -> Vector:
    """f(x) as a float array, checked to be real."""
    y = f(x.copy())
    try:
        value = np.asarray(y)
    except ValueError as exc:  # ragged lists
        raise ValueError(f"f must return a number or a regular array, got {y!r}") from exc
    if value.dtype.kind not in "biuf":
        raise TypeError(
            f"f must return real numbers, got {y!r} of type {type(y).__name__} from f({x!r})"
        )
    return value.astype(np.float64)


def _scalar_output(f: Callable[[Vector], Any], x: Vector) -> None:
    """Raise unless f(x) is one real number (a loss, an energy, a height)."""
    shape = _output(f, x).shape
    if shape != ():
        raise ValueError(
            f"f must return a single number, got an array of shape {shape} from f({x!r}); "
            "for a function with several outputs use jacobian"
        )
