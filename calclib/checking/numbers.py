"""Check a number or an array against the expected one, within a tolerance.

A value passes when ``|gave - expected| <= atol + rtol * |expected|`` entry by entry
(``numpy.isclose``). Shapes must agree (a single number may come as a 0-d array, a
one-element list or a one-element tensor).

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calclib.checking.authoring import CheckSetupError, check_tolerances, reference_array
from calclib.checking.failures import CheckFailure
from calclib.checking.misconceptions import WHY_NAN, name_mistake
from calclib.checking.registry import count_check
from calclib.checking.values import as_array, short


def tolerance_text(rtol: float, atol: float) -> str:
    """How a message states the tolerance.

    Examples
    --------
    >>> tolerance_text(1e-6, 1e-9)
    'within rtol=1e-06, atol=1e-09'

    Introduced in 01-limits.
    """
    return f"within rtol={rtol:g}, atol={atol:g}"


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
) -> None:
    """Raise a teaching :class:`CheckFailure` unless ``gave`` is close to ``expected``.

    Both arrays have the same shape. ``where`` adds lines that locate the comparison
    (e.g. the input at which a function was evaluated) right under the headline.
    ``evidence`` is ``(gave, expected)`` over every point compared, in which the arrays of
    ``wrong`` are matched to name the mistake (default: ``gave`` and ``expected`` alone).

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
    details.append(("You gave", short(gave)))
    if not hidden:
        details.append(("Expected", f"{short(expected)} ({tolerance_text(rtol, atol)})"))
    if gave.ndim > 0 and gave.size > 1:
        first = tuple(int(i) for i in np.argwhere(~close)[0])
        count = int(np.sum(~close))
        where_first = f"first at index {first if len(first) > 1 else first[0]}"
        details.append(("Entries off", f"{count} of {gave.size}, {where_first}"))
    if np.any(np.isnan(gave)) and not np.any(np.isnan(expected)):
        details.append(("Why nan", WHY_NAN))
    mistake = name_mistake(*(evidence or (gave, expected)), wrong, rtol, atol)
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


def check_number(
    answer: object,
    expected: object,
    *,
    name: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hidden: bool = False,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check that ``answer`` is one number close to ``expected``.

    Passes when ``|answer - expected| <= atol + rtol * |expected|``.

    Parameters
    ----------
    answer : number, numpy scalar, 0-d array, torch tensor or sympy number
        The student's answer. ``None`` or ``...`` mean "not answered yet".
    expected : number
        The right answer.
    name : str
        What is checked, as the message should say it, e.g. ``"f'(2)"``.
    rtol, atol : float
        Relative and absolute tolerance.
    hidden : bool
        A hidden check: the message does not show the expected value.
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
    >>> check_number(-12.0, 12, name="f'(2)")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ f'(2) is not right yet.
      You gave:        -12.0
      Expected:        12.0 (within rtol=1e-06, atol=1e-09)
      Likely mistake:  a sign error: your answer is the negative of the expected one

    Introduced in 01-limits.
    """
    count_check()
    check_tolerances(rtol, atol)
    reference = reference_array(expected, "expected")
    if reference.size != 1:
        raise CheckSetupError("expected", f"must be one number, got shape {reference.shape}")
    wrong = {k: v.reshape(()) for k, v in wrong_arrays(misconceptions).items() if v.size == 1}
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
    )


def check_array(
    answer: object,
    expected: object,
    *,
    name: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hidden: bool = False,
    misconceptions: Mapping[str, object] | None = None,
) -> None:
    """Check that ``answer`` has the expected shape and is close to ``expected`` everywhere.

    Passes when the shapes agree and ``|answer - expected| <= atol + rtol * |expected|``
    for every entry.

    Parameters
    ----------
    answer : array-like or torch tensor
        The student's answer (a list, tuple, numpy array or tensor).
    expected : array-like
        The right answer.
    name, rtol, atol, hidden, misconceptions
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
    check_tolerances(rtol, atol)
    reference = reference_array(expected, "expected")
    misconception_arrays = wrong_arrays(misconceptions)
    gave = as_array(answer, name)
    if getattr(answer, "is_Matrix", False) and gave.squeeze().shape == reference.shape:
        gave = gave.reshape(reference.shape)  # sympy writes every vector as a 2-d matrix
    if gave.shape != reference.shape:
        details = [("You gave", f"{short(gave)} (shape {gave.shape})")]
        details.append(("Expected", f"shape {reference.shape}"))
        if gave.ndim == 2 and gave.shape == reference.shape[::-1]:
            details.append(("Likely mistake", "the array is transposed (rows and columns swapped)"))
        raise CheckFailure(f"{name} has the wrong shape.", details)
    wrong = {k: v for k, v in misconception_arrays.items() if v.shape == gave.shape}
    compare(gave, reference, name=name, rtol=rtol, atol=atol, hidden=hidden, wrong=wrong)
