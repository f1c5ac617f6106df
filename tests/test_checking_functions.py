"""check_function and check_derivative: sampling, robustness, misconceptions."""

import math

import numpy as np
import pytest
import torch

from calclib.checking import CheckFailure, check_derivative, check_function
from calclib.checking.misconceptions import FUNCTION_NOT_DERIVATIVE
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
    with pytest.raises(ValueError, match="undefined at every sample point"):
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


def test_derivative_against_an_exact_callable():
    check_derivative(lambda x: 3 * x**2, lambda x: x**3, exact=lambda x: 3 * x**2)


def test_derivative_against_calclib_numeric_derivative():
    check_derivative(np.cos, np.sin)
    message = failure_of(check_derivative, np.sin, np.sin, name="df")
    assert f"Likely mistake:  {FUNCTION_NOT_DERIVATIVE}" in message


def test_derivative_sign_error_is_named():
    message = failure_of(check_derivative, np.sin, np.cos, name="d/dx cos(x)")
    assert "Likely mistake:  a sign error" in message


def test_partial_derivative_with_respect_to_the_wrong_variable():
    def f(x, y):
        return x**2 * y

    domain = [(-1.0, 1.0), (-1.0, 1.0)]
    check_derivative(lambda x, y: x**2, f, wrt=1, domain=domain)
    message = failure_of(check_derivative, lambda x, y: 2 * x * y, f, wrt=1, domain=domain)
    assert "Likely mistake:  the partial derivative with respect to x instead of y" in message


def test_formula_function_gives_an_exact_reference_for_a_callable_answer():
    check_derivative(lambda x: 2 * x * np.cos(x**2), "sin(x**2)", rtol=1e-12, atol=1e-12)
    message = failure_of(check_derivative, lambda x: np.cos(x**2), "sin(x**2)")
    assert "Likely mistake:  the inner derivative is missing (chain rule)" in message


def test_formula_answer_needs_a_formula_function():
    with pytest.raises(TypeError, match="needs f as a formula"):
        check_derivative("3*x**2", lambda x: x**3)


def test_formula_answers_go_through_check_expression(capsys):
    check_derivative("3*x^2", "x**3")
    assert capsys.readouterr().out.startswith("Note: ^ was read as **")
    message = failure_of(check_derivative, "x**3", "x**3", name="f'(x)")
    assert f"Likely mistake:  {FUNCTION_NOT_DERIVATIVE}" in message


def test_partial_of_a_formula_may_use_every_variable_of_f():
    check_derivative("x**2", "x**2*y", wrt=1, domain=[(-1, 1), (-1, 1)])
    check_derivative(lambda x, y: x**2, "x**2*y", wrt=1, domain=[(-1, 1), (-1, 1)])
    message = failure_of(check_derivative, "2*x*y", "x**2*y", wrt=1, domain=[(-1, 1), (-1, 1)])
    assert "Likely mistake:  the partial derivative with respect to x instead of y" in message


def test_missing_derivative():
    assert failure_of(check_derivative, None, np.sin).startswith("✗ Not answered yet")
