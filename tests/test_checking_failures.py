"""Failures and setup errors: a CheckFailure is an AssertionError with a short, labelled message
and no traceback in IPython; a mistake in a test cell's own arguments is a CheckSetupError naming
the argument, whatever check finds it; an unforeseen error is a failure that says so."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calclib.checking import (
    CheckFailure,
    CheckSetupError,
    challenge,
    check_array,
    check_between,
    check_derivative,
    check_expression,
    check_function,
    check_implementation,
    check_less,
    check_number,
    check_order,
)
from calclib.checking.challenge import forget
from calclib.checking.failures import authored, student_line, wrap
from calclib.checking.formulas import to_expr
from calclib.checking.values import check_tolerances, reference_array


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


@pytest.fixture(autouse=True)
def fresh_kernel():
    forget()
    yield
    forget()


PLEASE_TELL = "please tell your instructor."


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def broken_helper(x):
    return not_defined_in_the_test_cell(x)  # noqa: F821 - the author's typo


SETUP_MISTAKES = [
    # (check, args, kwargs, the argument named, words of the problem)
    (check_number, (1.0, None), {}, "expected", "is None: give the reference value"),
    (check_number, (1.0, "2"), {}, "expected", "should be a number, not text"),
    (check_number, (1.0, [1.0, 2.0]), {}, "expected", "must be one number, got shape (2,)"),
    (check_number, (1.0, 1.0), {"rtol": -1}, "rtol", "must be a finite number >= 0, got -1"),
    (check_number, (1.0, 1.0), {"atol": math.nan}, "atol", "finite number >= 0"),
    (check_number, (1.0, 1.0), {"misconceptions": {"m": "x"}}, "misconceptions['m']", "text"),
    (check_array, ([1.0], [1.0]), {"rtol": "1e-6"}, "rtol", "got '1e-6'"),
    (check_function, (abs, 3), {}, "reference", "must be a function, got 3"),
    (check_function, (abs, abs), {"domain": (1, 0)}, "domain", "needs low < high"),
    (check_function, (abs, abs), {"domain": [(0, 1), (0, 1)]}, "domain", "2 interval(s)"),
    (check_function, (abs, abs), {"points": [(1.0, 2.0)]}, "points", "has 2 coordinates"),
    (check_function, (abs, abs), {"n_points": -1}, "n_points", "whole number >= 0"),
    (check_function, (abs, np.log), {"domain": (-2, -1)}, "reference", "no finite number"),
    (check_function, (abs, broken_helper), {}, "reference", "raised NameError"),
    (check_expression, ("x", "3*x**"), {}, "expected", "Python cannot read"),
    (check_expression, ("x", None), {}, "expected", "is None: give the right formula"),
    (check_expression, ("x*y", "x*y"), {}, "domain", "one (low, high) interval per variable"),
    (check_expression, ("x", "x"), {"variables": "x"}, "variables", "a list of names"),
    (check_expression, ("x", "x"), {"time_limit": 0}, "time_limit", "seconds > 0"),
    (check_expression, ("x", "x"), {"misconceptions": {"m": 2j}}, "misconceptions['m']", "got"),
    (check_derivative, ("2*x", "x**2"), {"wrt": 1}, "wrt", "has the variables [x]"),
    (check_derivative, ("2*x", "x**"), {}, "f", "Python cannot read"),
    (check_derivative, (abs, abs), {"exact": "2*x**"}, "exact", "Python cannot read"),
    (check_derivative, (abs, lambda x, y: x), {}, "domain", "but `f` takes (x, y)"),
    (check_implementation, (abs, 3, [1.0]), {}, "reference", "must be a function"),
    (check_implementation, (abs, abs, []), {}, "cases", "a list of argument tuples"),
    (check_implementation, (abs, broken_helper, [1.0]), {}, "reference", "raised NameError"),
    (check_order, (central, 0), {}, "order", "whole number >= 1"),
    (check_order, (central, 2), {"hs": [0.1]}, "hs", "at least two step sizes"),
    (check_order, (central, 2), {"df": lambda x: math.nan}, "df", "no finite number"),
    (check_between, (1.0, 2.0, 1.0), {}, "low", "must be below high"),
    (check_between, (1.0, None, None), {}, "low", "both None"),
    (check_between, (1.0, "0", 2.0), {}, "low", "a number or None"),
    (check_between, (5.0, 0, 1), {"misconceptions": {"m": "big"}}, "misconceptions['m']", "range"),
    (check_less, (1.0, None), {}, "bound", "is None"),
]


@pytest.mark.parametrize(
    ("check", "args", "kwargs", "argument", "problem"),
    SETUP_MISTAKES,
    ids=[f"{c.__name__}-{arg}-{i}" for i, (c, _, _, arg, _) in enumerate(SETUP_MISTAKES)],
)
def test_a_mistake_in_the_test_cell_names_its_argument(check, args, kwargs, argument, problem):
    with pytest.raises(CheckSetupError) as info:
        check(*args, **kwargs)
    assert info.value.argument == argument
    assert problem in " ".join(str(info.value).split())
    assert not isinstance(info.value, AssertionError)  # never read as a wrong answer


def test_setup_errors_are_found_before_the_answer_is_looked_at():
    # even an unanswered exercise shows the instructor the broken test cell
    with pytest.raises(CheckSetupError):
        check_number(None, 1.0, rtol=-1)
    with pytest.raises(CheckSetupError):
        check_function(None, abs, domain=(1, 0))


STUDENT_MISTAKES = [
    (check_number, (None, 1.0), {}, "is None, not a value"),
    (check_number, ("1.0", 1.0), {}, "should be a number, not text"),
    (check_function, (lambda x: 1 / x, abs), {"points": [0.0]}, "raised ZeroDivisionError"),
    (check_function, (lambda x: undefined_name, abs), {}, "raised NameError"),  # noqa: F821
    (check_expression, ("3*x**", "3*x**2"), {}, "Python cannot read your formula"),
    (check_expression, ("__import__('os')", "3*x**2"), {}, "Cannot read your formula"),
    (check_derivative, ("3*x**2", lambda x: x**3), {}, "should be a Python function here"),
    (check_implementation, (lambda t: t[0], abs, [1.0]), {}, "raised TypeError"),
    (check_order, (lambda f, x, h: f(x), 2), {}, "does not shrink with h"),
    (check_between, (float("nan"), 0, 1), {}, "Why nan"),
]


@pytest.mark.parametrize(
    ("check", "args", "kwargs", "words"),
    STUDENT_MISTAKES,
    ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(STUDENT_MISTAKES)],
)
def test_a_mistake_in_the_answer_stays_the_students(check, args, kwargs, words):
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    assert words in str(info.value)


def test_inside_a_challenge_the_two_kinds_read_differently():
    with pytest.raises(CheckFailure) as student, challenge("q1", hints=["h"]):
        check_function(lambda x: 1 / x, abs, points=[0.0])
    assert str(student.value).startswith("✗ q1: your function raised ZeroDivisionError")
    with pytest.raises(CheckSetupError) as author, challenge("q2", hints=["h"]):
        check_function(abs, abs, domain=[(0, 1), (0, 1)])
    assert "Your code raised" not in str(author.value)
    assert str(author.value).endswith("not in your answer: please tell your instructor.")


def test_ipython_shows_the_message_and_the_line_of_the_test_cell():
    def test_cell():
        check_number(1.0, 1.0, atol=-1)

    try:
        test_cell()
    except CheckSetupError as error:
        shown = error._render_traceback_()
    line = test_cell.__code__.co_firstlineno + 1
    assert shown == [
        "Check setup error in `atol`: must be a finite number >= 0, got -1.",
        f"This is a mistake in the exercise's test cell, not in your answer: {PLEASE_TELL}",
        f"  In test_cell, line {line}: check_number(1.0, 1.0, atol=-1)",
    ]


def test_authored_turns_a_students_message_into_the_authors():
    expected = pytest.raises(CheckSetupError, match="`f`: Python cannot read f: invalid syntax")
    with expected, authored("f", "3*x**"):
        to_expr("3*x**", "f")


def test_reference_array_and_tolerances():
    assert reference_array(np.float32(2), "expected") == 2.0
    with pytest.raises(CheckSetupError, match="`expected`: is Ellipsis"):
        reference_array(..., "expected")
    check_tolerances(0, 0)
    with pytest.raises(CheckSetupError, match="`rtol`"):
        check_tolerances(True, 0)
