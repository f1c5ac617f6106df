"""check_number, check_array, check_between and check_less: tolerance, shape, ranges, and the
messages they give."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch

from calclib.checking import (
    CheckFailure,
    challenge,
    check_array,
    check_between,
    check_less,
    check_number,
)
from calclib.checking.challenge import forget
from calclib.checking.misconceptions import DIVERGED, SIGN_ERROR
from calclib.checking.numeric import range_text


def failure_of(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    return str(info.value)


def test_close_numbers_pass_quietly(capsys):
    check_number(0.1 + 0.2, 0.3)
    check_number(torch.tensor(2.0), 2)
    check_number([2.0], 2)  # a one-element list is a number
    assert capsys.readouterr() == ("", "")


def test_tolerance_is_relative_plus_absolute():
    check_number(100.0001, 100, rtol=1e-6, atol=1e-4)
    assert "not right yet" in failure_of(check_number, 100.001, 100, rtol=1e-6, atol=1e-4)


def test_a_wrong_number_says_which_way_it_is_off_never_the_answer():
    assert failure_of(check_number, 5.0, 3.0, name="the slope") == (
        "✗ the slope is not right yet.\n  You gave:  5.0\n  Off:       too large"
    )
    assert "Off:       slightly too small" in failure_of(check_number, 2.999, 3.0)


def test_reveal_shows_an_expected_number_that_is_not_the_answer():
    message = failure_of(check_number, 0.5, 0.25, name="the MSE", reveal=True)
    assert "Expected:        0.25 (within rtol=1e-06, atol=1e-09)" in message


@pytest.mark.parametrize("gave", ["1/6", Fraction(1, 6), sympy.Rational(1, 6), 1 / 6, "2/12"])
def test_exact_answers_pass_an_exact_check(gave):
    check_number(gave, sympy.Rational(1, 6), exact=True)


@pytest.mark.parametrize("gave", [0.1666666667, "0.1666666667", 0.16667])
def test_a_rounded_decimal_fails_an_exact_check(gave):
    message = failure_of(check_number, gave, sympy.Rational(1, 6), exact=True, name="g(0)")
    assert message.startswith("✗ g(0) is close, but not exact.")
    assert "1/6" not in message


def test_an_exact_check_of_an_irrational_takes_the_nearest_float():
    check_number(9 * math.log(3), 9 * sympy.log(3), exact=True)
    check_number("9*log(3)", 9 * sympy.log(3), exact=True)
    assert "not exact" in failure_of(check_number, 9.887510598, 9 * sympy.log(3), exact=True)


def test_an_exact_array_refuses_a_numeric_estimate():
    exact = [[4.0, 1.0], [5.0, math.cos(2.0)]]
    check_array(np.array(exact), exact, exact=True)
    estimate = np.array(exact) + 1e-9
    assert "close, but not exact" in failure_of(check_array, estimate, exact, exact=True)


def test_hidden_check_hides_the_expected_value():
    message = failure_of(check_number, 5.0, 3.0, name="the slope", hidden=True)
    assert message == "✗ the slope is not right yet (expected value not shown).\n  You gave:  5.0"


def test_an_array_is_not_one_number():
    assert failure_of(check_number, [1.0, 2.0], 3.0) == (
        "✗ your answer should be a single number.\n  You gave:  [1. 2.] (shape (2,))"
    )


@pytest.mark.parametrize(
    ("gave", "mistake"),
    [
        (-3.0, "a sign error"),
        (6.0, "a factor of 2"),
        (1.5, "a factor of ½"),
        (1e9, "the numbers blew up"),
        (float("inf"), "the numbers blew up"),
    ],
)
def test_generic_mistakes_are_named(gave, mistake):
    assert f"Likely mistake:  {mistake}" in failure_of(check_number, gave, 3.0)


def test_nan_is_explained():
    assert "Why nan:" in failure_of(check_number, float("nan"), 3.0)


def test_exercise_misconceptions_are_named_first():
    message = failure_of(check_number, 7.0, 3.0, misconceptions={"you added 4 twice": 7.0})
    assert "Likely mistake:  you added 4 twice" in message


def test_arrays_pass_in_any_array_form(capsys):
    check_array(torch.tensor([1.0, 2.0]), [1, 2])
    check_array((1.0, 2.0), np.array([1.0, 2.0]))
    assert capsys.readouterr() == ("", "")


def test_array_shape_mismatch():
    message = failure_of(check_array, np.zeros((3, 2)), np.zeros((2, 3)), name="J")
    assert message == (
        "✗ J has the wrong shape.\n"
        "  You gave:        [[0. 0.] [0. 0.] [0. 0.]] (shape (3, 2))\n"
        "  Expected:        shape (2, 3)\n"
        "  Likely mistake:  the array is transposed (rows and columns swapped)"
    )


def test_array_message_counts_entries_off_and_names_swapped_partials():
    message = failure_of(check_array, [2.0, 1.0], [1.0, 2.0], name="the gradient")
    assert "Entries off:     2 of 2: [0] too large, [1] too small" in message
    assert "Expected" not in message
    assert "partial derivatives with respect to the wrong variable" in message


def test_array_first_entry_off_is_an_index_tuple_in_2d():
    message = failure_of(check_array, [[1.0, 2.0], [3.0, 5.0]], [[1.0, 2.0], [3.0, 4.0]])
    assert "Entries off:  1 of 4: [1, 1] too large" in message


def test_array_misconception_of_other_shape_is_ignored():
    message = failure_of(check_array, [1.0, 5.0], [1.0, 2.0], misconceptions={"odd": [1.0]})
    assert "Likely mistake" not in message


DIVERGES = "above 2/L = 0.1 gradient descent diverges"


def range_failure(*args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check_between(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    "answer", [0.05, np.float32(0.05), np.array(0.05), torch.tensor(0.05), sympy.Rational(1, 20)]
)
def test_numbers_inside_pass_in_any_form(answer, capsys):
    check_between(answer, 0, 0.1, name="lr")
    assert capsys.readouterr() == ("", "")


def test_bounds_are_excluded_unless_inclusive():
    assert "is too large" in range_failure(0.1, 0, 0.1)
    check_between(0.1, 0, 0.1, inclusive=True)
    assert "is too small" in range_failure(0.0, 0, 0.1)


def test_too_large_shows_the_range_and_the_named_mistake():
    message = range_failure(0.2, 0, 0.1, name="lr", misconceptions={DIVERGES: (0.1, None)})
    assert message == (
        "✗ lr is too large.\n"
        "  You gave:        0.2\n"
        "  Expected:        0 < value < 0.1\n"
        f"  Likely mistake:  {DIVERGES}"
    )


def test_a_hidden_range_shows_neither_the_range_nor_the_side():
    message = range_failure(0.2, 0, 0.1, name="lr", hidden=True)
    assert message == "✗ lr is not right yet (expected value not shown).\n  You gave:  0.2"


def test_a_number_misconception_matches_within_a_tolerance():
    mistakes = {"2 over the smallest eigenvalue": 0.5}
    assert "2 over the smallest eigenvalue" in range_failure(
        0.5000000001, 0, 0.3, misconceptions=mistakes
    )
    assert "Likely mistake" not in range_failure(0.6, 0, 0.3, misconceptions=mistakes)


def test_generic_mistakes_divergence_and_sign():
    assert DIVERGED in " ".join(range_failure(math.inf, None, 1e-6).split())
    assert DIVERGED in " ".join(range_failure(1e30, None, 1e-6).split())
    assert SIGN_ERROR in range_failure(-0.05, 0, 0.1)
    assert "Likely mistake" not in range_failure(0.5, 0, 0.1)


def test_nan_outside_a_range_is_explained():
    message = range_failure(math.nan, None, 1e-6, name="the loss")
    assert message.startswith("✗ the loss is nan, not a number in the expected range.")
    assert "Why nan:" in message


def test_one_sided_ranges():
    check_between(5.0, 1.0, None)
    assert "Expected:  value > 1" in range_failure(0.5, 1.0, None)
    check_less(1e-7, 1e-6)
    with pytest.raises(CheckFailure, match="value < 1e-06"):
        check_less(1e-3, 1e-6, name="the loss")


def test_the_answer_must_be_one_real_number():
    assert "should be one real number" in range_failure([0.05, 0.06], 0, 0.1)
    assert "(complex)" in range_failure(0.05 + 1j, 0, 0.1)
    assert range_failure(None, 0, 0.1).startswith("✗ your answer is None, not a value.")


def test_range_text():
    assert range_text(-1, 1, inclusive=True) == "-1 <= value <= 1"
    assert range_text(None, 0.5) == "value < 0.5"


def test_counts_as_a_check_inside_a_challenge(capsys):
    forget()
    with challenge("q-lr"):
        check_between(0.05, 0, 0.1)
        check_less(0.0, 1e-6)
    assert capsys.readouterr().out == "✓ q-lr: passed (2 checks).\n"
    forget()
