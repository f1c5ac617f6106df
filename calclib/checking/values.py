"""Turn a student's answer into a numpy array (:func:`as_array`); the test cell's own values too
(:func:`reference_array`, :func:`check_tolerances`).

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

from calclib.checking.failures import CheckFailure, CheckSetupError, authored, describe_error, short
from calclib.checking.timeout import OutOfTime, time_limit
from calclib.checking.unanswered import not_answered

CONVERSION_SECONDS = 5.0  # the longest a student's object may take to turn into numbers
MAX_NESTING = 32  # lists inside lists: deeper is not an answer (and may contain itself)


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


def reference_array(value: object, argument: str) -> np.ndarray:
    """The author's ``value`` (an expected answer, a misconception) as a numpy array.

    Examples
    --------
    >>> reference_array([1, 2], "expected")
    array([1., 2.])

    Introduced in 01-limits.
    """
    if is_missing(value):
        raise CheckSetupError(argument, f"is {value!r}: give the reference value")
    with authored(argument, value):
        return as_array(value, argument)


def check_tolerances(rtol: object, atol: object) -> None:
    """Require ``rtol`` and ``atol`` to be finite numbers ``>= 0``.

    Examples
    --------
    >>> check_tolerances(1e-6, 0)
    >>> check_tolerances(1e-6, -1)
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckSetupError: Check setup error in `atol`: \
must be a finite number >= 0, got -1.
    This is a mistake in the exercise's test cell, not in your answer: please tell your instructor.

    Introduced in 01-limits.
    """
    for argument, value in (("rtol", rtol), ("atol", atol)):
        if not is_real_number(value) or not 0 <= float(value) < math.inf:  # type: ignore[arg-type]
            raise CheckSetupError(argument, f"must be a finite number >= 0, got {value!r}")
