"""Which tokens a formula typed as text may contain, and what to say about the others.

A formula is numbers, the operators ``+ - * / ** ^ ( ) ,``, names of variables, and the
functions and constants of :func:`known_functions` and :func:`known_constants`. Quotes, dots,
brackets, keywords, names starting with ``_`` and calls of unknown functions are refused, each
with a message for the student and a caret under it. :mod:`calclib.checking.safe_parsing`
relies on this: what reaches sympy's ``eval`` is maths only.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import io
import itertools
import keyword
import tokenize
from functools import cache
from typing import Any

from calclib.checking.failures import CheckFailure

MAX_LENGTH = 1000  # characters in a formula
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

    Examples
    --------
    >>> print(syntax_failure("3*(x", "f", SyntaxError()))
    ✗ Python cannot read f.
      You gave:  3*(x
                   ^
      Problem:   '(' was never closed

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


def _refusal(text: str, name: str, token: tokenize.TokenInfo, problem: str) -> CheckFailure:
    """The failure for a ``token`` of ``text`` that may not be in a formula, with a caret."""
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


def token_problem(token: tokenize.TokenInfo, following: str, implicit: bool) -> str | None:
    """Why ``token`` (followed by the text ``following``) may not be in a formula, or None.

    Examples
    --------
    >>> np_, dot, *_ = tokenize.generate_tokens(io.StringIO("np.sin(x)").readline)
    >>> token_problem(np_, ".", implicit=False) is None  # a name alone is a variable
    True
    >>> token_problem(dot, "sin", implicit=False)
    'write sin(x), exp(x), … without np. or math. (a dot after a name is Python code)'

    Introduced in 02-derivatives.
    """
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


def read_tokens(text: str, name: str, implicit: bool = False) -> list[tokenize.TokenInfo]:
    """The tokens of ``text``, each allowed in a formula; else a failure pointing at the first.

    Examples
    --------
    >>> [t.string for t in read_tokens("3*x^2", "f")][:5]
    ['3', '*', 'x', '^', '2']

    Introduced in 02-derivatives.
    """
    if len(text) > MAX_LENGTH:
        raise CheckFailure(
            f"{name} is too long for a formula here.",
            [("You gave", f"{len(text)} characters"), ("Expected", f"at most {MAX_LENGTH}")],
        )
    if "\n" in text or "\r" in text:
        raise CheckFailure(f"{name} should be written on one line.", [("You gave", repr(text))])
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise syntax_failure(text, name, exc) from None
    for token, following in zip(tokens, [t.string for t in tokens[1:]] + [""]):
        problem = token_problem(token, following, implicit)
        if problem is not None:
            raise _refusal(text, name, token, problem)
    return tokens
