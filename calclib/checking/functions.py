"""Check a student's function against a reference on seeded sample points.

The points (:func:`sample_points`) are drawn from a domain with a seed, smallest first, so the
first failing input reported is the smallest. Each call into the student's code
(:func:`call_student`) is quiet (no warning reaches stderr) and has a time limit; whatever the
function does instead of returning a number (raise, return ``None``, text, a value of the wrong
shape) becomes a :class:`~calclib.checking.failures.CheckFailure` that says so, with the input.
The test cell's functions (references, misconceptions) may be undefined at a point (``None``);
any other error in them is a :class:`~calclib.checking.failures.CheckSetupError`.

Introduced in 01-limits.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from calclib.checking.challenge import count_check
from calclib.checking.failures import (
    CheckFailure,
    CheckSetupError,
    describe_error,
    from_student,
    judging,
    short,
    student_line,
)
from calclib.checking.numeric import compare
from calclib.checking.timeout import OutOfTime, time_limit
from calclib.checking.unanswered import NOT_ANSWERED, not_answered, placeholder_in, returns_print
from calclib.checking.values import as_array, check_tolerances, is_missing

STUDENT_SECONDS = 5.0  # the longest one call into a student's code may take
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
    calclib.checking.failures.CheckSetupError: Check setup error in `domain`: has 2 \
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


def quietly(func: Callable[..., Any], point: tuple[Any, ...]) -> Any:
    """Call ``func(*point)`` with numpy warnings and Python warnings silenced (no stderr).

    Examples
    --------
    >>> quietly(np.log, (0.0,))
    np.float64(-inf)

    Introduced in 01-limits.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return func(*point)


def reference_value(
    func: Callable[..., Any], point: tuple[Any, ...], argument: str = "reference"
) -> np.ndarray | None:
    """The test cell's ``func`` at ``point``, or ``None`` where it is undefined.

    Undefined: an arithmetic, value or type error, no number, nan or inf. Any other error
    (a name not defined, an attribute missing) is a bug in the test cell: a
    :class:`CheckSetupError` naming ``argument``.

    Examples
    --------
    >>> reference_value(np.log, (-1.0,)) is None, reference_value(np.exp, (0.0,))
    (True, array(1.))

    Introduced in 01-limits.
    """
    try:
        value = np.asarray(as_array(quietly(func, point)))
    except (ArithmeticError, ValueError, TypeError, CheckFailure):
        return None
    except Exception as exc:  # the test cell's own function is broken
        problem = f"raised {type(exc).__name__}: {exc} (with arguments {point})"
        raise CheckSetupError(argument, problem) from exc
    return value if np.all(np.isfinite(value)) else None


def why_undefined(func: Callable[..., Any], point: tuple[Any, ...]) -> str:
    """What ``func`` did at ``point`` instead of giving a finite number (for a setup error).

    Examples
    --------
    >>> why_undefined(lambda x: 1 / x, (0.0,))
    'ZeroDivisionError: float division by zero'

    Introduced in 01-limits.
    """
    try:
        value = quietly(func, point)
    except Exception as exc:  # noqa: BLE001 - only described
        return f"{type(exc).__name__}: {exc}"
    return f"it returned {short(value)}"


def student_function(f: object, name: str) -> Callable[..., Any]:
    """The student's function ``f``; a :class:`CheckFailure` for the student if it is not one.

    The library's own ``calclib.finite_differences.require_callable`` raises ``TypeError`` for a
    programmer; this one speaks to a student (and says "not answered yet" for ``None``).

    Examples
    --------
    >>> student_function(abs, "f")
    <built-in function abs>
    >>> student_function(3, "f")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f should be a function (a def or a lambda).
      You gave:  3 (of type int)

    Introduced in 01-limits.
    """
    if is_missing(f):
        raise not_answered(name, f)
    if not callable(f):
        raise CheckFailure(
            f"{name} should be a function (a def or a lambda).",
            [("You gave", f"{short(f)} (of type {type(f).__name__})")],
        )
    return f  # type: ignore[return-value]


def call_student(func: Callable[..., Any], point: tuple[Any, ...], name: str, where: str) -> Any:
    """``func(*point)`` within ``STUDENT_SECONDS``, quietly; any error a :class:`CheckFailure`.

    Every error the student's code raises becomes a failure that names it, the input and the
    student's own line: exceptions, ``SystemExit``, a ``KeyboardInterrupt`` it raises itself,
    and running out of time (an endless loop).

    Examples
    --------
    >>> call_student(lambda x: 1 / x, (0.0,), "f", "x = 0")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f raised ZeroDivisionError: float division by zero
      At:     x = 0
      Where:  in <lambda>: ...

    Introduced in 01-limits.
    """
    try:
        with time_limit(STUDENT_SECONDS):
            return quietly(func, point)
    except CheckFailure:
        raise
    except NotImplementedError:
        raise not_answered(name) from None
    except OutOfTime:
        raise CheckFailure(
            f"{name} did not finish within {STUDENT_SECONDS:g} s.",
            [
                ("At", where),
                ("Likely mistake", "a loop that never ends (a while condition that stays true?)"),
            ],
        ) from None
    except BaseException as exc:  # everything the student's code raises
        if not from_student(exc):
            raise
        failure = CheckFailure(f"{name} raised {describe_error(exc)}", [("At", where)])
        line = student_line(exc)
        if line:
            failure.add("Where", line)
        if isinstance(exc, SystemExit):
            failure.add("What to do", "exit() stops the whole program: return a value instead")
        raise failure from None


def _none_failure(func: Callable[..., Any], name: str, where: str) -> CheckFailure:
    """Why ``func`` returned None: not answered yet, print, or a missing return."""
    placeholder = placeholder_in(func)
    if placeholder:
        return CheckFailure(f"Not answered yet: {placeholder}.", [("What to do", NOT_ANSWERED)])
    if returns_print(func):
        mistake = "`return print(...)`: print shows a value but gives back None; return the value"
    else:
        mistake = "a missing `return`: without it a function gives None"
    return CheckFailure(f"{name} returned None.", [("At", where), ("Likely mistake", mistake)])


def student_value(
    func: Callable[..., Any], point: tuple[Any, ...], name: str, where: str
) -> np.ndarray:
    """The student's value at ``point``; a :class:`CheckFailure` that says why if there is none.

    ``where`` describes the point for the message, e.g. ``"x = 0"``.

    Examples
    --------
    >>> student_value(lambda x: x + 1, (1.0,), "f", "x = 1")
    array(2.)
    >>> student_value(lambda x: None, (1.0,), "f", "x = 1")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f returned None.
      At:              x = 1
      Likely mistake:  a missing `return`: without it a function gives None

    Introduced in 01-limits.
    """
    value = call_student(func, point, name, where)
    if value is None:
        raise _none_failure(func, name, where)
    try:
        with time_limit(STUDENT_SECONDS):
            return as_array(value, f"the value of {name}")
    except CheckFailure as failure:
        failure.details.insert(0, ("At", where))
        failure.args = (failure.message,)
        raise
    except OutOfTime:
        raise CheckFailure(
            f"The value of {name} took more than {STUDENT_SECONDS:g} s to read as a number.",
            [("At", where)],
        ) from None


def shape_failure(name: str, where: str, gave: np.ndarray, expected: np.ndarray) -> CheckFailure:
    """The failure for a value of the wrong shape at one point.

    Examples
    --------
    >>> print(shape_failure("f", "x = 1", np.zeros(2), np.array(1.0)))
    ✗ f returned a value of the wrong shape.
      At:        x = 1
      You gave:  [0. 0.] (shape (2,))
      Expected:  a single number

    Introduced in 01-limits.
    """
    wanted = "a single number" if expected.size == 1 else f"shape {expected.shape}"
    return CheckFailure(
        f"{name} returned a value of the wrong shape.",
        [("At", where), ("You gave", f"{short(gave)} (shape {gave.shape})"), ("Expected", wanted)],
    )


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
    student = student_function(f, options.name)
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
