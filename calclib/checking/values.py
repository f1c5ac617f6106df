"""Turn a student's answer into a numpy array, and describe values in messages.

Accepted: Python numbers, numpy scalars and arrays (0-d too), lists and tuples of numbers,
torch tensors (converted without importing torch here), sympy numbers. Rejected with a message
that says what to do: a missing answer (``None``, ``...``), strings, booleans, sympy
expressions that still contain a symbol, anything else that is not numeric.

Introduced in 01-limits.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from calclib.checking.failures import CheckFailure
from calclib.checking.timeout import OutOfTime, time_limit
from calclib.checking.unanswered import NOT_ANSWERED

NONE_NOTE = (
    "None is what print(...) gives back (it only shows a value), what a function without "
    "`return` gives, and what a tensor's .grad holds before .backward() runs."
)
CONVERSION_SECONDS = 5.0  # the longest a student's object may take to turn into numbers
MAX_NESTING = 32  # lists inside lists: deeper is not an answer (and may contain itself)


def from_student(exc: BaseException) -> bool:
    """True for what a student's code may raise and a check must report: any ``Exception`` and
    Python's own ``BaseException`` kinds (``SystemExit``, ``KeyboardInterrupt``, ``BaseException``).

    Other ``BaseException`` subclasses belong to the machinery around the checks (a grader's
    abort, a test runner's exit) and pass through.

    Examples
    --------
    >>> from_student(ZeroDivisionError()), from_student(SystemExit()), from_student(OutOfTime())
    (True, True, False)

    Introduced in 01-limits.
    """
    return isinstance(exc, Exception) or type(exc).__module__ == "builtins"


def describe_error(exc: BaseException, with_type: bool = True) -> str:
    """``"ZeroDivisionError: division by zero"``, even for an exception whose ``str`` raises.

    Examples
    --------
    >>> describe_error(ValueError("bad"))
    'ValueError: bad'

    Introduced in 01-limits.
    """
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a student's exception class may break its own str()
        text = "(its message could not be shown)"
    text = " ".join(text.split())[:300]
    if not with_type:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
    ✗ the slope is None, not a value.
      Why None:    None is what print(...) gives back (it only shows a value), what a
                   function without `return` gives, and what a tensor's .grad holds before
                   .backward() runs.
      What to do:  Write your answer in the answer cell above, in place of the `pass` under
                   YOUR CODE HERE; run that cell, then run this one again.

    Introduced in 01-limits.
    """
    if gave is None:
        return CheckFailure(
            f"{name} is None, not a value.",
            [("Why None", NONE_NOTE), ("What to do", NOT_ANSWERED)],
        )
    return CheckFailure(f"Not answered yet: {name}.", [("What to do", NOT_ANSWERED)])


def _from_torch(tensor: Any, name: str) -> Any:
    """A torch tensor's values as numpy: any dtype (bfloat16 too), layout (sparse) or device."""
    import torch  # already imported: the answer is a tensor

    if tensor.is_meta:
        raise CheckFailure(
            f"{name} is a meta tensor: it has a shape but no values.",
            [("What to do", "make it from numbers, e.g. torch.tensor([1.0, 2.0])")],
        )
    tensor = tensor.detach()
    if tensor.is_quantized:
        tensor = tensor.dequantize()
    if tensor.layout != torch.strided:
        tensor = tensor.to_dense()
    tensor = tensor.cpu().resolve_conj().resolve_neg()
    if tensor.dtype == torch.bool:
        return tensor.numpy()
    wide = torch.complex128 if tensor.is_complex() else torch.float64
    return tensor.to(wide).numpy()


def _big_int(value: int) -> float:
    """An int as a float: ±inf beyond the float range (e.g. -10**400)."""
    try:
        return float(value)
    except OverflowError:
        return -math.inf if value < 0 else math.inf


def _plain(value: object, name: str, depth: int = 0) -> Any:
    """``value`` with torch, sympy, exact and huge numbers turned into numpy-readable ones."""
    if depth > MAX_NESTING:
        raise CheckFailure(f"{name} nests lists too deeply to be numbers.")
    if type(value) is int:
        return value if abs(value) < 2**62 else _big_int(value)
    if isinstance(value, (Fraction, Decimal)):
        try:
            return float(value)
        except OverflowError:
            return -math.inf if value < 0 else math.inf
    if isinstance(value, (list, tuple)):
        return [_plain(item, name, depth + 1) for item in value]
    package = type(value).__module__.split(".")[0]
    if package == "torch" and type(value).__name__ in ("Tensor", "Parameter"):
        return _from_torch(value, name)
    if package == "sympy":
        return _from_sympy(value, name, depth)
    return value


def _from_sympy(value: Any, name: str, depth: int) -> Any:
    """A sympy number or matrix of numbers as Python numbers (symbols are refused)."""
    symbols: set[object] = getattr(value, "free_symbols", set())
    if symbols:
        names = ", ".join(sorted(str(s) for s in symbols))
        raise CheckFailure(
            f"{name} should be a number, but it still contains a symbol.",
            [("You gave", short(value)), ("What to do", f"substitute a value for {names}")],
        )
    if getattr(value, "is_Matrix", False):
        return [[_plain(entry, name, depth + 1) for entry in row] for row in value.tolist()]
    try:
        number = complex(value.evalf())
    except (TypeError, ValueError, AttributeError):
        return value
    return number.real if number.imag == 0 or math.isnan(number.real) else number


def as_array(value: object, name: str = "your answer") -> np.ndarray:
    """The student's answer as a float (or complex) numpy array.

    Parameters
    ----------
    value : object
        The answer: a number (an int of any size, a Fraction), an array, a tensor of any dtype
        or layout, a list of numbers or a sympy number.
    name : str
        How messages refer to the answer.

    Returns
    -------
    numpy.ndarray
        0-d for a single number.

    Raises
    ------
    CheckFailure
        If the answer is missing or not numeric (including objects that fail to convert
        themselves); the message says what to do.

    Examples
    --------
    >>> as_array(3)
    array(3.)
    >>> as_array([1, 2.5])
    array([1. , 2.5])
    >>> as_array(-10**400)
    array(-inf)

    Introduced in 01-limits.
    """
    if is_missing(value):
        raise not_answered(name, value)
    if isinstance(value, (str, bytes)):
        raise CheckFailure(
            f"{name} should be a number, not text.",
            [("You gave", short(value)), ("What to do", "remove the quotes")],
        )
    if isinstance(value, (bool, np.bool_)):
        raise CheckFailure(
            f"{name} should be a number, not True or False.", [("You gave", repr(value))]
        )
    try:
        with warnings.catch_warnings(), time_limit(CONVERSION_SECONDS):
            warnings.simplefilter("ignore")
            array = np.asarray(_plain(value, name))
            if array.dtype == object:
                array = array.astype(complex if _any_complex(array) else float)
    except CheckFailure:
        raise
    except OutOfTime:  # a student's __array__ or __float__ that never returns
        failure = _not_numeric(name, value)
        failure.add("Problem", f"reading it as a number took more than {CONVERSION_SECONDS:g} s")
        raise failure from None
    except Exception as exc:  # noqa: BLE001 - ragged lists, objects whose conversion raises
        raise _not_numeric(name, value, exc) from None
    if array.dtype.kind in "iuf":
        return array.astype(float)
    if array.dtype.kind == "c":
        return array.astype(complex)
    if array.dtype.kind == "b":
        raise CheckFailure(
            f"{name} should hold numbers, not True or False.", [("You gave", short(value))]
        )
    raise _not_numeric(name, value)


def _any_complex(array: np.ndarray) -> bool:
    return any(isinstance(item, complex) for item in array.flat)


def _not_numeric(name: str, value: object, error: BaseException | None = None) -> CheckFailure:
    failure = CheckFailure(
        f"{name} should be a number (or an array of numbers).",
        [("You gave", f"{short(value)} (of type {type(value).__name__})")],
    )
    if error is not None and not isinstance(error, (TypeError, ValueError)):
        failure.add("Problem", f"reading it as a number raised {describe_error(error)}")
    if callable(value):
        failure.add("What to do", "this is a function: give the number it computes instead")
    elif _has_number_in_data(value):
        failure.add("What to do", "its number is in .data: give that instead")
    return failure


def _has_number_in_data(value: object) -> bool:
    try:
        return isinstance(getattr(value, "data", None), (int, float))
    except Exception:  # noqa: BLE001 - a student's __getattr__ may raise anything
        return False


def _text_of(value: object) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.10g}"
        return text if any(c in text for c in ".eni") else text + ".0"
    if isinstance(value, np.ndarray):
        # The precision of a float above: two arrays that differ must not print alike.
        return np.array2string(value, precision=10, max_line_width=10_000, threshold=20)
    if type(value) is int and abs(value) > 10**20:
        if abs(value) < 10**300:
            return f"{float(value):.10g}"
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    return repr(value)


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
    try:
        with time_limit(1.0):
            text = _text_of(value)
    except (Exception, OutOfTime):  # noqa: BLE001 - a student's __repr__ may raise or hang
        text = f"<a {type(value).__name__} object that cannot be shown>"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
