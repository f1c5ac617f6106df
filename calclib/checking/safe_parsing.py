"""Read a formula typed as text without ever running it as Python code.

sympy's ``parse_expr`` evaluates the text it is given with Python's ``eval``, so the string
``"__import__('os').system('...')"`` would run a command. Before sympy sees a string, every
token of it is checked: numbers, the operators ``+ - * / ** ^ ( ) ,``, names of variables and
of the functions and constants in :func:`known_functions` and :func:`known_constants`. Anything else (quotes, dots,
brackets, underscores, keywords, unknown function calls) is rejected with a message that
points at it. sympy then evaluates with no Python builtins at all, powers whose exact value
would have more than ``MAX_BITS`` binary digits are refused before they are computed, and the
whole reading stops after ``PARSE_SECONDS``.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import io
import itertools
import keyword
import math
import tokenize
from functools import cache
from typing import Any

from calclib.checking.failures import CheckFailure
from calclib.checking.timeout import OutOfTime, time_limit

MAX_LENGTH = 1000  # characters in a formula
MAX_BITS = 100_000  # binary digits of an exact number (about 30,000 decimal digits)
PARSE_SECONDS = 2.0
OPERATORS = frozenset({"+", "-", "*", "/", "**", "^", "(", ")", ","})
COMPARISONS = frozenset({"<", ">", "<=", ">=", "==", "!="})
LOOKALIKES = {
    "²": "write powers with **, e.g. x**2",
    "³": "write powers with **, e.g. x**3",
    "×": "write multiplication with *",
    "·": "write multiplication with *",
    "−": "write minus with the - key",
    "√": "write sqrt(x)",
}


@cache
def known_functions() -> dict[str, Any]:
    """The functions a formula may call, by the names a student may type.

    Examples
    --------
    >>> functions = known_functions()
    >>> functions["ln"], functions["arctan"], functions["abs"]
    (log, atan, Abs)

    Introduced in 02-derivatives.
    """
    import sympy

    names = "sin cos tan cot sec csc asin acos atan atan2 sinh cosh tanh asinh acosh atanh"
    names += " exp log sqrt cbrt root Abs sign Max Min floor ceiling Heaviside erf"
    functions: dict[str, Any] = {name: getattr(sympy, name) for name in names.split()}
    functions.update(ln=sympy.log, abs=sympy.Abs, max=sympy.Max, min=sympy.Min)
    functions.update(arcsin=sympy.asin, arccos=sympy.acos, arctan=sympy.atan)
    return functions


@cache
def known_constants() -> dict[str, Any]:
    """The constants a formula may use: pi (or π), Euler's number E (or e), infinity oo.

    Examples
    --------
    >>> known_constants()["e"]
    E

    Introduced in 02-derivatives.
    """
    import sympy

    return {"pi": sympy.pi, "π": sympy.pi, "E": sympy.E, "e": sympy.E, "oo": sympy.oo}


def caret(text: str, column: int) -> str:
    """``text`` with a caret under ``column`` (counted from 1).

    Examples
    --------
    >>> print(caret("3*x**", 6))
    3*x**
         ^

    Introduced in 02-derivatives.
    """
    column = max(1, min(column, len(text) + 1))
    return f"{text}\n{' ' * (column - 1)}^"


def syntax_failure(text: str, name: str, error: Exception) -> CheckFailure:
    """A failure pointing at the syntax error in ``text`` (located by ``compile``, never run).

    Introduced in 02-derivatives.
    """
    try:
        compile(text, "<your formula>", "eval")
        located = None
    except SyntaxError as exc:
        located = exc
    if located is not None:
        details = [("You gave", caret(text, located.offset or 1)), ("Problem", str(located.msg))]
    else:
        details = [("You gave", text), ("Problem", str(error) or type(error).__name__)]
    if "np." in text or "math." in text:
        details.append(("What to do", "write sin(x), exp(x), … without np. or math."))
    elif any(ch.isdigit() and nxt.isalpha() for ch, nxt in itertools.pairwise(text)):
        details.append(("What to do", "write multiplication with *, e.g. 3*x, not 3x"))
    return CheckFailure(f"Python cannot read {name}.", details)


def _refuse(text: str, name: str, token: tokenize.TokenInfo, problem: str) -> CheckFailure:
    return CheckFailure(
        f"Cannot read {name}.",
        [("You gave", caret(text, token.start[1] + 1)), ("Problem", problem)],
    )


def _check_name(name: str, following: str, implicit_multiplication: bool) -> str | None:
    """Why the name ``name`` (followed by the token ``following``) may not appear, or None."""
    if keyword.iskeyword(name):
        return f"`{name}` is a Python keyword, not a variable: choose another name"
    if name.startswith("_"):
        return "names starting with _ are Python internals, not variables"
    lookalike = next((LOOKALIKES[ch] for ch in name if ch in LOOKALIKES), None)
    if lookalike:
        return lookalike
    if name in known_functions():
        if following == "(" or implicit_multiplication:
            return None
        return f"`{name}` is a function: write {name}(x)"
    if following == "(" and name not in known_constants() and not implicit_multiplication:
        known = "sin, cos, tan, exp, log (or ln), sqrt, abs, tanh, Max, …"
        return f"`{name}(…)` calls an unknown function (known: {known}); a product is {name}*(…)"
    return None


def _check_token(token: tokenize.TokenInfo, following: str, implicit: bool) -> str | None:
    """Why ``token`` may not appear in a formula, or None if it may."""
    kind, text = token.type, token.string
    if kind == tokenize.ENDMARKER or (kind == tokenize.NEWLINE and not text):
        return None
    if kind == tokenize.NUMBER:
        return (
            "imaginary numbers (a j at the end) are not needed here" if text[-1] in "jJ" else None
        )
    if kind == tokenize.NAME:
        return _check_name(text, following, implicit)
    if kind == tokenize.OP and text in OPERATORS:
        return None
    if kind == tokenize.STRING:
        return "text in quotes cannot be part of a formula"
    problems = {
        ".": "write sin(x), exp(x), … without np. or math. (a dot after a name is Python code)",
        "=": "give only the formula: write 3*x**2, not y = 3*x**2",
        "[": "brackets [ ] and { } do not group in a formula: use ( )",
        "{": "brackets [ ] and { } do not group in a formula: use ( )",
        **LOOKALIKES,
    }
    if text in COMPARISONS:
        return "a comparison is not a formula with a value"
    return problems.get(text, f"`{text}` cannot be used in a formula")


def _tokens(text: str, name: str) -> list[tokenize.TokenInfo]:
    if len(text) > MAX_LENGTH:
        raise CheckFailure(
            f"{name} is too long for a formula here.",
            [("You gave", f"{len(text)} characters"), ("Expected", f"at most {MAX_LENGTH}")],
        )
    if "\n" in text or "\r" in text:
        raise CheckFailure(f"{name} should be written on one line.", [("You gave", repr(text))])
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise syntax_failure(text, name, exc) from None


def exact_bits(expr: Any) -> float:
    """An upper bound on the binary digits of the exact numbers sympy computes for ``expr``.

    ``expr`` is read without evaluation; a power ``b**n`` with an integer ``n`` costs about
    ``|n|`` times the digits of ``b`` (floats and symbols cost nothing: they stay small).

    Examples
    --------
    >>> from sympy import Integer, Pow
    >>> exact_bits(Pow(Integer(10), Integer(3), evaluate=False))  # (4 + 1 bits) * 3 + 3
    18
    >>> tower = Pow(Integer(9), Pow(Integer(9), Integer(9), evaluate=False), evaluate=False)
    >>> exact_bits(tower) > MAX_BITS  # 9**(9**9): refused before it is computed
    True

    Introduced in 02-derivatives.
    """
    if expr.is_Rational:
        return int(expr.p).bit_length() + int(expr.q).bit_length()
    if expr.is_Pow:
        base, exponent = expr.args
        exponent_bits = exact_bits(exponent)
        if exponent_bits > 64:
            return math.inf
        power = exponent.doit()  # small: its exact numbers have at most 64 bits
        if power.is_Rational:
            return exact_bits(base) * max(1, abs(int(power.p))) + exponent_bits
        return exact_bits(base) + exponent_bits
    return sum(exact_bits(arg) for arg in expr.args)


def parse_formula(
    text: str, name: str, *, implicit_multiplication: bool = False, evaluate: bool = True
) -> Any:
    """The sympy expression of ``text``, read safely (see the module docstring).

    Parameters
    ----------
    text : str
        The formula as typed, e.g. ``"3*x^2"`` (``^`` is read as ``**``).
    name : str
        How messages refer to it.
    implicit_multiplication : bool
        Also accept ``3x``, ``2 sin(x)`` and ``x(x + 1)``.
    evaluate : bool
        Let sympy tidy the expression up (``x + x`` becomes ``2*x``).

    Raises
    ------
    CheckFailure
        For text that is not a formula, with a caret under the first problem.

    Examples
    --------
    >>> parse_formula("3*x^2 + ln(x)", "f")
    3*x**2 + log(x)
    >>> parse_formula("__import__('os').system('echo hi')", "f")
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ Cannot read f.
      You gave:  __import__('os').system('echo hi')
                 ^
      Problem:   names starting with _ are Python internals, not variables

    Introduced in 02-derivatives.
    """
    import sympy
    from sympy.parsing import sympy_parser as sp

    text = text.strip()
    tokens = _tokens(text, name)
    for token, following in zip(tokens, [t.string for t in tokens[1:]] + [""]):
        problem = _check_token(token, following, implicit_multiplication)
        if problem is not None:
            raise _refuse(text, name, token, problem)
    used = {t.string for t in tokens if t.type == tokenize.NAME}
    known = {**known_functions(), **known_constants()}
    local = {n: v for n, v in known.items() if n in used}
    made_by_sympy = ("Integer", "Float", "Rational", "Symbol", "Function", "Add", "Mul", "Pow")
    no_builtins: dict[str, Any] = {"__builtins__": {}}
    no_builtins.update({n: getattr(sympy, n) for n in made_by_sympy})
    transformations = sp.standard_transformations + (sp.convert_xor,)
    if implicit_multiplication:
        transformations += (sp.implicit_multiplication_application,)
    read = {"local_dict": local, "global_dict": no_builtins, "transformations": transformations}
    try:
        with time_limit(PARSE_SECONDS):
            unevaluated = sp.parse_expr(text, evaluate=False, **read)
            if exact_bits(unevaluated) > MAX_BITS:
                problem = "its numbers are too large to compute exactly (a huge power?)"
                details = [("You gave", text), ("Problem", problem)]
                raise CheckFailure(f"Cannot read {name}.", details)
            return sp.parse_expr(text, **read) if evaluate else unevaluated
    except OutOfTime:
        raise CheckFailure(
            f"{name} took too long to read (more than {PARSE_SECONDS:g} s).",
            [("You gave", text), ("What to do", "write it in a simpler form")],
        ) from None
    except CheckFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - sympy raises many kinds for unreadable text
        raise syntax_failure(text, name, exc) from None
