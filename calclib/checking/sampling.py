"""Where functions are compared: seeded sample points of a domain, and the shared options.

Introduced in 01-limits.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from calclib.checking.authoring import CheckSetupError, check_tolerances

Interval = tuple[float, float]
Domain = Interval | Sequence[Interval]
Point = tuple[float, ...]


@dataclass(frozen=True)
class Sampling:
    """The options every function check shares: what it is called, where and how strictly.

    Attributes
    ----------
    name : str
        What is checked, as messages say it.
    domain : (low, high) or sequence of (low, high)
        One interval per argument.
    n_points, seed : int
        How many seeded random points are drawn.
    points : tuple
        Extra points always tried.
    rtol, atol : float
        Relative and absolute tolerance (checked: finite, >= 0).
    hidden : bool
        A hidden check: messages do not show expected values.
    spread : bool
        Draw half of the points log-uniformly in size (see :func:`sample_points`).

    Examples
    --------
    >>> Sampling("f", (-1, 1), n_points=3).rtol
    1e-06

    Introduced in 01-limits.
    """

    name: str
    domain: Domain
    n_points: int = 12
    points: Sequence[object] = ()
    seed: int = 0
    rtol: float = 1e-6
    atol: float = 1e-9
    hidden: bool = False
    spread: bool = False

    def __post_init__(self) -> None:
        check_tolerances(self.rtol, self.atol)

    def sample(self) -> list[Point]:
        """The points to compare at (see :func:`sample_points`)."""
        return sample_points(self.domain, self.n_points, self.seed, self.points, self.spread)


def intervals(domain: Domain) -> list[Interval]:
    """One ``(low, high)`` interval per argument: ``(a, b)`` means a single argument.

    Raises
    ------
    CheckSetupError
        If ``domain`` is not one interval or a sequence of them, each with ``low < high``.

    Examples
    --------
    >>> intervals((-1, 1)), intervals([(0, 1), (2, 3)])
    ([(-1.0, 1.0)], [(0.0, 1.0), (2.0, 3.0)])

    Introduced in 01-limits.
    """
    usage = "give (low, high) for one argument, or [(low, high), ...] with one per argument"
    try:
        pairs: list[Any] = [domain] if np.ndim(domain[0]) == 0 else list(domain)
        bounds = [tuple(float(v) for v in pair) for pair in pairs]
    except (TypeError, ValueError, IndexError):
        raise CheckSetupError("domain", f"{usage}, got {domain!r}") from None
    for pair in bounds:
        if len(pair) != 2 or not pair[0] < pair[1]:
            raise CheckSetupError("domain", f"each interval needs low < high, got {pair}")
    return bounds  # type: ignore[return-value]


def sample_points(
    domain: Domain,
    n_points: int = 12,
    seed: int = 0,
    points: Sequence[object] = (),
    spread: bool = False,
) -> list[Point]:
    """``n_points`` seeded random points of ``domain`` (3 decimals) plus ``points``, smallest first.

    Points are sorted by their distance from the origin, so the first failing one reported is
    the smallest. With ``spread``, half of the points have coordinates whose size is
    log-uniform between 1e-3 and the interval's bound (with either sign the interval allows),
    kept to 4 significant digits: small, moderate and large inputs all occur.

    Raises
    ------
    CheckSetupError
        For a bad ``domain``, a negative ``n_points``, no points at all, or an extra point
        with another number of coordinates than the domain has intervals.

    Examples
    --------
    >>> sample_points((0, 1), n_points=3, seed=0, points=[2.0])
    [(0.041,), (0.27,), (0.637,), (2.0,)]

    Introduced in 01-limits.
    """
    bounds = np.array(intervals(domain))
    if not isinstance(n_points, (int, np.integer)) or n_points < 0:
        raise CheckSetupError("n_points", f"must be a whole number >= 0, got {n_points!r}")
    try:
        chosen = [tuple(float(v) for v in np.atleast_1d(np.asarray(p, float))) for p in points]
    except (TypeError, ValueError):
        raise CheckSetupError("points", f"must be numbers or tuples, got {points!r}") from None
    for point in chosen:
        if len(point) != len(bounds):
            problem = f"{point} has {len(point)} coordinates, the domain {len(bounds)} intervals"
            raise CheckSetupError("points", problem)
    if n_points + len(chosen) == 0:
        raise CheckSetupError("n_points", "is 0 and no points are given: nothing to check")
    rng = np.random.default_rng(seed)
    drawn = np.round(rng.uniform(bounds[:, 0], bounds[:, 1], size=(n_points, len(bounds))), 3)
    if spread:
        drawn[: n_points // 2] = _spread(rng, bounds, n_points // 2)
    unique = set(chosen) | {tuple(float(v) for v in row) for row in drawn}
    return sorted(unique, key=lambda p: (float(np.hypot.reduce(p)), p))


def _spread(rng: np.random.Generator, bounds: np.ndarray, n: int) -> np.ndarray:
    """``n`` points whose coordinates' sizes are log-uniform in each interval (4 digits)."""
    columns = []
    for low, high in bounds:
        top = max(abs(low), abs(high))
        bottom = min(1e-3, top / 10)
        if low > 0 or high < 0:  # one sign only: sizes between the two bounds
            bottom = min(abs(low), abs(high))
        sizes = np.exp(rng.uniform(np.log(bottom), np.log(top), size=n))
        signs = rng.choice([-1.0, 1.0], size=n)
        values = signs * sizes
        values = np.where((values < low) | (values > high), -values, values)
        values = np.clip(values, low, high)
        columns.append([float(f"{v:.4g}") for v in values])
    return np.array(columns, dtype=float).T.reshape(n, len(bounds))


def argument_names(func: Callable[..., Any], n_args: int) -> list[str]:
    """The parameter names of ``func`` if it has ``n_args`` of them, else x, y, z, ….

    Examples
    --------
    >>> argument_names(lambda t: t, 1), argument_names(print, 2)
    (['t'], ['x', 'y'])

    Introduced in 01-limits.
    """
    try:
        parameters = inspect.signature(func).parameters.values()
        names = [
            p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        names = []
    if len(names) == n_args:
        return names
    default = ["x", "y", "z", "w"]
    return default[:n_args] if n_args <= len(default) else [f"x{i + 1}" for i in range(n_args)]


def check_arity(func: Callable[..., Any], n_args: int, argument: str) -> None:
    """Require the test cell's ``func`` to take ``n_args`` arguments, one per domain interval.

    Functions without a readable signature (some builtins) are not checked.

    Examples
    --------
    >>> check_arity(lambda x, y: x * y, 2, "reference")
    >>> check_arity(lambda x: x, 2, "reference")
    Traceback (most recent call last):
    ...
    calclib.checking.authoring.CheckSetupError: Check setup error in `domain`: has 2 \
interval(s), one per argument, but `reference` takes (x).
    This is a mistake in the exercise's test cell, not in your answer: please tell your instructor.

    Introduced in 01-limits.
    """
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*[0.0] * n_args)
    except TypeError:
        problem = f"has {n_args} interval(s), one per argument, but `{argument}` takes {signature}"
        raise CheckSetupError("domain", problem) from None


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
