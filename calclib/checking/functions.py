"""Check a student's function against a reference on seeded sample points.

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from calclib.checking.authoring import CheckSetupError
from calclib.checking.calling import (
    reference_value,
    require_callable,
    shape_failure,
    student_value,
    why_undefined,
)
from calclib.checking.guard import judging
from calclib.checking.numbers import compare
from calclib.checking.registry import count_check
from calclib.checking.sampling import (
    Domain,
    Point,
    Sampling,
    argument_names,
    check_arity,
    point_text,
)
from calclib.checking.values import short

Function = Callable[..., Any]


def _wrong_values(
    misconceptions: Mapping[str, Function], points: list[Point]
) -> dict[str, np.ndarray]:
    """Each misconception's values at ``points``; one undefined anywhere is left out."""
    wrong = {}
    for label, func in misconceptions.items():
        values = [reference_value(func, p, f"misconceptions[{label!r}]") for p in points]
        if all(v is not None for v in values):
            wrong[label] = np.stack(values)  # type: ignore[arg-type]
    return wrong


def compare_functions(
    f: object, reference: Function, options: Sampling, misconceptions: Mapping[str, Function]
) -> None:
    """The work of :func:`check_function`, without counting a check (see its docstring).

    Examples
    --------
    >>> compare_functions(lambda t: t * t, lambda t: t**2, Sampling("f", (-1, 1)), {})

    Introduced in 01-limits.
    """
    if not callable(reference):
        raise CheckSetupError("reference", f"must be a function, got {short(reference)}")
    candidates = options.sample()
    check_arity(reference, len(candidates[0]), "reference")
    pairs = [(p, reference_value(reference, p)) for p in candidates]
    defined = [(p, v) for p, v in pairs if v is not None]
    if not defined:
        reason = why_undefined(reference, candidates[0])
        problem = f"gives no finite number at any sample point of {options.domain} ({reason})"
        raise CheckSetupError("reference", problem)
    student = require_callable(f, options.name)
    names = argument_names(reference, len(candidates[0]))
    gave: list[np.ndarray] = []
    expected: list[np.ndarray] = []
    failing: list[int] = []
    for point, want in defined:
        where = point_text(point, names)
        value = student_value(student, point, options.name, where)
        if value.shape != want.shape:
            if value.size != 1 or want.size != 1:
                raise shape_failure(options.name, where, value, want)
            value = value.reshape(want.shape)
        with np.errstate(all="ignore"):
            if not np.all(np.isclose(value, want, rtol=options.rtol, atol=options.atol)):
                failing.append(len(gave))
        gave.append(value)
        expected.append(want)
    if not failing:
        return
    first = failing[0]
    used = [p for p, _ in defined]
    where_lines = [("At", point_text(used[first], names))]
    if len(used) > 1:
        where_lines.append(("Failing inputs", f"{len(failing)} of {len(used)} sample points"))
    compare(
        gave[first],
        expected[first],
        name=options.name,
        rtol=options.rtol,
        atol=options.atol,
        hidden=options.hidden,
        wrong=_wrong_values(misconceptions, used),
        where=where_lines,
        evidence=(np.stack(gave), np.stack(expected)),
        reveal=True,
    )


def check_function(
    f: object,
    reference: Function,
    *,
    name: str = "your function",
    domain: Domain = (-2.0, 2.0),
    n_points: int = 12,
    points: Sequence[object] = (),
    seed: int = 0,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    spread: bool = False,
    hidden: bool = False,
    misconceptions: Mapping[str, Function] | None = None,
) -> None:
    """Check a student's function against ``reference`` on seeded sample points.

    Passes when ``|f(p) - reference(p)| <= atol + rtol * |reference(p)|`` at every sample
    point ``p`` where the reference is defined. The failure names the smallest failing input.
    A function that raises, returns ``None``, something that is not a number, or a value of
    the wrong shape gets a message saying so, with the input.

    Parameters
    ----------
    f : callable
        The student's function (``def`` or ``lambda``); called with one float per argument.
    reference : callable
        The right function, called the same way.
    name : str
        What is checked, e.g. ``"your f"``.
    domain : (low, high) or sequence of (low, high)
        Where points are drawn: one interval per argument.
    n_points : int
        How many random points (rounded to 3 decimals) to draw.
    points : sequence
        Extra points always tried (a number, or a tuple for several arguments).
    seed : int
        Seed of the random points.
    rtol, atol : float
        Relative and absolute tolerance.
    spread : bool
        Draw half of the points log-uniformly in size (from 1e-3 to the domain's bounds, both
        signs), so that an answer right only for inputs near 1 fails.
    hidden : bool
        A hidden check: the message does not show the expected value.
    misconceptions : mapping of str to callable, optional
        Label of a likely mistake → the wrong function it gives.

    Raises
    ------
    CheckFailure
        When ``f`` is missing, not callable, or differs from the reference somewhere.
    CheckSetupError
        When the test cell's own arguments are wrong (e.g. a reference defined nowhere).

    Examples
    --------
    >>> check_function(lambda x: x * x, lambda x: x**2)
    >>> check_function(lambda x: x**2, lambda x: x**2 + 1, name="f", points=[0.0])
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f is not right yet.
      At:              x = 0
      Failing inputs:  13 of 13 sample points
      You gave:        0.0
      Expected:        1.0 (within rtol=1e-06, atol=1e-09)

    Introduced in 01-limits.
    """
    count_check()
    with judging(name):
        options = Sampling(name, domain, n_points, tuple(points), seed, rtol, atol, hidden, spread)
        compare_functions(f, reference, options, dict(misconceptions or {}))
