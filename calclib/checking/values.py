"""Turn a student's answer into a numpy array, and describe values in messages.

Accepted: Python numbers, numpy scalars and arrays (0-d too), lists and tuples of numbers,
torch tensors (converted without importing torch here), sympy numbers. Rejected with a message
that says what to do: a missing answer (``None``, ``...``), strings, booleans, sympy
expressions that still contain a symbol, anything else that is not numeric.

Introduced in 01-limits.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from calclib.checking.failures import CheckFailure

NONE_NOTE = (
    "None is also what a function without `return` gives, "
    "and what a tensor's .grad holds before .backward() runs."
)
NOT_ANSWERED = (
    "Replace `raise NotImplementedError()` in the answer cell with your answer, "
    "run that cell, then run this one again."
)


def is_missing(value: object) -> bool:
    """True for the placeholders that mean "not answered yet": ``None`` and ``...``.

    Examples
    --------
    >>> is_missing(None), is_missing(...), is_missing(0)
    (True, True, False)

    Introduced in 01-limits.
    """
    return value is None or value is Ellipsis


def is_real_number(value: object) -> bool:
    """True for a plain real number: an int or float (numpy ones too), not a bool.

    Examples
    --------
    >>> is_real_number(5), is_real_number(np.float64(0.5)), is_real_number(True)
    (True, True, False)

    Introduced in 01-limits.
    """
    real = (int, float, np.integer, np.floating)
    return isinstance(value, real) and not isinstance(value, (bool, np.bool_))


def not_answered(name: str, gave: object = ...) -> CheckFailure:
    """The failure for an answer that is still missing (``gave``: the placeholder found).

    Examples
    --------
    >>> print(not_answered("the slope", None))
    ✗ Not answered yet: the slope is None.
      What to do:  Replace `raise NotImplementedError()` in the answer cell with your
                   answer, run that cell, then run this one again.
      Why None:    None is also what a function without `return` gives, and what a
                   tensor's .grad holds before .backward() runs.

    Introduced in 01-limits.
    """
    if gave is None:
        return CheckFailure(
            f"Not answered yet: {name} is None.",
            [("What to do", NOT_ANSWERED), ("Why None", NONE_NOTE)],
        )
    return CheckFailure(f"Not answered yet: {name}.", [("What to do", NOT_ANSWERED)])


def _from_library(value: object) -> Any:
    """Convert torch tensors and sympy objects by duck typing (no imports needed).

    A sympy matrix becomes a 2-d list of numbers; a sympy object that is not a number is
    returned as it is (and then rejected as not numeric).
    """
    package = type(value).__module__.split(".")[0]
    if package == "torch" and hasattr(value, "detach"):
        return value.detach().cpu().numpy()  # type: ignore[attr-defined]
    if package != "sympy":
        return value
    symbols: set[object] = getattr(value, "free_symbols", set())
    if symbols:
        names = ", ".join(sorted(str(s) for s in symbols))
        raise CheckFailure(
            "This answer should be a number, but it still contains a symbol.",
            [("You gave", str(value)), ("What to do", f"substitute a value for {names}")],
        )
    if getattr(value, "is_Matrix", False):
        return [[_from_library(entry) for entry in row] for row in value.tolist()]  # type: ignore[attr-defined]
    try:
        number = complex(value.evalf())  # type: ignore[attr-defined]
    except (TypeError, ValueError, AttributeError):
        return value
    return number.real if number.imag == 0 or math.isnan(number.real) else number


def as_array(value: object, name: str = "your answer") -> np.ndarray:
    """The student's answer as a float (or complex) numpy array.

    Parameters
    ----------
    value : object
        The answer: a number, array, tensor, list of numbers or sympy number.
    name : str
        How messages refer to the answer.

    Returns
    -------
    numpy.ndarray
        0-d for a single number.

    Raises
    ------
    CheckFailure
        If the answer is missing or not numeric; the message says what to do.

    Examples
    --------
    >>> as_array(3)
    array(3.)
    >>> as_array([1, 2.5])
    array([1. , 2.5])

    Introduced in 01-limits.
    """
    if is_missing(value):
        raise not_answered(name, value)
    if isinstance(value, (str, bytes)):
        raise CheckFailure(
            f"{name} should be a number, not text.",
            [("You gave", repr(value)), ("What to do", "remove the quotes")],
        )
    if isinstance(value, (bool, np.bool_)):
        raise CheckFailure(
            f"{name} should be a number, not True or False.", [("You gave", repr(value))]
        )
    if isinstance(value, (Fraction, Decimal)):
        value = float(value)
    if isinstance(value, (list, tuple)):
        value = [_from_library(item) for item in value]
    converted = _from_library(value)
    try:
        array = np.asarray(converted)
    except (TypeError, ValueError) as exc:  # ragged lists and the like
        raise _not_numeric(name, value) from exc
    if array.dtype.kind in "iuf":
        return array.astype(float)
    if array.dtype.kind == "c":
        return array
    raise _not_numeric(name, value)


def _not_numeric(name: str, value: object) -> CheckFailure:
    failure = CheckFailure(
        f"{name} should be a number (or an array of numbers).",
        [("You gave", f"{short(value)} (of type {type(value).__name__})")],
    )
    if callable(value):
        failure.add("What to do", "this is a function: give the number it computes instead")
    elif isinstance(getattr(value, "data", None), (int, float)):
        failure.add("What to do", "its number is in .data: give that instead")
    return failure


def short(value: object, width: int = 70) -> str:
    """A one-line description of a value for a message, cut to ``width`` characters.

    Numbers show 10 significant digits; arrays use numpy's printing with 6 digits.

    Examples
    --------
    >>> short(0.1 + 0.2)
    '0.3'
    >>> short(np.array([1.0, 2.0]))
    '[1. 2.]'

    Introduced in 01-limits.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.10g}"
        text = text if any(c in text for c in ".eni") else text + ".0"
    elif isinstance(value, np.ndarray):
        # The precision of a float above: two arrays that differ must not print alike.
        text = np.array2string(value, precision=10, max_line_width=10_000, threshold=20)
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
