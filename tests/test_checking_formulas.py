"""Reading formulas: only maths tokens, never run as code, huge numbers and slow work stopped;
notes, syntax errors with a caret, real symbols; time-limited proofs and numpy functions."""

from __future__ import annotations

import builtins

import numpy as np
import pytest
import sympy
from sympy.parsing import sympy_parser

from calclib.checking import CheckFailure, CheckSetupError, check_expression
from calclib.checking.formulas import (
    E_NOTE,
    XOR_NOTE,
    as_function,
    exact_bits,
    is_formula,
    known_constants,
    known_functions,
    parse_formula,
    proven_equal,
    read_tokens,
    realify,
    symbols_of,
    to_expr,
    written_size,
)
from calclib.checking.values import is_real_number

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


def parse_refusal(text: str, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        parse_formula(text, "your formula", **kwargs)
    return str(info.value)


@pytest.fixture
def tripwire(monkeypatch):
    """A builtin that records a call: a formula that reaches it has run code."""
    calls: list[object] = []
    monkeypatch.setattr(builtins, "tripwire", calls.append, raising=False)
    return calls


@pytest.mark.parametrize(
    "attack",
    [
        "__import__('os').system('echo hi')",
        "tripwire(1)",
        "(lambda: tripwire(1))()",
        "().__class__.__bases__[0].__subclasses__()",
        "x.__class__.__init__.__globals__",
        "sympify(chr(116) + chr(114))",
        "eval('tripwire(1)')",  # both ran in sympy's own parse_expr
        "exec('tripwire(1)')",
        "exec",
        "x; tripwire(1)",
        "[tripwire(1) for t in (1,)]",
        "x if tripwire(1) else x",
        "getattr(x, 'subs')",
        "__builtins__",
    ],
)
def test_code_in_a_formula_is_refused_and_never_run(attack, tripwire):
    try:
        parse_formula(attack, "your formula")
    except CheckFailure:
        pass
    else:  # only a bare name may be read: as a harmless variable of that name
        assert attack.isidentifier()
    assert tripwire == []


def test_the_import_attack_gets_a_clear_message(capfd):
    message = parse_refusal("__import__('os').system('echo hi')")
    assert message == (
        "✗ Cannot read your formula.\n"
        "  You gave:  __import__('os').system('echo hi')\n"
        "             ^\n"
        "  Problem:   names starting with _ are Python internals, not variables"
    )
    assert "hi" not in capfd.readouterr().out


def test_a_check_refuses_the_attack_as_the_students_failure(tripwire):
    with pytest.raises(CheckFailure, match="Cannot read your formula"):
        check_expression("tripwire(1) or 3*x**2", "3*x**2")
    assert tripwire == []


@pytest.mark.parametrize("text", ["9**9**9**9", "2**(10**10)", "(2*x)**(10**7)", "x**(10**100)"])
def test_huge_exact_numbers_are_refused_before_they_are_computed(text):
    assert "too large to compute exactly" in parse_refusal(text)


def test_big_but_harmless_powers_are_read():
    assert parse_formula("x**1000000", "f") == x**1000000
    assert parse_formula("exp(10**6)", "f") == sympy.exp(1000000)
    assert parse_formula("2**0.5", "f") == sympy.Float(2**0.5)


def test_exact_bits_counts_powers_of_exact_numbers_only():
    assert exact_bits(parse_formula("10**3", "f", evaluate=False)) == 18
    assert exact_bits(parse_formula("x**10 + 2.5**100", "f", evaluate=False)) < 20


def test_reading_stops_after_the_time_limit(monkeypatch):
    def endless(*args, **kwargs):
        while True:
            pass

    monkeypatch.setattr("calclib.checking.formulas.PARSE_SECONDS", 0.05)
    monkeypatch.setattr(sympy_parser, "parse_expr", endless)
    assert "took too long to read" in parse_refusal("x + 1")


def test_implicit_multiplication_when_asked():
    assert parse_formula("2x(x + 1)", "f", implicit_multiplication=True) == 2 * x * (x + 1)
    assert parse_formula("2 sin x", "f", implicit_multiplication=True) == 2 * sympy.sin(x)


def test_unevaluated_reading_keeps_the_formula_as_written():
    assert str(parse_formula("x^2 + x^2", "f", evaluate=False)) == "x**2 + x**2"


real_x = sympy.Symbol("x", real=True)


def failure_of(text, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        to_expr(text, **kwargs)
    return str(info.value)


def test_caret_notation_is_read_as_power_with_a_note():
    notes: list[str] = []
    assert to_expr("3*x^2", notes=notes) == 3 * real_x**2
    assert notes == [XOR_NOTE]


def test_e_and_ln_mean_what_students_mean():
    notes: list[str] = []
    assert to_expr("e**x + ln(x)", notes=notes) == sympy.exp(real_x) + sympy.log(real_x)
    assert notes == [E_NOTE]


def test_symbols_are_real():
    assert to_expr("sqrt(x**2)") == sympy.Abs(real_x)
    assert realify(sympy.Symbol("y")).is_real


def test_sympy_expressions_and_numbers_are_accepted():
    assert to_expr(sympy.sin(sympy.Symbol("x"))) == sympy.sin(real_x)
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
    assert to_expr(
        "3x**2 + 2 sin(x)", implicit_multiplication=True
    ) == 3 * real_x**2 + 2 * sympy.sin(real_x)


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
    assert "should be a formula with a value" in failure_of(sympy.Eq(real_x, 2))


def test_kind_predicates():
    assert is_formula("x") and is_formula(sympy.Integer(2)) and not is_formula(2)
    assert is_real_number(2) and not is_real_number("2") and not is_real_number(False)


def test_written_size_counts_the_formula_as_typed():
    assert written_size("x^2 + x^2") == 3
    assert written_size(sympy.Integer(2) * real_x) == 1


def test_proven_equal():
    x = sympy.Symbol("x", real=True)
    assert proven_equal(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), 2.0)
    assert not proven_equal(x, x + 1, 2.0)


def test_a_sympy_error_is_no_proof():
    # a matrix minus a number is an error in sympy: "not proven", the numbers decide
    assert not proven_equal(sympy.Matrix([1]), sympy.Integer(1), 2.0)


def test_as_function_uses_sorted_symbols():
    assert as_function("y - x")(1.0, 3.0) == 2.0


def test_as_function_of_a_bad_reference_is_a_setup_error():
    with pytest.raises(CheckSetupError, match="`expected`: expected a function or a formula"):
        as_function(3, argument="expected")
    with pytest.raises(CheckSetupError, match="`exact`: Python cannot read"):
        as_function("3*x**", argument="exact")


def test_variables_must_cover_the_formula():
    with pytest.raises(CheckSetupError, match=r"`variables`: \['x'\] leaves out \['y'\]"):
        symbols_of(to_expr("x*y"), ["x"])
    with pytest.raises(CheckSetupError, match="a list of names"):
        symbols_of(to_expr("x*y"), "xy")
