"""Which tokens a formula may contain, and the messages for those it may not."""

import pytest
import sympy

from calclib.checking import CheckFailure
from calclib.checking.formula_tokens import known_constants, known_functions, read_tokens
from calclib.checking.safe_parsing import parse_formula

x = sympy.Symbol("x")


def refusal(text: str, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        read_tokens(text, "your formula", **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("'3*x'", "text in quotes"),
        ("x.diff(x)", "without np. or math."),
        ("y = 3*x", "give only the formula"),
        ("x[0]", "brackets [ ] and { } do not group"),
        ("x < 2", "a comparison is not a formula with a value"),
        ("sin + x", "`sin` is a function: write sin(x)"),
        ("sigmoid(x)", "`sigmoid(…)` calls an unknown function"),
        ("x(x + 1)", "a product is x*(…)"),
        ("lambda*x", "`lambda` is a Python keyword"),
        ("x²", "write powers with **"),
        ("3×x", "write multiplication with *"),
        ("x % 2", "`%` cannot be used in a formula"),
        ("3j*x", "imaginary numbers"),
        ("x # comment", "`# comment` cannot be used"),
    ],
)
def test_what_is_not_maths_is_named(text, problem):
    assert problem in " ".join(refusal(text).split())


def test_the_caret_points_at_the_refused_token():
    assert refusal("2*x + np.exp(x)").split("\n")[1:3] == [
        "  You gave:  2*x + np.exp(x)",
        "                     ^",
    ]


def test_formulas_on_several_lines_or_very_long_are_refused():
    assert "should be written on one line" in refusal("x\n+ 1")
    assert "too long for a formula" in refusal("x+" * 600 + "x")


def test_students_names_for_functions_and_constants():
    assert parse_formula("ln(x) + abs(x) + arctan(x)", "f") == (
        sympy.log(x) + sympy.Abs(x) + sympy.atan(x)
    )
    assert parse_formula("π*x + e", "f") == sympy.pi * x + sympy.E


def test_names_sympy_uses_for_other_things_are_plain_variables():
    beta, gamma, big_n = sympy.symbols("beta gamma N")
    assert parse_formula("beta*x + gamma + N", "f") == beta * x + gamma + big_n


def test_known_names():
    assert {"sin", "exp", "log", "ln", "sqrt", "tanh", "Max"} <= set(known_functions())
    assert known_constants()["π"] == sympy.pi


def test_implicit_multiplication_lets_a_name_touch_a_parenthesis():
    assert [t.string for t in read_tokens("x(x + 1)", "f", implicit=True)][:2] == ["x", "("]
    assert "unknown function" in refusal("x(x + 1)")
