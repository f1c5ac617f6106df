"""Read a formula (a string or a sympy expression) without ever running it as Python code, and
use it: prove two formulas equal within a time limit, or evaluate one with numpy.

sympy's ``parse_expr`` evaluates the text it is given with Python's ``eval``, so the string
``"__import__('os').system('...')"`` would run a command. Before sympy sees a string, every
token of it is checked (:func:`read_tokens`): numbers, the operators ``+ - * / ** ^ ( ) ,``,
names of variables and of the functions and constants of :func:`known_functions` and
:func:`known_constants`. Anything else (quotes, dots, brackets, underscores, keywords, unknown
function calls) is refused with a message and a caret under it. sympy then evaluates with no
Python builtins at all, powers whose exact value would have more than ``MAX_BITS`` binary digits
are refused before they are computed, and the whole reading stops after ``PARSE_SECONDS``.

:func:`to_expr` is the entry point the checks use: it reads ``^`` as ``**`` (with a note) and,
if asked, implicit multiplication (``3x``), and makes every symbol real, so that e.g.
``sqrt(x**2)`` simplifies to ``Abs(x)``. A syntax error gets a message with a caret under the
place Python stopped reading. :func:`proven_equal` and :func:`as_function` use what it read.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import io
import itertools
import keyword
import math
import re
import tokenize
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np

from calclib.checking.failures import CheckFailure, CheckSetupError, authored, short
from calclib.checking.timeout import OutOfTime, time_limit
from calclib.checking.unanswered import not_answered
from calclib.checking.values import is_missing, is_real_number

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
MAX_BITS = 100_000  # binary digits of an exact number (about 30,000 decimal digits)
PARSE_SECONDS = 2.0
MODULE_PREFIX = re.compile(r"\b(?:np|numpy|math|sp|sympy)\.([A-Za-z]\w*)")
XOR_NOTE = "^ was read as ** (in Python, x**2 is x squared; x^2 means something else)."
E_NOTE = "e was read as Euler's number; exp(x) is the clearest way to write e**x."


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


def is_formula(value: object) -> bool:
    """True for a string or a sympy object (checked without importing sympy).

    Examples
    --------
    >>> is_formula("3*x**2"), is_formula(lambda x: x)
    (True, False)

    Introduced in 02-derivatives.
    """
    return isinstance(value, str) or type(value).__module__.split(".")[0] == "sympy"


def realify(expr: Any) -> Any:
    """``expr`` with every symbol replaced by a real symbol of the same name.

    Examples
    --------
    >>> import sympy
    >>> realify(sympy.sqrt(sympy.Symbol("x") ** 2))
    Abs(x)

    Introduced in 02-derivatives.
    """
    import sympy

    return expr.xreplace({s: sympy.Symbol(s.name, real=True) for s in expr.free_symbols})


def to_expr(
    value: object,
    name: str = "your formula",
    *,
    implicit_multiplication: bool = False,
    notes: list[str] | None = None,
) -> Any:
    """The sympy expression (with real symbols) of a string or sympy answer.

    Parameters
    ----------
    value : str or sympy expression
        The formula, e.g. ``"3*x^2"`` or ``sympy.sin(x)``.
    name : str
        How messages refer to it.
    implicit_multiplication : bool
        Also accept ``3x`` and ``2 sin(x)``.
    notes : list of str, optional
        Receives notes about how the string was read (``^`` as ``**``, ``e`` as Euler's number).

    Raises
    ------
    CheckFailure
        For a missing answer or a formula that cannot be read (with a caret under the spot).

    Examples
    --------
    >>> to_expr("3*x^2")
    3*x**2

    Introduced in 02-derivatives.
    """
    import sympy

    if isinstance(value, str):
        if not value.strip():
            raise not_answered(name, value)
        expr = parse_formula(value, name, implicit_multiplication=implicit_multiplication)
    elif isinstance(value, sympy.Basic):
        expr = value
    elif is_missing(value):
        raise not_answered(name, value)
    elif is_real_number(value):
        if isinstance(value, (int, np.integer)):
            return sympy.Integer(int(value))  # any size: math.factorial(25), -10**400
        return sympy.Float(float(value))  # type: ignore[arg-type]
    else:
        raise CheckFailure(
            f"{name} should be a formula (a string like '3*x**2' or a sympy expression).",
            [("You gave", f"{short(value)} (of type {type(value).__name__})")],
        )
    if not isinstance(expr, sympy.Expr):
        raise CheckFailure(
            f"{name} should be a formula with a value.", [("You gave", f"{value} (read as {expr})")]
        )
    if expr.has(sympy.zoo, sympy.nan):
        shown = value.strip() if isinstance(value, str) else str(value)
        raise CheckFailure(
            f"{name} has no value: it divides by zero.",
            [
                ("You gave", shown),
                ("Problem", "a division by 0 somewhere (such as x/0 or 1/(x - x)) is undefined"),
            ],
        )
    if notes is not None and isinstance(value, str):
        if "^" in value:
            notes.append(XOR_NOTE)
        if any(tok == "e" for tok in _names(value)):
            notes.append(E_NOTE)
    return realify(expr)


def _names(text: str) -> list[str]:
    """The names in ``text`` as Python reads them (the e of 1e-12 is part of a number)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [token.string for token in tokens if token.type == tokenize.NAME]


def written_size(value: object) -> int:
    """How many operations the formula has as written, before sympy tidies it up.

    ``"x^2 + x^2"`` has three (sympy would read it as ``2*x**2``, two).

    Examples
    --------
    >>> written_size("x^2 + x^2"), written_size("2*x**2")
    (3, 2)

    Introduced in 02-derivatives.
    """
    import sympy

    if not isinstance(value, str):
        return int(sympy.count_ops(value))
    try:
        expr = parse_formula(value, "the formula", evaluate=False)
    except CheckFailure:  # only a size estimate; the answer was read already
        return 0
    return int(sympy.count_ops(expr))


@cache
def warm_up() -> None:
    """Run ``simplify`` once, untimed, so that the modules it imports lazily are imported whole.

    A time limit that strikes in the middle of an import would leave a half-imported module
    behind (and an open file); after this, the timed proofs import nothing.

    Introduced in 02-derivatives.
    """
    import sympy

    x = sympy.Symbol("x", real=True)
    sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 + sympy.exp(x) / x + sympy.sqrt(x**2))


def proven_equal(answer: Any, expected: Any, seconds: float) -> bool:
    """True if sympy proves ``answer == expected`` within ``seconds`` (False: not proven).

    Where no time limit can be set (outside the main thread) only ``expand`` is tried; an
    error inside sympy counts as "not proven", and the numeric comparison decides.

    Examples
    --------
    >>> proven_equal(to_expr("sin(x)**2 + cos(x)**2"), to_expr("1"), 2.0)
    True

    Introduced in 02-derivatives.
    """
    import sympy

    warm_up()
    try:
        with time_limit(seconds) as limited:
            difference = answer - expected
            if difference == 0:
                return True
            if not limited:
                return bool(sympy.expand(difference) == 0)
            return bool(sympy.simplify(difference) == 0)
    except OutOfTime:
        return False
    except Exception:  # noqa: BLE001 - a sympy failure is no proof; the numbers decide
        return False


def symbols_of(expr: Any, names: Sequence[str] | None = None) -> list[Any]:
    """The variables of ``expr``: real symbols called ``names``, or its symbols sorted by name.

    The order is the argument order of the formula as a function.

    Examples
    --------
    >>> symbols_of(to_expr("y*x")), symbols_of(to_expr("x**2"), ["x", "y"])
    ([x, y], [x, y])

    Introduced in 02-derivatives.
    """
    import sympy

    if names is None:
        return sorted(expr.free_symbols, key=lambda s: s.name)
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise CheckSetupError(
            "variables", f"give a list of names such as ['x', 'y'], got {names!r}"
        )
    variables = [sympy.Symbol(name, real=True) for name in names]
    missing = expr.free_symbols - set(variables)
    if missing:
        left_out = sorted(map(str, missing))
        raise CheckSetupError("variables", f"{list(names)} leaves out {left_out} of {expr}")
    return variables


def as_function(
    value: object, variables: Sequence[Any] | None = None, argument: str = "reference"
) -> Callable[..., Any]:
    """A numpy function of a formula (arguments: its symbols sorted by name), or ``value``.

    ``value`` is the test cell's own (``argument`` names it in a :class:`CheckSetupError`),
    or a student's formula already read by :func:`to_expr`.

    Examples
    --------
    >>> as_function("x**2 + y")(3.0, 1.0)
    10.0

    Introduced in 02-derivatives.
    """
    if not is_formula(value):
        if not callable(value):
            problem = f"expected a function or a formula, got {value!r}"
            raise CheckSetupError(argument, problem)
        return value
    import sympy

    with authored(argument, value):
        expr = to_expr(value, argument)
    return sympy.lambdify(list(variables or symbols_of(expr)), expr, modules="numpy")
