"""check_derivative: numeric, exact and symbolic references; chain-rule and variable mistakes."""

import numpy as np
import pytest
import sympy

from calclib.checking import CheckFailure, CheckSetupError, check_derivative
from calclib.checking.derivatives import derivative_expected, inner_derivative_mistakes
from calclib.checking.formulas import to_expr
from calclib.checking.misconceptions import FUNCTION_NOT_DERIVATIVE


def failure_of(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    return str(info.value)


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


def test_missing_derivative():
    assert "is None, not a value" in failure_of(check_derivative, None, np.sin)


def test_inner_derivative_mistakes_drop_one_inner_derivative():
    x = sympy.Symbol("x", real=True)
    wrong = inner_derivative_mistakes(sympy.exp(sympy.sin(3 * x)), x)
    values = set(wrong.values())
    assert sympy.cos(3 * x) * sympy.exp(sympy.sin(3 * x)) in values  # 3 (of 3x) missing
    assert sympy.exp(sympy.sin(3 * x)) in values  # 3*cos(3x) (of sin(3x)) missing


def test_derivative_expected_of_several_variables():
    expected, wrong, variables = derivative_expected("x**2*y", None, 1)
    assert expected == to_expr("x**2")
    assert [v.name for v in variables] == ["x", "y"]
    assert wrong["the partial derivative with respect to x instead of y"] == to_expr("2*x*y")
    with pytest.raises(CheckSetupError, match="`wrt`: is 2 but x\\*y has the variables"):
        derivative_expected("x*y", None, 2)


def test_formula_function_gives_an_exact_reference_for_a_callable_answer():
    check_derivative(lambda x: 2 * x * np.cos(x**2), "sin(x**2)", rtol=1e-12, atol=1e-12)
    message = failure_of(check_derivative, lambda x: np.cos(x**2), "sin(x**2)")
    assert "Likely mistake:  the inner derivative is missing (chain rule)" in message


def test_a_formula_where_a_function_is_wanted_is_the_students_to_fix():
    message = failure_of(check_derivative, "3*x**2", lambda x: x**3, name="df")
    assert message.startswith("✗ df should be a Python function here, not a formula.")
    assert "def df(x): return 3 * x**2" in message


def test_wrt_out_of_range_for_a_function_is_a_setup_error():
    with pytest.raises(CheckSetupError, match="`wrt`: is 1 but the domain has 1 interval"):
        check_derivative(lambda x: 1.0, lambda x: x, wrt=1)


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


def test_a_number_is_a_constant_derivative_of_a_formula():
    check_derivative(-1, "2*a - b + c**2", wrt=1, domain=[(-2.0, 2.0)] * 3)
    message = failure_of(check_derivative, 1, "2*a - b + c**2", wrt=1, domain=[(-2.0, 2.0)] * 3)
    assert "Likely mistake:  a sign error" in message


def test_a_number_for_a_function_derivative_asks_for_a_function():
    assert "should be a function" in failure_of(check_derivative, 3.0, lambda x: 3 * x)
