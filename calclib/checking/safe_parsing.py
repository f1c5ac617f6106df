"""Read a formula typed as text without ever running it as Python code.

sympy's ``parse_expr`` evaluates the text it is given with Python's ``eval``, so the string
``"__import__('os').system('...')"`` would run a command. Before sympy sees a string, every
token of it is checked by :mod:`calclib.checking.formula_tokens`: numbers, the operators,
names of variables and of known functions and constants. Anything else (quotes, dots,
brackets, underscores, keywords, unknown function calls) is refused with a message that
points at it. sympy then evaluates with no Python builtins at all, powers whose exact value
would have more than ``MAX_BITS`` binary digits are refused before they are computed, and the
whole reading stops after ``PARSE_SECONDS``.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import math
import re
import tokenize
from typing import Any

from calclib.checking.failures import CheckFailure
from calclib.checking.formula_tokens import (
    known_constants,
    known_functions,
    read_tokens,
    syntax_failure,
)
from calclib.checking.timeout import OutOfTime, time_limit

MAX_BITS = 100_000  # binary digits of an exact number (about 30,000 decimal digits)
PARSE_SECONDS = 2.0


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


MODULE_PREFIX = re.compile(r"\b(?:np|numpy|math|sp|sympy)\.([A-Za-z]\w*)")


def without_module_prefixes(text: str) -> str:
    """``text`` with ``np.``, ``math.`` or ``sympy.`` dropped before a known function or constant.

    ``np.sin(x) * math.pi`` is an ordinary Python spelling of ``sin(x) * pi``; anything else
    after a dot is left alone (and refused by the token check).

    Examples
    --------
    >>> without_module_prefixes("np.exp(-x) + math.pi * np.linalg.norm(x)")
    'exp(-x) + pi * np.linalg.norm(x)'

    Introduced in 02-derivatives.
    """
    known = {**known_functions(), **known_constants(), "arcsin": 0, "arccos": 0, "arctan": 0}

    def strip(match: re.Match[str]) -> str:
        return match.group(1) if match.group(1) in known else match.group(0)

    return MODULE_PREFIX.sub(strip, text)


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

    text = without_module_prefixes(text.strip())
    tokens = read_tokens(text, name, implicit_multiplication)
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
