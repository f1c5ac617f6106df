"""Check a numeric answer: a number or an array close to the expected one, or a number in a range.

A value passes :func:`check_number` and :func:`check_array` when
``|gave - expected| <= atol + rtol * |expected|`` entry by entry (``numpy.isclose``). Shapes must
agree (a single number may come as a 0-d array, a one-element list or a one-element tensor).
:func:`check_between` and :func:`check_less` check a number that must only lie in a range: a
loss below a threshold, a learning rate in a window.

Introduced in 01-limits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from calclib.checking.challenge import count_check
from calclib.checking.failures import CheckFailure, CheckSetupError, authored, judging, short
from calclib.checking.formulas import proven_equal, to_expr
from calclib.checking.misconceptions import (
    DIVERGED,
    DIVERGED_AT,
    SIGN_ERROR,
    diverged,
    name_mistake,
    why_nan,
)
from calclib.checking.unanswered import not_answered
from calclib.checking.values import (
    as_array,
    check_tolerances,
    is_missing,
    is_real_number,
    reference_array,
)

EXACT_RTOL = 4 * float(np.finfo(float).eps)  # a float this close to an exact value is it
EXACT_WHAT_TO_DO = (
    "give the exact value, not digits read off a table or rounded: a fraction such as 2/3 "
    '(or Fraction(2, 3), or the text "2/3"), or a formula such as sqrt(2)/2'
)


def tolerance_text(rtol: float, atol: float) -> str:
    """How a message states the tolerance.

    Examples
    --------
    >>> tolerance_text(1e-6, 1e-9)
    'within rtol=1e-06, atol=1e-09'

    Introduced in 01-limits.
    """
    return f"within rtol={rtol:g}, atol={atol:g}"


def digits_for(rtol: float) -> int:
    """Significant digits that show a number as precisely as a check with ``rtol`` compares it.

    Examples
    --------
    >>> digits_for(1e-5), digits_for(1e-12), digits_for(0.1)
    (6, 12, 4)

    Introduced in 01-limits.
    """
    return int(np.clip(np.ceil(-np.log10(max(float(rtol), 1e-16))) + 1, 4, 12))


def number_text(value: complex, digits: int) -> str:
    """``value`` at ``digits`` significant digits, with a trailing ``.0`` for whole floats.

    Examples
    --------
    >>> number_text(-2.9999999996, 6), number_text(0.090828127, 6)
    ('-3.0', '0.0908281')

    Introduced in 01-limits.
    """
    if isinstance(value, complex) and value.imag != 0:
        return f"{value:.{digits}g}"
    text = f"{float(value.real if isinstance(value, complex) else value):.{digits}g}"
    return text if any(c in text for c in ".eni") else text + ".0"


def distinct_texts(gave: complex, expected: complex, digits: int) -> tuple[str, str]:
    """``gave`` and ``expected`` as text, with as many more digits as it takes to tell them apart.

    Examples
    --------
    >>> distinct_texts(2.0000004, 2.0, 6)
    ('2.0000004', '2.0')

    Introduced in 01-limits.
    """
    expected_text = number_text(expected, digits)
    for more in range(digits, 18):
        gave_text = number_text(gave, more)
        if gave_text != expected_text:
            return gave_text, expected_text
    return number_text(gave, 17), expected_text


def direction(gave: np.ndarray, expected: np.ndarray) -> str | None:
    """Which way a real number is off, without saying by how much (that would be the answer).

    Examples
    --------
    >>> direction(np.array(3.0), np.array(2.0)), direction(np.array(1.999), np.array(2.0))
    ('too large', 'slightly too small (within 1%: rounded, or read off a table?)')

    Introduced in 01-limits.
    """
    if gave.dtype.kind == "c" or expected.dtype.kind == "c":
        return None
    g, e = float(gave), float(expected)
    if not (np.isfinite(g) and np.isfinite(e)):
        return None
    side = "too large" if g > e else "too small"
    if abs(g - e) <= 1e-2 * abs(e):
        return f"slightly {side} (within 1%: rounded, or read off a table?)"
    return side


def entries_off(gave: np.ndarray, expected: np.ndarray, close: np.ndarray, limit: int = 6) -> str:
    """Which entries of an array are off, and which way, e.g. ``"2 of 4: [0, 1] too large, …"``.

    Examples
    --------
    >>> entries_off(np.array([1.0, 5.0]), np.array([1.0, 4.0]), np.array([True, False]))
    '1 of 2: [1] too large'

    Introduced in 01-limits.
    """
    off = np.argwhere(~close)
    parts = []
    for index in off[:limit]:
        key = tuple(int(i) for i in index)
        label = f"[{', '.join(map(str, key))}]"
        way = direction(gave[key], expected[key])
        parts.append(f"{label} {way.split(' (')[0]}" if way else label)
    more = ", …" if len(off) > limit else ""
    return f"{len(off)} of {gave.size}: {', '.join(parts)}{more}"


def compare(
    gave: np.ndarray,
    expected: np.ndarray,
    *,
    name: str,
    rtol: float,
    atol: float,
    hidden: bool,
    wrong: Mapping[str, np.ndarray],
    where: list[tuple[str, str]] | None = None,
    evidence: tuple[np.ndarray, np.ndarray] | None = None,
    reveal: bool = False,
    learning_rate: float | None = None,
    shown: str | None = None,
) -> None:
    """Raise a teaching :class:`CheckFailure` unless ``gave`` is close to ``expected``.

    Both arrays have the same shape. ``where`` adds lines that locate the comparison
    (e.g. the input at which a function was evaluated) right under the headline.
    ``evidence`` is ``(gave, expected)`` over every point compared, in which the arrays of
    ``wrong`` are matched to name the mistake (default: ``gave`` and ``expected`` alone): a
    mistake is named only when it explains every point. The expected value is shown only with
    ``reveal`` (a value of a function at one input, not the answer itself) and not ``hidden``;
    otherwise the message says which way the answer is off, and which entries.
    ``learning_rate`` is named when the answer blew up; ``shown`` is the answer as the student
    typed it, shown instead of its value.

    Examples
    --------
    >>> compare(np.array(2.0), np.array(2.0), name="x", rtol=1e-6, atol=0, hidden=False, wrong={})
    >>> compare(np.array(7.0), np.array(3.0), name="x", rtol=1e-6, atol=0, hidden=True,
    ...         wrong={"you added 4": np.array(7.0)})
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ x is not right yet (expected value not shown).
      You gave:        7.0
      Likely mistake:  you added 4

    Introduced in 01-limits.
    """
    with np.errstate(all="ignore"):
        close = np.isclose(gave, expected, rtol=rtol, atol=atol)
    if np.all(close):
        return
    suffix = " (expected value not shown)" if hidden else ""
    details = list(where or [])
    digits = digits_for(rtol)
    if gave.size == 1:
        gave_text, expected_text = distinct_texts(gave.item(), expected.item(), digits)
        details.append(("You gave", shown or gave_text))
        if reveal and not hidden:
            details.append(("Expected", f"{expected_text} ({tolerance_text(rtol, atol)})"))
        elif not hidden and direction(gave, expected):
            details.append(("Off", direction(gave, expected) or ""))
    else:
        details.append(("You gave", short(gave)))
        if reveal and not hidden:
            details.append(("Expected", f"{short(expected)} ({tolerance_text(rtol, atol)})"))
        details.append(("Entries off", entries_off(gave, expected, close)))
    if np.any(np.isnan(gave)) and not np.any(np.isnan(expected)):
        details.append(("Why nan", why_nan(learning_rate)))
    mistake = name_mistake(*(evidence or (gave, expected)), wrong, rtol, atol, learning_rate)
    if mistake:
        details.append(("Likely mistake", mistake))
    raise CheckFailure(f"{name} is not right yet{suffix}.", details)


def wrong_arrays(misconceptions: Mapping[str, object] | None) -> dict[str, np.ndarray]:
    """The test cell's misconceptions (label → wrong value) as arrays.

    Examples
    --------
    >>> wrong_arrays({"a sign error": -2})
    {'a sign error': array(-2.)}

    Introduced in 01-limits.
    """
    items = (misconceptions or {}).items()
    return {label: reference_array(value, f"misconceptions[{label!r}]") for label, value in items}


def _exact_value(value: object, name: str) -> Any | None:
    """An exact answer (int, Fraction, sympy number, text such as "1/6") as sympy; else None."""
    import sympy

    if type(value) is int:
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, str):
        expr = to_expr(value, name)
        if expr.free_symbols:
            symbols = ", ".join(sorted(map(str, expr.free_symbols)))
            raise CheckFailure(
                f"{name} should be a number, but it still contains a symbol.",
                [("You gave", value.strip()), ("What to do", f"substitute a value for {symbols}")],
            )
        return expr
    if isinstance(value, sympy.Basic) and value.is_number:
        return value
    return None


def _exactly_equal(gave: Any, expected: Any) -> bool:
    """``gave == expected`` for sympy numbers, proven or else to 30 digits."""
    if proven_equal(gave, expected, 2.0):
        return True
    try:
        g, e = complex(gave.evalf(30)), complex(expected.evalf(30))
    except (TypeError, ValueError):
        return False
    return abs(g - e) <= 1e-25 * max(1.0, abs(e))


def _check_exact(answer: object, expected: object, name: str, hidden: bool, wrong: dict) -> None:
    """The exact comparison of :func:`check_number` (see ``exact`` there)."""
    import sympy

    with authored("expected", expected):
        target = _exact_value(expected, "expected")
    if target is None:
        target = sympy.nsimplify(float(reference_array(expected, "expected").reshape(())))
    gave_exact = _exact_value(answer, name)
    if gave_exact is not None:
        if _exactly_equal(gave_exact, target):
            return
        gave = as_array(float(gave_exact.evalf(20)), name)
    else:
        gave = as_array(answer, name)
        if gave.size != 1:
            raise CheckFailure(
                f"{name} should be a single number.",
                [("You gave", f"{short(gave)} (shape {gave.shape})")],
            )
        gave = gave.reshape(())
        if np.isclose(gave, float(target.evalf(20)), rtol=EXACT_RTOL, atol=0.0):
            return  # the float nearest the exact value: 1/6 computed in Python
    reference = np.array(float(target.evalf(20)))
    if np.isclose(gave, reference, rtol=1e-4, atol=0.0):
        details = [("You gave", answer.strip() if isinstance(answer, str) else short(gave))]
        details.append(("What to do", EXACT_WHAT_TO_DO))
        raise CheckFailure(f"{name} is close, but not exact.", details)
    shown = answer.strip() if isinstance(answer, str) else None
    compare(
        gave, reference, name=name, rtol=1e-9, atol=0.0, hidden=hidden, wrong=wrong, shown=shown
    )


def check_number(
    answer: object,
    expected: object,
    *,
    name: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    exact: bool = False,
    hidden: bool = False,
    reveal: bool = False,
    learning_rate: float | None = None,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check that ``answer`` is one number close to ``expected`` (or exactly it).

    Passes when ``|answer - expected| <= atol + rtol * |expected|``. A failure never shows
    the expected number (it is the answer): it says which way the answer is off.

    Parameters
    ----------
    answer : number, numpy scalar, 0-d array, torch tensor or sympy number
        The student's answer. ``None`` means "not answered yet".
    expected : number or sympy number
        The right answer.
    name : str
        What is checked, as the message should say it, e.g. ``"f'(2)"``.
    rtol, atol : float
        Relative and absolute tolerance.
    exact : bool
        The answer must be exact: an int, a ``Fraction``, a sympy number, a text such as
        ``"1/6"`` or ``"sqrt(2)/2"`` equal to ``expected``, or the float nearest it (``1 / 6``
        passes); a rounded decimal such as ``0.1666666667`` fails ("close, but not exact").
        ``rtol`` and ``atol`` are not used.
    hidden : bool
        A hidden check: the message does not even say which way the answer is off.
    reveal : bool
        Show the expected number on failure, for a check whose expected number is not the
        answer (a target loss to reach, say).
    learning_rate : float, optional
        The learning rate the answer was computed with: named if the answer blew up.
    misconceptions : mapping of str to number, optional
        Label of a likely mistake → the wrong number it gives; named when the answer matches.
        Sign errors and factors of 2 or ½ are recognised without being listed.

    Raises
    ------
    CheckFailure
        When the answer is missing, not one number, or not close enough.

    Examples
    --------
    >>> check_number(0.1 + 0.2, 0.3)
    >>> check_number("1/6", Fraction(1, 6), exact=True)
    >>> check_number(-12.0, 12, name="f'(2)")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f'(2) is not right yet.
      You gave:        -12.0
      Off:             too small
      Likely mistake:  a sign error: your answer is the negative of the expected one

    Introduced in 01-limits.
    """
    count_check()
    with judging(name):
        check_tolerances(rtol, atol)
        reference = reference_array(expected, "expected")
        if reference.size != 1:
            raise CheckSetupError("expected", f"must be one number, got shape {reference.shape}")
        wrong = {k: v.reshape(()) for k, v in wrong_arrays(misconceptions).items() if v.size == 1}
        if is_missing(answer):
            raise not_answered(name, answer)
        if exact:
            _check_exact(answer, expected, name, hidden, wrong)
            return
        gave = as_array(answer, name)
        if gave.size != 1:
            raise CheckFailure(
                f"{name} should be a single number.",
                [("You gave", f"{short(gave)} (shape {gave.shape})")],
            )
        compare(
            gave.reshape(()),
            reference.reshape(()),
            name=name,
            rtol=rtol,
            atol=atol,
            hidden=hidden,
            wrong=wrong,
            reveal=reveal,
            learning_rate=learning_rate,
        )


def check_array(
    answer: object,
    expected: object,
    *,
    name: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    exact: bool = False,
    hidden: bool = False,
    reveal: bool = False,
    learning_rate: float | None = None,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check that ``answer`` has the expected shape and is close to ``expected`` everywhere.

    Passes when the shapes agree and ``|answer - expected| <= atol + rtol * |expected|``
    for every entry. A failure names the entries that are off and which way, never the
    expected entries.

    Parameters
    ----------
    answer : array-like or torch tensor
        The student's answer (a list, tuple, numpy array, sympy matrix or tensor).
    expected : array-like
        The right answer.
    exact : bool
        Every entry must be the float nearest the exact one (a few units in the last place):
        a numeric estimate (finite differences, ``calclib.jacobian``) fails.
    name, rtol, atol, hidden, reveal, learning_rate, misconceptions
        As in :func:`check_number`. A vector whose components come in swapped order is
        recognised as partial derivatives with respect to the wrong variable.

    Raises
    ------
    CheckFailure
        When the answer is missing, has the wrong shape, or an entry is not close enough.

    Examples
    --------
    >>> check_array([2.0, 3.0], np.array([2, 3]))
    >>> check_array([1.0, 2.0, 3.0], [1.0, 2.0], name="the gradient")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ the gradient has the wrong shape.
      You gave:  [1. 2. 3.] (shape (3,))
      Expected:  shape (2,)

    Introduced in 03-partial-derivatives.
    """
    count_check()
    with judging(name):
        check_tolerances(rtol, atol)
        reference = reference_array(expected, "expected")
        misconception_arrays = wrong_arrays(misconceptions)
        gave = as_array(answer, name)
        if _is_matrix(answer) and gave.squeeze().shape == reference.shape:
            gave = gave.reshape(reference.shape)  # sympy writes every vector as a 2-d matrix
        if gave.shape != reference.shape:
            details = [("You gave", f"{short(gave)} (shape {gave.shape})")]
            details.append(("Expected", f"shape {reference.shape}"))
            if gave.ndim == 2 and gave.shape == reference.shape[::-1]:
                details.append(
                    ("Likely mistake", "the array is transposed (rows and columns swapped)")
                )
            raise CheckFailure(f"{name} has the wrong shape.", details)
        wrong = {k: v for k, v in misconception_arrays.items() if v.shape == gave.shape}
        if exact:
            scale = float(np.max(np.abs(reference), initial=0.0))
            rtol, atol = EXACT_RTOL, EXACT_RTOL * scale
            with np.errstate(all="ignore"):
                near = np.isclose(gave, reference, rtol=1e-4, atol=1e-4 * scale)
            if np.all(near) and not np.all(np.isclose(gave, reference, rtol=rtol, atol=atol)):
                details = [("You gave", short(gave)), ("What to do", EXACT_WHAT_TO_DO)]
                details.append(("Note", "a numeric estimate (finite differences) is not exact"))
                raise CheckFailure(f"{name} is close, but not exact.", details)
        compare(
            gave,
            reference,
            name=name,
            rtol=rtol,
            atol=atol,
            hidden=hidden,
            wrong=wrong,
            reveal=reveal,
            learning_rate=learning_rate,
        )


def _is_matrix(value: object) -> bool:
    try:
        is_matrix = value.is_Matrix  # type: ignore[attr-defined]
        return type(value).__module__.startswith("sympy") and bool(is_matrix)
    except Exception:  # noqa: BLE001 - only sympy matrices say yes
        return False


Bound = float | None


def range_text(low: Bound, high: Bound, inclusive: bool = False) -> str:
    """The range as an inequality, e.g. ``"0 < value < 0.1"`` or ``"value <= 1e-06"``.

    Examples
    --------
    >>> range_text(0, 0.1), range_text(None, 1e-6, inclusive=True), range_text(1, None)
    ('0 < value < 0.1', 'value <= 1e-06', 'value > 1')

    Introduced in 05-gradient-descent.
    """
    sign = "<=" if inclusive else "<"
    if low is None:
        return f"value {sign} {high:.10g}"
    if high is None:
        return f"value {sign.replace('<', '>')} {low:.10g}"
    return f"{low:.10g} {sign} value {sign} {high:.10g}"


def _inside(value: float, low: Bound, high: Bound, inclusive: bool) -> bool:
    if inclusive:
        return (low is None or low <= value) and (high is None or value <= high)
    return (low is None or low < value) and (high is None or value < high)


def _bound(value: object, argument: str) -> Bound:
    if value is None:
        return None
    if not is_real_number(value) or math.isnan(float(value)):  # type: ignore[arg-type]
        raise CheckSetupError(argument, f"must be a number or None (no bound), got {value!r}")
    return float(value)  # type: ignore[arg-type]


def _misconception(label: str, wrong: object) -> tuple[Bound, Bound]:
    """A misconception as the range of answers it gives (a number is a range of one)."""
    argument = f"misconceptions[{label!r}]"
    if is_real_number(wrong):
        return float(wrong), float(wrong)  # type: ignore[arg-type]
    if isinstance(wrong, (tuple, list)) and len(wrong) == 2:
        low, high = (_bound(b, argument) for b in wrong)
        if low is None or high is None or low <= high:
            return low, high
    problem = f"give a number or a (low, high) range with None for no bound, got {wrong!r}"
    raise CheckSetupError(argument, problem)


def _likely_mistake(
    value: float, low: Bound, high: Bound, wrong: Mapping[str, tuple[Bound, Bound]]
) -> str | None:
    """The label of the range ``value`` falls in, else a generic mistake, or None."""
    for label, (w_low, w_high) in wrong.items():
        if w_low is not None and w_low == w_high:
            if np.isclose(value, w_low, rtol=1e-6, atol=1e-12):
                return label
        elif _inside(value, w_low, w_high, inclusive=True):
            return label
    scale = np.array([b for b in (low, high) if b is not None])
    if diverged(np.array(value), scale):
        return DIVERGED
    if value != 0 and _inside(-value, low, high, inclusive=True):
        return SIGN_ERROR
    return None


def check_between(
    answer: object,
    low: float | None,
    high: float | None,
    *,
    name: str = "your answer",
    inclusive: bool = False,
    hidden: bool = False,
    learning_rate: float | None = None,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check that ``answer`` is one number with ``low < answer < high``.

    With ``inclusive=True`` the bounds count too (``low <= answer <= high``); ``None`` for a
    bound means no bound on that side. The failure says whether the answer is too small or
    too large and shows the range, unless the check is hidden.

    Parameters
    ----------
    answer : number, numpy scalar, 0-d array, torch tensor or sympy number
        The student's answer. ``None`` or ``...`` mean "not answered yet".
    low, high : float or None
        The bounds of the range (at least one of them).
    name : str
        What is checked, e.g. ``"lr"`` or ``"the loss after 50 steps"``.
    inclusive : bool
        Whether an answer equal to a bound passes.
    hidden : bool
        A hidden check: the message does not show the range, nor the side it was left on.
    learning_rate : float, optional
        The learning rate the answer was computed with: named if the answer blew up.
    misconceptions : mapping of str to number or (low, high), optional
        Label of a likely mistake → the number it gives, or the range of numbers it gives
        (``None`` for no bound), e.g. ``{"above 2/L = 0.1 the steps diverge": (0.1, None)}``.
        Without them, an answer that blew up (inf or huge) is named as a diverging iteration,
        and one whose negative is in range as a sign error.

    Raises
    ------
    CheckFailure
        When the answer is missing, not one real number, or outside the range.
    CheckSetupError
        When the bounds or the misconceptions are not numbers, or ``low >= high``.

    Examples
    --------
    >>> check_between(0.05, 0, 0.1, name="lr")
    >>> check_between(0.2, 0, 0.1, name="lr",
    ...               misconceptions={"above 2/L = 0.1 gradient descent diverges": (0.1, None)})
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ lr is too large.
      You gave:        0.2
      Expected:        0 < value < 0.1
      Likely mistake:  above 2/L = 0.1 gradient descent diverges

    Introduced in 05-gradient-descent.
    """
    count_check()
    with judging(name):
        lower, upper = _bound(low, "low"), _bound(high, "high")
        if lower is None and upper is None:
            raise CheckSetupError("low", "and high are both None: give at least one bound")
        if lower is not None and upper is not None and not lower < upper:
            raise CheckSetupError("low", f"must be below high, got low={low!r}, high={high!r}")
        wrong = {label: _misconception(label, w) for label, w in (misconceptions or {}).items()}
        gave = as_array(answer, name)
        if gave.size != 1 or gave.dtype.kind == "c":
            kind = "complex" if gave.dtype.kind == "c" else f"shape {gave.shape}"
            raise CheckFailure(
                f"{name} should be one real number.", [("You gave", f"{short(gave)} ({kind})")]
            )
        value = float(gave.reshape(()))
        if _inside(value, lower, upper, inclusive):
            return
        details = [("You gave", short(value))]
        if hidden:
            headline = f"{name} is not right yet (expected value not shown)."
        else:
            too_small = lower is not None and not _inside(value, lower, None, inclusive)
            headline = f"{name} is too {'small' if too_small else 'large'}."
            if math.isnan(value):
                headline = f"{name} is nan, not a number in the expected range."
            details.append(("Expected", range_text(lower, upper, inclusive)))
        if math.isnan(value):
            details.append(("Why nan", why_nan(learning_rate)))
        mistake = _likely_mistake(value, lower, upper, wrong)
        if learning_rate is not None and (mistake == DIVERGED or math.isnan(value)):
            mistake = DIVERGED_AT.format(lr=learning_rate)
        if mistake:
            details.append(("Likely mistake", mistake))
        raise CheckFailure(headline, details)


def check_less(
    answer: object,
    bound: float,
    *,
    name: str = "your answer",
    inclusive: bool = False,
    hidden: bool = False,
    learning_rate: float | None = None,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check that ``answer`` is one number below ``bound``, e.g. a loss under a threshold.

    The same as ``check_between(answer, None, bound, ...)``: passes when ``answer < bound``
    (``<=`` with ``inclusive=True``); see :func:`check_between` for the parameters.

    Examples
    --------
    >>> check_less(3e-7, 1e-6, name="the final loss")
    >>> check_less(float("inf"), 1e-6, name="the final loss")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ the final loss is too large.
      You gave:        inf
      Expected:        value < 1e-06
      Likely mistake:  the numbers blew up (inf, nan or huge): an iteration that diverges,
                       e.g. gradient descent with a learning rate that is too large

    Introduced in 05-gradient-descent.
    """
    if bound is None:
        raise CheckSetupError("bound", "is None: give the number the answer must stay below")
    check_between(
        answer,
        None,
        bound,
        name=name,
        inclusive=inclusive,
        hidden=hidden,
        learning_rate=learning_rate,
        misconceptions=misconceptions,
    )
