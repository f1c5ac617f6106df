"""Seeded sample points, and calling a student's function on them safely.

Introduced in 01-limits.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from calclib.checking.failures import CheckFailure, student_line
from calclib.checking.values import as_array, not_answered, short

Interval = tuple[float, float]
Domain = Interval | Sequence[Interval]
Point = tuple[float, ...]


def intervals(domain: Domain) -> list[Interval]:
    """One ``(low, high)`` interval per argument: ``(a, b)`` means a single argument.

    Examples
    --------
    >>> intervals((-1, 1)), intervals([(0, 1), (2, 3)])
    ([(-1.0, 1.0)], [(0.0, 1.0), (2.0, 3.0)])

    Introduced in 01-limits.
    """
    pairs: list[Any] = [domain] if np.ndim(domain[0]) == 0 else list(domain)
    result = []
    for pair in pairs:
        low, high = (float(v) for v in pair)
        if not low < high:
            raise ValueError(f"each interval of the domain needs low < high, got {pair}")
        result.append((low, high))
    return result


def sample_points(
    domain: Domain, n_points: int = 12, seed: int = 0, points: Sequence[object] = ()
) -> list[Point]:
    """``n_points`` seeded random points of ``domain`` (3 decimals) plus ``points``, smallest first.

    Points are sorted by their distance from the origin, so the first failing one reported is
    the smallest.

    Examples
    --------
    >>> sample_points((0, 1), n_points=3, seed=0, points=[2.0])
    [(0.041,), (0.27,), (0.637,), (2.0,)]

    Introduced in 01-limits.
    """
    bounds = np.array(intervals(domain))
    rng = np.random.default_rng(seed)
    drawn = np.round(rng.uniform(bounds[:, 0], bounds[:, 1], size=(n_points, len(bounds))), 3)
    chosen = [tuple(float(v) for v in np.atleast_1d(np.asarray(p, dtype=float))) for p in points]
    unique = set(chosen) | {tuple(float(v) for v in row) for row in drawn}
    return sorted(unique, key=lambda p: (float(np.hypot.reduce(p)), p))


def argument_names(func: Callable[..., Any], n_args: int) -> list[str]:
    """The parameter names of ``func`` if it has ``n_args`` of them, else x, y, z, ….

    Examples
    --------
    >>> argument_names(lambda t: t, 1), argument_names(print, 2)
    (['t'], ['x', 'y'])

    Introduced in 01-limits.
    """
    try:
        names = list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        names = []
    if len(names) == n_args:
        return names
    default = ["x", "y", "z", "w"]
    return default[:n_args] if n_args <= len(default) else [f"x{i + 1}" for i in range(n_args)]


def point_text(point: Point, names: Sequence[str]) -> str:
    """``"x = 0.5"`` or ``"(x, y) = (0.5, 1)"`` for a message.

    Examples
    --------
    >>> point_text((0.5,), ["x"]), point_text((0.5, 1.0), ["x", "y"])
    ('x = 0.5', '(x, y) = (0.5, 1)')

    Introduced in 01-limits.
    """
    values = [f"{v:.10g}" for v in point]
    if len(point) == 1:
        return f"{names[0]} = {values[0]}"
    return f"({', '.join(names)}) = ({', '.join(values)})"


def quietly(func: Callable[..., Any], point: tuple[Any, ...]) -> Any:
    """Call ``func(*point)`` with numpy warnings and Python warnings silenced (no stderr)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return func(*point)


def reference_value(func: Callable[..., Any], point: tuple[Any, ...]) -> np.ndarray | None:
    """The reference's value at ``point``, or ``None`` where it is undefined (error, nan, inf)."""
    try:
        value = np.asarray(as_array(quietly(func, point)))
    except (ArithmeticError, ValueError, TypeError, CheckFailure):
        return None
    return value if np.all(np.isfinite(value)) else None


def student_value(
    func: Callable[..., Any], point: tuple[Any, ...], name: str, where: str
) -> np.ndarray:
    """The student's value at ``point``; a :class:`CheckFailure` that says why if there is none.

    Introduced in 01-limits.
    """
    try:
        value = quietly(func, point)
    except NotImplementedError:
        raise not_answered(name) from None
    except Exception as exc:  # any error in student code is reported
        failure = CheckFailure(f"{name} raised {type(exc).__name__}: {exc}", [("At", where)])
        line = student_line(exc)
        if line:
            failure.add("Where", line)
        raise failure from exc
    if value is None:
        raise CheckFailure(
            f"{name} returned None.",
            [
                ("At", where),
                ("Likely mistake", "a missing `return`: without it a function gives None"),
            ],
        )
    try:
        return as_array(value, f"the value of {name}")
    except CheckFailure as failure:
        failure.details.insert(0, ("At", where))
        raise


def shape_failure(name: str, where: str, gave: np.ndarray, expected: np.ndarray) -> CheckFailure:
    """The failure for a value of the wrong shape at one point."""
    wanted = "a single number" if expected.size == 1 else f"shape {expected.shape}"
    return CheckFailure(
        f"{name} returned a value of the wrong shape.",
        [("At", where), ("You gave", f"{short(gave)} (shape {gave.shape})"), ("Expected", wanted)],
    )
