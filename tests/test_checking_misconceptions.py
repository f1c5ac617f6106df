"""name_mistake: data-driven detectors of likely mistakes."""

import numpy as np

from calclib.checking.misconceptions import (
    DIVERGED,
    FACTOR_HALF,
    FACTOR_TWO,
    SIGN_ERROR,
    SWAPPED,
    diverged,
    generic_wrong_answers,
    name_mistake,
)


def test_generic_wrong_answers_of_a_vector():
    wrong = generic_wrong_answers(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(wrong[SIGN_ERROR], [-1.0, -2.0])
    np.testing.assert_array_equal(wrong[FACTOR_TWO], [2.0, 4.0])
    np.testing.assert_array_equal(wrong[FACTOR_HALF], [0.5, 1.0])
    np.testing.assert_array_equal(wrong[SWAPPED], [2.0, 1.0])


def test_a_number_has_no_swapped_version():
    assert SWAPPED not in generic_wrong_answers(np.array(3.0))


def test_supplied_misconceptions_win_over_generic_ones():
    gave = np.array(-3.0)
    assert name_mistake(gave, np.array(3.0), {"forgot the minus": np.array(-3.0)}) == (
        "forgot the minus"
    )


def test_a_misconception_equal_to_the_answer_is_never_named():
    # -0 == 0: a "sign error" cannot be told from the right answer
    assert name_mistake(np.array(1.0), np.array(0.0), {}) is None


def test_non_finite_misconception_values_are_skipped():
    gave = np.array(np.nan)
    assert name_mistake(gave, np.array(1.0), {"nan": np.array(np.nan)}) is None


def test_divergence_is_named_when_nothing_else_matches():
    assert name_mistake(np.array(1e300), np.array(1.0), {}) == DIVERGED
    assert diverged(np.array([1.0, np.inf]), np.array([1.0, 1.0]))
    assert not diverged(np.array([np.nan]), np.array([1.0]))
