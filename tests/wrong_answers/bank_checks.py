"""Wrong answers and right answers in unusual forms, for each kind of check.

Each wrong answer is one a student plausibly gives; its message substring is the part of the
feedback that teaches (the named mistake, or what to do). Right answers come in the forms
students actually type: a lambda for a def, ``3*x*x`` for ``3*x**2``, a tensor or numpy
scalar for a float, an unsimplified formula.
"""

import math
from fractions import Fraction

import numpy as np
import sympy
import torch
from case import right, wrong

from calclib.checking import (
    check_array,
    check_choice,
    check_derivative,
    check_expression,
    check_function,
    check_implementation,
    check_number,
    check_order,
)


def cube(x):
    return x**3


def d_cube(x):
    return 3 * x**2


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def forward(f, x, h):
    return (f(x + h) - f(x)) / h


class Node:
    """A stand-in for an autograd Value: the number lives in .data."""

    def __init__(self, data):
        self.data = data


def stub(*args):
    raise NotImplementedError()


def no_return(x):
    3 * x**2  # the classic missing return


KINDS = ["minimum", "maximum", "saddle", "inconclusive"]

CASES = [
    # --- numbers -------------------------------------------------------------------------
    right("number: numpy scalar for a float", check_number, np.float32(12.0), 12.0),
    right("number: 0-d array", check_number, np.array(12.0), 12.0),
    right("number: torch tensor", check_number, torch.tensor(12.0), 12.0),
    right("number: tensor with grad", check_number, torch.tensor(12.0, requires_grad=True), 12),
    right("number: sympy rational", check_number, sympy.Rational(1, 3), 1 / 3),
    right("number: int for a float", check_number, 2, 2.0),
    right("number: rounding within rtol", check_number, 0.30000001, 0.3, rtol=1e-6),
    right("number: a Fraction", check_number, Fraction(1, 3), 1 / 3),
    wrong(
        "number: the function, not its value",
        check_number,
        d_cube,
        12.0,
        message="give the number it computes",
    ),
    wrong("number: an autograd node", check_number, Node(12.0), 12.0, message="in .data"),
    wrong("number: sign error", check_number, -12.0, 12.0, message="a sign error"),
    wrong("number: factor of 2", check_number, 24.0, 12.0, message="a factor of 2"),
    wrong("number: factor of 1/2", check_number, 6.0, 12.0, message="a factor of ½"),
    wrong("number: None (print, no return)", check_number, None, 12.0, message="is None, not a"),
    wrong("number: ellipsis placeholder", check_number, ..., 12.0, message="Not answered yet"),
    wrong("number: quoted", check_number, "12", 12.0, message="remove the quotes"),
    wrong("number: symbol left in", check_number, sympy.Symbol("x") * 2, 4.0, message="symbol"),
    wrong("number: an array", check_number, [12.0, 12.0], 12.0, message="a single number"),
    wrong("number: diverged", check_number, 1e30, 0.0, message="learning rate that is too large"),
    wrong("number: overflowed", check_number, math.inf, 0.0, message="diverges"),
    wrong("number: 0/0", check_number, math.nan, 1.0, message="undefined step such as 0/0"),
    wrong("number: slightly off", check_number, 12.01, 12.0, message="not right yet"),
    wrong(
        "number: hidden", check_number, 5.0, 3.0, hidden=True, message="(expected value not shown)"
    ),
    # --- arrays --------------------------------------------------------------------------
    right("array: tuple for an array", check_array, (1.0, 2.0), np.array([1.0, 2.0])),
    right("array: tensor", check_array, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), np.eye(2)),
    right("array: sympy column vector", check_array, sympy.Matrix([1, 2]), [1.0, 2.0]),
    right("array: list of tensors", check_array, [torch.tensor(1.0), torch.tensor(2.0)], [1, 2]),
    wrong("array: swapped partials", check_array, [4.0, 3.0], [3.0, 4.0], message="wrong variable"),
    wrong("array: transposed", check_array, np.ones((2, 3)), np.ones((3, 2)), message="transposed"),
    wrong("array: wrong length", check_array, [1.0, 2.0, 3.0], [1.0, 2.0], message="wrong shape"),
    wrong("array: one entry off", check_array, [1.0, 2.5], [1.0, 2.0], message="1 of 2"),
    # --- functions -----------------------------------------------------------------------
    right("function: lambda for a def", check_function, lambda x: x**3, cube),
    right("function: math module", check_function, lambda x: math.exp(x), np.exp),
    right("function: returns a tensor", check_function, lambda x: torch.tensor(x) ** 3, cube),
    right("function: returns a 1-element list", check_function, lambda x: [x**3], cube),
    wrong("function: the stub", check_function, stub, cube, message="Not answered yet"),
    wrong("function: missing return", check_function, no_return, cube, message="missing `return`"),
    wrong(
        "function: raises",
        check_function,
        lambda x: 1 / x,
        cube,
        points=[0.0],
        message="raised ZeroDivisionError",
    ),
    wrong("function: nan", check_function, lambda x: math.nan, cube, message="nan"),
    wrong("function: wrong shape", check_function, lambda x: [x, x], cube, message="wrong shape"),
    wrong(
        "function: a number, not a function",
        check_function,
        8.0,
        cube,
        message="should be a function",
    ),
    wrong("function: off by one", check_function, lambda x: x**3 + 1, cube, message="At:"),
    # --- derivatives ---------------------------------------------------------------------
    right("derivative: def against numeric reference", check_derivative, d_cube, cube),
    right("derivative: formula 3*x*x", check_derivative, "3*x*x", "x**3"),
    right("derivative: formula with ^", check_derivative, "3*x^2", "x**3"),
    right(
        "derivative: unsimplified product rule",
        check_derivative,
        "x*cos(x) + sin(x) + 0*x",
        "x*sin(x)",
    ),
    right(
        "derivative: a number for a constant",
        check_derivative,
        -1,
        "2*a - b + c**2",
        wrt=1,
        domain=[(-2, 2)] * 3,
    ),
    right("derivative: sympy expression", check_derivative, 3 * sympy.Symbol("x") ** 2, "x**3"),
    wrong(
        "derivative: sign error",
        check_derivative,
        lambda x: np.sin(x),
        np.cos,
        message="a sign error",
    ),
    wrong("derivative: factor of 2", check_derivative, "6*x**2", "x**3", message="a factor of 2"),
    wrong(
        "derivative: power rule half done",
        check_derivative,
        "x**2",
        "x**3",
        message="not right yet",
    ),
    wrong(
        "derivative: the function itself",
        check_derivative,
        cube,
        cube,
        message="the function itself instead of its derivative",
    ),
    wrong(
        "derivative: formula is the function",
        check_derivative,
        "exp(2*x)",
        "exp(2*x)",
        message="the function itself",
    ),
    wrong(
        "derivative: inner derivative missing",
        check_derivative,
        "cos(x**2)",
        "sin(x**2)",
        message="inner derivative is missing (chain rule): multiply by the derivative of x**2",
    ),
    wrong(
        "derivative: inner derivative missing, callable",
        check_derivative,
        lambda x: np.cos(3 * x),
        "sin(3*x)",
        message="inner derivative is missing",
    ),
    wrong(
        "derivative: partial in the wrong variable",
        check_derivative,
        "2*x*y",
        "x**2*y",
        wrt=1,
        domain=[(-1, 1), (-1, 1)],
        message="with respect to x instead of y",
    ),
    wrong(
        "derivative: callable partial in the wrong variable",
        check_derivative,
        lambda x, y: 2 * x * y,
        lambda x, y: x**2 * y,
        wrt=1,
        domain=[(-1, 1), (-1, 1)],
        message="with respect to x instead of y",
    ),
    # --- expressions ---------------------------------------------------------------------
    right("expression: 3*x*x for 3*x**2", check_expression, "3*x*x", "3*x**2"),
    right("expression: callable", check_expression, lambda x: 3 * x * x, "3*x**2"),
    right(
        "expression: implicit multiplication allowed",
        check_expression,
        "3x^2",
        "3*x**2",
        implicit_multiplication=True,
    ),
    right("expression: trig identity", check_expression, "1 - cos(x)**2", "sin(x)**2"),
    right("expression: e**x for exp(x)", check_expression, "e**x", "exp(x)"),
    wrong(
        "expression: 3x without *",
        check_expression,
        "3x**2",
        "3*x**2",
        message="write multiplication with *",
    ),
    wrong(
        "expression: unbalanced parenthesis",
        check_expression,
        "3*(x**2",
        "3*x**2",
        message="was never closed",
    ),
    wrong(
        "expression: np. before an unknown name",
        check_expression,
        "np.linalg.norm(x)",
        "sin(x)",
        message="without np. or math.",
    ),
    right("expression: np. prefix of a known function", check_expression, "np.sin(x)", "sin(x)"),
    wrong(
        "expression: wrong variable name",
        check_expression,
        "3*t**2",
        "3*x**2",
        message="Unknown: t",
    ),
    right(
        "expression: ln, abs, arctan",
        check_expression,
        "ln(abs(x)) + arctan(x)",
        "log(Abs(x)) + atan(x)",
    ),
    right(
        "expression: beta is a variable",
        check_expression,
        "beta*x",
        "x*beta",
        domain=[(-1, 1), (-1, 1)],
    ),
    wrong(
        "expression: code, not maths",
        check_expression,
        "__import__('os')",
        "x",
        message="Cannot read",
    ),
    wrong(
        "expression: y = on the left",
        check_expression,
        "y = 3*x",
        "3*x",
        message="give only the formula",
    ),
    wrong(
        "expression: superscript two", check_expression, "3*x²", "3*x**2", message="powers with **"
    ),
    wrong(
        "expression: unknown function",
        check_expression,
        "sigmoid(x)",
        "x",
        message="unknown function",
    ),
    wrong("expression: huge power", check_expression, "x + 9**9**9", "x", message="too large"),
    wrong("expression: xor trap noted", check_expression, "x^3", "x**2", message="^ was read"),
    wrong("expression: sign error", check_expression, "-sin(x)", "sin(x)", message="a sign error"),
    # --- choices -------------------------------------------------------------------------
    right("choice: capitals and spaces", check_choice, " Saddle", "saddle", choices=KINDS),
    wrong(
        "choice: a near miss outside the list",
        check_choice,
        "saddle point",
        "saddle",
        choices=KINDS,
        message="should be one of: minimum, maximum, saddle, inconclusive",
    ),
    wrong(
        "choice: explained wrong choice",
        check_choice,
        "inconclusive",
        "saddle",
        choices=KINDS,
        misconceptions={"inconclusive": "the mixed partial is not 0"},
        message="the mixed partial is not 0",
    ),
    # --- implementations -----------------------------------------------------------------
    right(
        "implementation: central difference",
        check_implementation,
        central,
        central,
        [(np.sin, 0.5, 1e-3), (math.exp, 1.0, 1e-2)],
    ),
    right("implementation: order 2", check_order, central, 2),
    wrong(
        "implementation: forward instead of central",
        check_implementation,
        forward,
        central,
        [(np.sin, 0.5, 1e-2)],
        misconceptions={"a forward difference": forward},
        message="a forward difference",
    ),
    wrong(
        "implementation: error shrinks like h",
        check_order,
        forward,
        2,
        message="the error shrinks like h, not like h²",
    ),
    wrong(
        "implementation: product backward forgets b",
        check_implementation,
        lambda a, b: (b, b),
        lambda a, b: (b, a),
        [(2.0, 3.0)],
        message="Entries off: 1 of 2: [1] too large",
    ),
]


class RaisingRepr:
    """An answer object whose repr raises (a student's class gone wrong)."""

    def __repr__(self):
        raise RuntimeError("no repr")


def endless(x):
    while True:
        pass


def exits(x):
    raise SystemExit(0)


# Odd values: each gets a clear student-facing message or a correct pass, never an internal error.
CASES += [
    wrong(
        "odd: 1/(x-x) divides by zero",
        check_expression,
        "1/(x-x)",
        "3*x**2",
        message="it divides by zero",
    ),
    wrong("odd: x/0", check_expression, "x/0", "3*x**2", message="it divides by zero"),
    wrong("odd: bytes formula", check_expression, b"3*x**2", "3*x**2", message="not bytes"),
    wrong("odd: complex formula", check_expression, 2j, "3*x**2", message="not a complex number"),
    wrong("odd: bool formula", check_expression, True, "3*x**2", message="not True or False"),
    right("odd: a tiny constant is a number, not e", check_expression, "3*x**2 + 1e-12", "3*x**2"),
    right("odd: np. and math. spellings", check_expression, "np.sin(x) * math.pi", "pi*sin(x)"),
    wrong(
        "odd: factorial(25) is a number", check_number, math.factorial(25), 2.0, message="too large"
    ),
    wrong("odd: -10**400 is a number", check_number, -(10**400), 2.0, message="You gave: -inf"),
    right(
        "odd: a bfloat16 tensor",
        check_array,
        torch.tensor([1.0, 2.0], dtype=torch.bfloat16),
        [1, 2],
    ),
    right("odd: a sparse tensor", check_array, torch.eye(2).to_sparse(), np.eye(2)),
    wrong(
        "odd: a meta tensor",
        check_array,
        torch.empty(2, device="meta"),
        [1.0, 2.0],
        message="a meta tensor: it has a shape but no values",
    ),
    wrong(
        "odd: an object whose repr raises",
        check_number,
        RaisingRepr(),
        1.0,
        message="cannot be shown",
    ),
    wrong(
        "odd: a function that never returns",
        check_function,
        endless,
        np.sin,
        message="did not finish within",
    ),
    wrong("odd: sys.exit in the answer", check_function, exits, np.sin, message="SystemExit"),
    wrong(
        "odd: 0.1666666667 is not exact",
        check_number,
        0.1666666667,
        sympy.Rational(1, 6),
        exact=True,
        message="close, but not exact",
    ),
    right("odd: '1/6' is exact", check_number, "1/6", sympy.Rational(1, 6), exact=True),
    right("odd: Fraction is exact", check_number, Fraction(1, 6), sympy.Rational(1, 6), exact=True),
]
