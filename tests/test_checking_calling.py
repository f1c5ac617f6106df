"""Calling a student's function, or the test cell's own, safely and quietly."""

import warnings

import numpy as np
import pytest

from calclib.checking import CheckSetupError
from calclib.checking.calling import (
    reference_value,
    require_callable,
    shape_failure,
    student_value,
    why_undefined,
)
from calclib.checking.failures import CheckFailure


def test_a_broken_reference_is_a_setup_error_not_undefined():
    with pytest.raises(CheckSetupError, match="`reference`: raised NameError"):
        reference_value(lambda x: undefined_helper(x), (1.0,))  # noqa: F821


def test_reference_value_is_none_where_undefined():
    assert reference_value(np.log, (-1.0,)) is None
    assert reference_value(lambda x: 1 / x, (0.0,)) is None
    assert reference_value(np.exp, (0.0,)) == 1.0


def test_student_warnings_never_reach_stderr(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping would raise here
        value = student_value(lambda x: np.log(x), (-1.0,), "f", "x = -1")
    assert np.isnan(value)
    assert capsys.readouterr().err == ""


def test_student_error_message_has_input_and_line():
    def f(x):
        return {}[x]

    with pytest.raises(CheckFailure) as info:
        student_value(f, (1.0,), "your f", "x = 1")
    assert str(info.value) == (
        "✗ your f raised KeyError: 1.0\n  At:     x = 1\n  Where:  in f: return {}[x]"
    )


def test_student_none_suggests_a_missing_return():
    with pytest.raises(CheckFailure) as info:
        student_value(lambda x: None, (1.0,), "your f", "x = 1")
    assert "a missing `return`" in str(info.value)


def test_non_numeric_result_says_where():
    with pytest.raises(CheckFailure) as info:
        student_value(lambda x: "one", (1.0,), "your f", "x = 1")
    assert str(info.value).split("\n")[1] == "  At:          x = 1"


def test_why_undefined_says_what_happened():
    assert why_undefined(np.log, (-1.0,)) == "it returned nan"
    assert why_undefined(lambda x: {}[x], (1.0,)) == "KeyError: 1.0"


def test_require_callable_returns_the_function_or_fails_for_the_student():
    assert require_callable(np.sin, "f") is np.sin
    with pytest.raises(CheckFailure, match="f is None, not a value"):
        require_callable(None, "f")


def test_shape_failure_names_what_was_wanted():
    failure = shape_failure("f", "x = 1", np.zeros(2), np.array(1.0))
    assert str(failure) == (
        "✗ f returned a value of the wrong shape.\n"
        "  At:        x = 1\n"
        "  You gave:  [0. 0.] (shape (2,))\n"
        "  Expected:  a single number"
    )
