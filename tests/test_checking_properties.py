"""No value breaks the checker: every public check passes, fails with a teaching CheckFailure, or
blames the test cell, whatever the student hands it; nothing else escapes and nothing hangs.

Answers and functions come from ``strategies.answer_values`` and ``strategies.student_functions``
(numbers of every size, text, bytes, containers, tensors of every dtype and layout, sympy objects,
objects whose conversions raise, functions that raise anything, exit, recurse or never return).
"""

from __future__ import annotations

import faulthandler
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import answer_values, formula_texts, hang_forever, student_functions

from calclib.checking import (
    CheckFailure,
    challenge,
    check_array,
    check_between,
    check_choice,
    check_derivative,
    check_expression,
    check_function,
    check_implementation,
    check_less,
    check_number,
    check_order,
)
from calclib.checking import functions as function_checks
from calclib.checking.challenge import forget
from calclib.checking.failures import COULD_NOT_JUDGE

SOME = settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True, scope="module")
def quick_time_limit() -> Iterator[None]:
    """A student's endless loop costs 0.3 s here, not 5 s; a hang of the checker kills the run."""
    saved = function_checks.STUDENT_SECONDS
    function_checks.STUDENT_SECONDS = 0.3
    faulthandler.dump_traceback_later(900, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
    function_checks.STUDENT_SECONDS = saved
    forget()


def judged(check: Callable[..., None], *args: object, **kwargs: object) -> None:
    """Run ``check``: a pass, or a CheckFailure written for the student (not the safety net's)."""
    try:
        check(*args, **kwargs)
    except CheckFailure as failure:
        message = str(failure)
        assert message.startswith("✗ ")
        assert COULD_NOT_JUDGE not in message, message


@SOME
@given(answer_values())
def test_numbers_arrays_and_ranges(answer):
    judged(check_number, answer, 2.0, name="limit_value")
    judged(check_number, answer, sympy.Rational(1, 6), exact=True)
    judged(check_array, answer, [1.0, 2.0], name="the gradient")
    judged(check_array, answer, [[4.0, 1.0], [5.0, -0.4]], exact=True)
    judged(check_between, answer, 0, 0.1, name="lr")
    judged(check_less, answer, 1e-6, learning_rate=0.5)


@SOME
@given(answer_values())
def test_choices(answer):
    judged(check_choice, answer, "saddle", choices=["minimum", "maximum", "saddle"])


@SOME
@given(st.one_of(answer_values(), formula_texts))
def test_formulas(answer):
    judged(check_expression, answer, "3*x**2", name="dcube", time_limit=0.3)
    judged(check_derivative, answer, "x**3", name="d/dx x**3")


@FEW
@given(student_functions())
def test_functions_derivatives_and_formulas_as_functions(f):
    judged(check_function, f, np.sin, name="your f", n_points=4)
    judged(check_derivative, f, lambda x: x**3, name="dcube_at", n_points=4)
    judged(check_expression, f, "3*x**2", n_points=4)


@FEW
@given(student_functions())
def test_implementations(implementation):
    cases = [(np.sin, 0.5, 0.1), (np.exp, -1.0, 0.01)]
    reference = calling_central
    judged(check_implementation, implementation, reference, cases, name="central_diff")
    judged(check_order, implementation, 2, name="central_diff")


def calling_central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


@FEW
@given(
    student_functions().filter(lambda f: f is not hang_forever)
)  # a test cell's own call: no limit
def test_challenge_turns_everything_the_student_raises_into_a_failure(f):
    forget()
    try:
        with challenge("q-property"):
            f(1.0)
    except CheckFailure as failure:
        assert COULD_NOT_JUDGE not in str(failure)
    except KeyboardInterrupt:
        pass  # the stop button (or a student's raise KeyboardInterrupt) stops the notebook
