"""check_between and check_less: a number inside a range, with teaching failures."""

import math

import numpy as np
import pytest
import sympy
import torch

from calclib.checking import CheckFailure, challenge, check_between, check_less
from calclib.checking.misconceptions import DIVERGED, SIGN_ERROR
from calclib.checking.ranges import range_text
from calclib.checking.registry import forget

DIVERGES = "above 2/L = 0.1 gradient descent diverges"


def failure_of(*args, **kwargs) -> str:
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
    assert "is too large" in failure_of(0.1, 0, 0.1)
    check_between(0.1, 0, 0.1, inclusive=True)
    assert "is too small" in failure_of(0.0, 0, 0.1)


def test_too_large_shows_the_range_and_the_named_mistake():
    message = failure_of(0.2, 0, 0.1, name="lr", misconceptions={DIVERGES: (0.1, None)})
    assert message == (
        "✗ lr is too large.\n"
        "  You gave:        0.2\n"
        "  Expected:        0 < value < 0.1\n"
        f"  Likely mistake:  {DIVERGES}"
    )


def test_a_hidden_range_shows_neither_the_range_nor_the_side():
    message = failure_of(0.2, 0, 0.1, name="lr", hidden=True)
    assert message == "✗ lr is not right yet (expected value not shown).\n  You gave:  0.2"


def test_a_number_misconception_matches_within_a_tolerance():
    mistakes = {"2 over the smallest eigenvalue": 0.5}
    assert "2 over the smallest eigenvalue" in failure_of(
        0.5000000001, 0, 0.3, misconceptions=mistakes
    )
    assert "Likely mistake" not in failure_of(0.6, 0, 0.3, misconceptions=mistakes)


def test_generic_mistakes_divergence_and_sign():
    assert DIVERGED in " ".join(failure_of(math.inf, None, 1e-6).split())
    assert DIVERGED in " ".join(failure_of(1e30, None, 1e-6).split())
    assert SIGN_ERROR in failure_of(-0.05, 0, 0.1)
    assert "Likely mistake" not in failure_of(0.5, 0, 0.1)


def test_nan_is_explained():
    message = failure_of(math.nan, None, 1e-6, name="the loss")
    assert message.startswith("✗ the loss is nan, not a number in the expected range.")
    assert "Why nan:" in message


def test_one_sided_ranges():
    check_between(5.0, 1.0, None)
    assert "Expected:  value > 1" in failure_of(0.5, 1.0, None)
    check_less(1e-7, 1e-6)
    with pytest.raises(CheckFailure, match="value < 1e-06"):
        check_less(1e-3, 1e-6, name="the loss")


def test_the_answer_must_be_one_real_number():
    assert "should be one real number" in failure_of([0.05, 0.06], 0, 0.1)
    assert "(complex)" in failure_of(0.05 + 1j, 0, 0.1)
    assert failure_of(None, 0, 0.1).startswith("✗ your answer is None, not a value.")


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
