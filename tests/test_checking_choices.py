"""check_choice: one word among a few, with explanations of wrong choices."""

import pytest

from calclib.checking import CheckFailure, CheckSetupError, check_choice

KINDS = ["minimum", "maximum", "saddle", "inconclusive"]


def failure_of(*args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check_choice(*args, **kwargs)
    return str(info.value)


def test_case_and_spaces_do_not_matter(capsys):
    check_choice("  Saddle ", "saddle", choices=KINDS)
    assert capsys.readouterr() == ("", "")


def test_a_wrong_choice_is_explained_without_revealing_the_right_one():
    message = failure_of(
        "minimum",
        "saddle",
        choices=KINDS,
        name="kind_00",
        misconceptions={"Minimum": "det H = -9 < 0: the eigenvalues have opposite signs"},
    )
    assert message == (
        "✗ kind_00 is not right yet.\n"
        "  You gave:        'minimum'\n"
        "  Likely mistake:  det H = -9 < 0: the eigenvalues have opposite signs"
    )


def test_an_answer_outside_the_choices_lists_them():
    assert failure_of("saddle point", "saddle", choices=KINDS, name="kind_00") == (
        "✗ kind_00 should be one of: minimum, maximum, saddle, inconclusive.\n"
        "  You gave:  'saddle point'"
    )


def test_not_a_string_and_missing():
    assert "should be one of" in failure_of(3, "saddle", choices=KINDS)
    assert "is None, not a value" in failure_of(None, "saddle", choices=KINDS)


def test_hidden_check_says_so():
    assert "(expected value not shown)" in failure_of(
        "maximum", "saddle", choices=KINDS, hidden=True
    )


def test_expected_must_be_a_choice():
    with pytest.raises(CheckSetupError, match="`expected`: 'c' is not one of the choices"):
        check_choice("a", "c", choices=["a", "b"])


def test_misconceptions_must_be_choices():
    with pytest.raises(CheckSetupError, match=r"`misconceptions`: \['mininum'\] are not"):
        check_choice("a", "a", choices=["a", "minimum"], misconceptions={"mininum": "typo"})
    with pytest.raises(CheckSetupError, match="`choices`: give a list of words"):
        check_choice("a", "a", choices="ab")
