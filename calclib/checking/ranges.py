"""Check that a number lies in a range: a loss below a threshold, a learning rate in a window.

Introduced in 05-gradient-descent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from calclib.checking.authoring import CheckSetupError
from calclib.checking.failures import CheckFailure
from calclib.checking.guard import judging
from calclib.checking.misconceptions import DIVERGED, DIVERGED_AT, SIGN_ERROR, diverged, why_nan
from calclib.checking.registry import count_check
from calclib.checking.values import as_array, is_real_number, short

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
