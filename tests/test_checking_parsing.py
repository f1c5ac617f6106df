"""Reading a student's formula: notes, syntax errors with a caret, real symbols."""

import numpy as np
import pytest
import sympy

from calclib.checking.failures import CheckFailure
from calclib.checking.parsing import (
    E_NOTE,
    XOR_NOTE,
    is_formula,
    realify,
    to_expr,
    written_size,
)
from calclib.checking.values import is_real_number

x = sympy.Symbol("x", real=True)


def failure_of(text, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        to_expr(text, **kwargs)
    return str(info.value)


def test_caret_notation_is_read_as_power_with_a_note():
    notes: list[str] = []
    assert to_expr("3*x^2", notes=notes) == 3 * x**2
    assert notes == [XOR_NOTE]


def test_e_and_ln_mean_what_students_mean():
    notes: list[str] = []
    assert to_expr("e**x + ln(x)", notes=notes) == sympy.exp(x) + sympy.log(x)
    assert notes == [E_NOTE]


def test_symbols_are_real():
    assert to_expr("sqrt(x**2)") == sympy.Abs(x)
    assert realify(sympy.Symbol("y")).is_real


def test_sympy_expressions_and_numbers_are_accepted():
    assert to_expr(sympy.sin(sympy.Symbol("x"))) == sympy.sin(x)
    assert to_expr(np.float64(0.5)) == sympy.Float(0.5)


def test_syntax_error_points_at_the_column():
    assert failure_of("3*x**") == (
        "✗ Python cannot read your formula.\n"
        "  You gave:  3*x**\n"
        "             ^\n"
        "  Problem:   invalid syntax"
    )


def test_missing_multiplication_sign_is_explained():
    message = failure_of("3x**2")
    assert "You gave:    3x**2\n               ^" in message
    assert "write multiplication with *, e.g. 3*x, not 3x" in message


def test_implicit_multiplication_can_be_allowed():
    assert to_expr("3x**2 + 2 sin(x)", implicit_multiplication=True) == 3 * x**2 + 2 * sympy.sin(x)


def test_numpy_and_math_prefixes_of_known_functions_are_read():
    assert str(to_expr("np.sin(x) * math.pi")) == "pi*sin(x)"
    assert "without np. or math." in failure_of("np.linalg.norm(x)")


def test_unclosed_parenthesis():
    assert "'(' was never closed" in failure_of("(3*x")


@pytest.mark.parametrize("value", [..., "", "  "])
def test_missing_formula(value):
    assert failure_of(value).startswith("✗ Not answered yet: your formula")


def test_a_none_formula_says_where_none_comes_from():
    assert failure_of(None).startswith("✗ your formula is None, not a value.")


def test_not_a_formula():
    assert "should be a formula" in failure_of([1, 2])


def test_a_comparison_is_not_a_formula_with_a_value():
    assert "a comparison is not a formula with a value" in failure_of("x < 2")
    assert "should be a formula with a value" in failure_of(sympy.Eq(x, 2))


def test_kind_predicates():
    assert is_formula("x") and is_formula(sympy.Integer(2)) and not is_formula(2)
    assert is_real_number(2) and not is_real_number("2") and not is_real_number(False)


def test_written_size_counts_the_formula_as_typed():
    assert written_size("x^2 + x^2") == 3
    assert written_size(sympy.Integer(2) * x) == 1
