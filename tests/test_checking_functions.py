"""check_function and check_derivative: sampling, robustness, misconceptions."""

import math

import numpy as np
import pytest
import torch

from calclib.checking import CheckFailure, CheckSetupError, check_function
from calclib.checking.sampling import sample_points


def failure_of(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    return str(info.value)


def test_equal_functions_pass_quietly(capsys):
    check_function(lambda x: x * x, lambda x: x**2)
    check_function(lambda x: torch.tensor(x) ** 2, lambda x: x**2)  # tensors out are fine
    assert capsys.readouterr() == ("", "")


def test_the_smallest_failing_input_is_reported():
    def f(x):
        return x**2 if abs(x) < 1 else 0.0

    message = failure_of(check_function, f, lambda x: x**2, name="f", seed=5)
    smallest = min(abs(p[0]) for p in sample_points((-2.0, 2.0), 12, 5) if abs(p[0]) >= 1)
    lines = message.split("\n")
    assert lines[1] in (
        f"  At:              x = {smallest:g}",
        f"  At:              x = -{smallest:g}",
    )
    assert lines[2].startswith("  Failing inputs:  ")


def test_points_where_the_reference_is_undefined_are_skipped():
    check_function(lambda x: math.log(x) if x > 0 else 0.0, np.log, domain=(-1, 1))


def test_reference_undefined_everywhere_is_an_authoring_error():
    expected = "`reference`: gives no finite number at any sample point of \\(-2, -1\\) \\(it"
    with pytest.raises(CheckSetupError, match=expected):
        check_function(np.log, np.log, domain=(-2, -1))


def test_not_a_function():
    assert failure_of(check_function, 3.0, np.sin) == (
        "✗ your function should be a function (a def or a lambda).\n"
        "  You gave:  3.0 (of type float)"
    )


def test_stub_function_is_not_answered_yet():
    def f(x):
        raise NotImplementedError()

    assert failure_of(check_function, f, np.sin).startswith("✗ Not answered yet: your function.")


def test_wrong_shape_is_reported_with_the_input():
    message = failure_of(check_function, lambda x: [x, x], np.sin, points=[0.0])
    assert message == (
        "✗ your function returned a value of the wrong shape.\n"
        "  At:        x = 0\n"
        "  You gave:  [0. 0.] (shape (2,))\n"
        "  Expected:  a single number"
    )


def test_nan_from_the_student_fails_with_why():
    message = failure_of(check_function, lambda x: float("nan"), np.sin)
    assert "You gave:        nan" in message
    assert "Why nan:" in message


def test_several_arguments():
    check_function(lambda a, b: a * b, lambda a, b: b * a, domain=[(-1, 1), (0, 2)])
    message = failure_of(
        check_function, lambda a, b: a + b, lambda a, b: a * b, domain=[(0, 1), (0, 1)]
    )
    assert "  At:              (a, b) = (" in message


def test_misconception_functions_are_matched_on_all_points():
    message = failure_of(
        check_function,
        np.cos,
        lambda x: 2 * x * np.cos(x**2),
        misconceptions={"forgot the inner derivative": lambda x: np.cos(x**2), "cos": np.cos},
    )
    assert "Likely mistake:  cos" in message
