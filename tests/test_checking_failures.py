"""CheckFailure: an AssertionError with a short, labelled message and no traceback in IPython."""

import pytest

from calclib.checking.failures import CheckFailure, student_line, wrap


def test_is_an_assertion_error_so_nbgrader_scores_zero():
    with pytest.raises(AssertionError):
        raise CheckFailure("x is not right yet.")


def test_message_aligns_labels_under_the_headline():
    failure = CheckFailure("f'(2) is not right yet.", [("You gave", "6.0"), ("Expected", "12.0")])
    assert str(failure) == ("✗ f'(2) is not right yet.\n  You gave:  6.0\n  Expected:  12.0")


def test_hint_and_challenge_id_are_added_to_the_message():
    failure = CheckFailure("x is not right yet.", [("You gave", "1.0")])
    failure.add("Hint 1 of 2", "Look at the table.")
    failure.set_challenge("q1-limit-value")
    assert str(failure) == (
        "✗ q1-limit-value: x is not right yet.\n"
        "  You gave:     1.0\n"
        "  Hint 1 of 2:  Look at the table."
    )
    assert failure.args == (str(failure),)


def test_long_prose_wraps_and_continues_under_its_column():
    failure = CheckFailure("x.", [("Why", "word " * 20)])
    lines = str(failure).split("\n")
    assert len(lines) == 3
    assert lines[2].startswith(" " * 8 + "word")


def test_values_are_never_rewrapped():
    value = "[" + " ".join(["1."] * 40) + "]"
    assert str(CheckFailure("x.", [("You gave", value)])).count("\n") == 1


def test_ipython_shows_only_the_message_lines():
    failure = CheckFailure("x is not right yet.", [("You gave", "1.0")])
    assert failure._render_traceback_() == ["✗ x is not right yet.", "  You gave:  1.0"]


def test_wrap_keeps_words_whole():
    assert wrap("aaa bbb ccc", width=7) == "aaa bbb\nccc"


def test_student_line_names_the_function_and_the_line():
    def f(x):
        return 1 / x

    try:
        f(0)
    except ZeroDivisionError as exc:
        assert student_line(exc) == "in f: return 1 / x"
