"""Name the mistake a wrong answer probably comes from.

A misconception is data: a label and the wrong answer that mistake produces, of the same kind
as the expected answer (a number or array for ``check_number``/``check_array``, a function for
``check_function``/``check_derivative``, an expression for ``check_expression``). Exercises
pass their own, e.g. ``misconceptions={"forgot the inner derivative (chain rule)":
lambda x: np.cos(x**2)}``; the checks add the generic ones below. When a wrong answer matches a
misconception's answer, the failure message names it.

Introduced in 01-limits.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

SIGN_ERROR = "a sign error: your answer is the negative of the expected one"
FACTOR_TWO = "a factor of 2: your answer is twice the expected one"
FACTOR_HALF = "a factor of ½: your answer is half the expected one"
SWAPPED = (
    "partial derivatives with respect to the wrong variable: "
    "your components are the expected ones in swapped order"
)
FUNCTION_NOT_DERIVATIVE = "you returned the function itself instead of its derivative"
WRONG_VARIABLE = "the partial derivative with respect to {other} instead of {wanted}"
INNER_DERIVATIVE = (
    "the inner derivative is missing (chain rule): multiply by the derivative of {inner}"
)
FORWARD_NOT_CENTRAL = (
    "a one-sided (forward) difference instead of a central one: "
    "the error shrinks like h, not like h²"
)
WHY_NAN = (
    "nan comes from an undefined step such as 0/0 or inf - inf, often after the numbers "
    "blew up in an iteration that diverges"
)
DIVERGED = (
    "the numbers blew up (inf, nan or huge): an iteration that diverges, "
    "e.g. gradient descent with a learning rate that is too large"
)
DIVERGED_AT = (
    "the numbers blew up (inf, nan or huge): with the learning rate {lr:g} the iteration "
    "diverges; every step overshoots more than the last (lr above 2/L)"
)


def why_nan(learning_rate: float | None = None) -> str:
    """Where a nan comes from; with the learning rate the iteration ran with, that rate.

    Examples
    --------
    >>> print(why_nan(0.9))
    nan after the numbers blew up: with the learning rate 0.9 the iteration diverges (inf - inf
    is nan)

    Introduced in 05-gradient-descent.
    """
    if learning_rate is None:
        return WHY_NAN
    return (
        f"nan after the numbers blew up: with the learning rate {learning_rate:g} the "
        "iteration diverges (inf - inf is nan)"
    )


def generic_wrong_answers(expected: np.ndarray) -> dict[str, np.ndarray]:
    """The wrong answers every numeric check recognises, computed from the expected one.

    Sign error (``-expected``), a factor of 2 or ½, and, for a vector of partial
    derivatives, the components in swapped order.

    Examples
    --------
    >>> sorted(generic_wrong_answers(np.array([1.0, 2.0])).values(), key=lambda a: a[0])[0]
    array([-1., -2.])

    Introduced in 01-limits.
    """
    wrong = {SIGN_ERROR: -expected, FACTOR_TWO: 2 * expected, FACTOR_HALF: expected / 2}
    if expected.ndim == 1 and expected.size >= 2:
        wrong[SWAPPED] = expected[::-1]
    return wrong


def diverged(gave: np.ndarray, expected: np.ndarray) -> bool:
    """True when an answer is infinite or more than a million times the expected scale.

    Examples
    --------
    >>> diverged(np.array(1e12), np.array(0.5)), diverged(np.array(0.6), np.array(0.5))
    (True, False)

    Introduced in 05-gradient-descent.
    """
    with np.errstate(all="ignore"):
        scale = 1.0 + float(np.nanmax(np.abs(expected), initial=0.0))
        if np.any(np.isinf(gave)):
            return True
        finite = gave[np.isfinite(gave)]
        return bool(finite.size and np.max(np.abs(finite)) > 1e6 * scale)


def name_mistake(
    gave: np.ndarray,
    expected: np.ndarray,
    wrong: Mapping[str, np.ndarray],
    rtol: float = 1e-6,
    atol: float = 1e-9,
    learning_rate: float | None = None,
) -> str | None:
    """The label of the first wrong answer that ``gave`` matches, or ``None``.

    ``wrong`` is searched in order, then the generic wrong answers, then divergence. A wrong
    answer that equals the expected one (e.g. ``-0 == 0``) never matches.

    Parameters
    ----------
    gave, expected : numpy.ndarray
        The student's values and the reference values (same points, same shape).
    wrong : mapping of str to numpy.ndarray
        Label of a misconception → the values that misconception gives.
    rtol, atol : float
        Tolerances of ``numpy.isclose``; at least ``1e-6`` relative is used.
    learning_rate : float, optional
        The rate an iteration ran with, named when the answer blew up.

    Examples
    --------
    >>> name_mistake(np.array(-3.0), np.array(3.0), {})
    'a sign error: your answer is the negative of the expected one'
    >>> name_mistake(np.array(7.0), np.array(3.0), {"you added 4": np.array(7.0)})
    'you added 4'
    >>> name_mistake(np.array(5.0), np.array(3.0), {}) is None
    True

    Introduced in 01-limits.
    """
    rtol = max(rtol, 1e-6)
    with np.errstate(all="ignore"):
        for label, values in {**wrong, **generic_wrong_answers(expected)}.items():
            values = np.asarray(values)
            if values.shape != gave.shape or not np.all(np.isfinite(values)):
                continue
            if np.allclose(values, expected, rtol=rtol, atol=atol):
                continue
            if np.allclose(gave, values, rtol=rtol, atol=atol):
                return label
    if diverged(gave, expected) or (learning_rate is not None and np.any(np.isnan(gave))):
        return DIVERGED if learning_rate is None else DIVERGED_AT.format(lr=learning_rate)
    return None
