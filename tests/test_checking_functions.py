"""check_function and check_derivative: sample points, calling a student's function (or the test
cell's own) safely and quietly, robustness, misconceptions."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

from calclib.checking import CheckFailure, CheckSetupError, check_function
from calclib.checking.functions import (
    Sampling,
    argument_names,
    check_arity,
    intervals,
    point_text,
    reference_value,
    sample_points,
    shape_failure,
    student_function,
    student_value,
    why_undefined,
)


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


def test_points_are_seeded_rounded_and_smallest_first():
    first = sample_points((-2, 2), n_points=8, seed=3)
    assert first == sample_points((-2, 2), n_points=8, seed=3)
    assert first != sample_points((-2, 2), n_points=8, seed=4)
    norms = [abs(p[0]) for p in first]
    assert norms == sorted(norms)
    assert all(round(p[0], 3) == p[0] for p in first)


def test_several_arguments_and_extra_points():
    points = sample_points([(0, 1), (10, 11)], n_points=4, points=[(0.0, 0.0)])
    assert points[0] == (0.0, 0.0)
    assert all(len(p) == 2 and 10 <= p[1] <= 11 for p in points[1:])


def test_a_bad_domain_is_a_setup_error():
    with pytest.raises(CheckSetupError, match="`domain`: each interval needs low < high"):
        intervals((1, 0))
    with pytest.raises(CheckSetupError, match="`domain`: give \\(low, high\\)"):
        intervals(5)
    with pytest.raises(CheckSetupError, match="`domain`: each interval needs low < high"):
        intervals([(0, 1, 2)])


def test_extra_points_must_match_the_domain():
    with pytest.raises(CheckSetupError, match="`points`: \\(1.0, 2.0\\) has 2 coordinates"):
        sample_points((0, 1), points=[(1.0, 2.0)])
    with pytest.raises(CheckSetupError, match="`n_points`: is 0 and no points"):
        sample_points((0, 1), n_points=0)
    with pytest.raises(CheckSetupError, match="`n_points`: must be a whole number"):
        sample_points((0, 1), n_points=2.5)


def test_argument_names_fall_back_to_xyz():
    assert argument_names(lambda w, b: 0, 2) == ["w", "b"]
    assert argument_names(lambda *args: 0, 3) == ["x", "y", "z"]
    assert argument_names(lambda *args: 0, 5)[-1] == "x5"


def test_point_text():
    assert point_text((0.25,), ["t"]) == "t = 0.25"


def test_sampling_options_check_their_tolerances_and_sample():
    options = Sampling("f", (0, 1), n_points=3, points=(0.5,))
    assert options.sample() == sample_points((0, 1), 3, 0, [0.5])
    with pytest.raises(CheckSetupError, match="`rtol`"):
        Sampling("f", (0, 1), rtol=-1.0)


def test_arity_of_the_test_cells_function_must_match_the_domain():
    check_arity(lambda w, b: w, 2, "reference")
    check_arity(max, 3, "reference")  # no readable signature: not checked
    with pytest.raises(CheckSetupError, match="`domain`: has 1 interval.*takes \\(w, b\\)"):
        check_arity(lambda w, b: w, 1, "reference")


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
    assert student_function(np.sin, "f") is np.sin
    with pytest.raises(CheckFailure, match="f is None, not a value"):
        student_function(None, "f")


def test_shape_failure_names_what_was_wanted():
    failure = shape_failure("f", "x = 1", np.zeros(2), np.array(1.0))
    assert str(failure) == (
        "✗ f returned a value of the wrong shape.\n"
        "  At:        x = 1\n"
        "  You gave:  [0. 0.] (shape (2,))\n"
        "  Expected:  a single number"
    )
