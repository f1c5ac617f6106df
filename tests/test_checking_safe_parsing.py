"""Reading formula text safely: code is refused (never run), huge numbers and slow work stopped."""

import builtins

import pytest
import sympy
from sympy.parsing import sympy_parser

from calclib.checking import CheckFailure, check_expression
from calclib.checking.safe_parsing import exact_bits, parse_formula

x = sympy.Symbol("x")


def refusal(text: str, **kwargs) -> str:
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
    message = refusal("__import__('os').system('echo hi')")
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
    assert "too large to compute exactly" in refusal(text)


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

    monkeypatch.setattr("calclib.checking.safe_parsing.PARSE_SECONDS", 0.05)
    monkeypatch.setattr(sympy_parser, "parse_expr", endless)
    assert "took too long to read" in refusal("x + 1")


def test_implicit_multiplication_when_asked():
    assert parse_formula("2x(x + 1)", "f", implicit_multiplication=True) == 2 * x * (x + 1)
    assert parse_formula("2 sin x", "f", implicit_multiplication=True) == 2 * sympy.sin(x)


def test_unevaluated_reading_keeps_the_formula_as_written():
    assert str(parse_formula("x^2 + x^2", "f", evaluate=False)) == "x**2 + x**2"
