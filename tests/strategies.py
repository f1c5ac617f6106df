"""Shared hypothesis strategies: smooth functions with known derivatives, points, fields."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from hypothesis import strategies as st


@dataclass(frozen=True)
class Smooth:
    """A smooth function of one variable with its exact derivative (for property tests)."""

    name: str
    f: Callable[[float], float]
    df: Callable[[float], float]
    bounded: bool  # |f| <= a few: safe as the inner function of a composition

    def __repr__(self) -> str:
        return self.name


BASES = [
    Smooth("sin", math.sin, math.cos, True),
    Smooth("tanh", math.tanh, lambda t: 1 - math.tanh(t) ** 2, True),
    Smooth("atan", math.atan, lambda t: 1 / (1 + t * t), True),
    Smooth("exp", math.exp, math.exp, False),
    Smooth("cube", lambda t: t**3, lambda t: 3 * t**2, False),
    Smooth("log1p_sq", lambda t: math.log1p(t * t), lambda t: 2 * t / (1 + t * t), False),
]

coefficients = st.floats(-3.0, 3.0, allow_nan=False).filter(lambda c: abs(c) > 0.1)
points = st.floats(-2.0, 2.0, allow_nan=False)


@st.composite
def smooth_functions(draw: st.DrawFn, bounded: bool = False) -> Smooth:
    """a * base(b * x + c) for a base from BASES; defined and well scaled on [-2, 2]."""
    base = draw(st.sampled_from([s for s in BASES if s.bounded or not bounded]))
    a, b = draw(coefficients), draw(st.floats(0.2, 1.5))
    c = draw(st.floats(-1.0, 1.0))
    return Smooth(
        f"{a:.3g}*{base.name}({b:.3g}*x{c:+.3g})",
        lambda t: a * base.f(b * t + c),
        lambda t: a * b * base.df(b * t + c),
        base.bounded,
    )


@dataclass(frozen=True)
class Field:
    """f(x) = p(x0) * q(x1) + r(x0 + x1) on R^2, with its exact gradient."""

    name: str
    p: Smooth
    q: Smooth
    r: Smooth

    def f(self, x: np.ndarray) -> float:
        return self.p.f(x[0]) * self.q.f(x[1]) + self.r.f(x[0] + x[1])

    def grad(self, x: np.ndarray) -> np.ndarray:
        shared = self.r.df(x[0] + x[1])
        return np.array(
            [
                self.p.df(x[0]) * self.q.f(x[1]) + shared,
                self.p.f(x[0]) * self.q.df(x[1]) + shared,
            ]
        )

    def __repr__(self) -> str:
        return self.name


@st.composite
def fields(draw: st.DrawFn) -> Field:
    """Smooth scalar fields of two variables with exact gradients."""
    p, q = draw(smooth_functions(bounded=True)), draw(smooth_functions(bounded=True))
    r = draw(smooth_functions(bounded=True))
    return Field(f"{p!r}(x0)*{q!r}(x1)+{r!r}(x0+x1)", p, q, r)


vectors2 = st.tuples(points, points).map(np.array)


# Random expression graphs (ENGINE): trees evaluated the same way on calclib's Value, Dual
# and torch tensors, which share the method names tanh/exp/log/sigmoid/relu. Every operation
# is kept inside its domain by construction (log and non-integer powers of x² + 1, exp of a
# tanh, division by x² + 1), so values stay moderate and no example is rejected.

UNARY = ("neg", "tanh", "sigmoid", "relu", "exp", "log", "square", "cube", "power", "two_to")
BINARY = ("add", "sub", "mul", "div", "pow")
WITH_CONSTANT = ("c+", "c-", "c*", "c/")


def expressions(n_vars: int, max_leaves: int = 8) -> st.SearchStrategy[tuple]:
    """Trees of nested tuples: ("x", i), (unary, e), (binary, e1, e2), (op, constant, e)."""
    leaves = st.integers(0, n_vars - 1).map(lambda i: ("x", i))
    constants = st.floats(-2.0, 2.0, allow_nan=False)

    def extend(children: st.SearchStrategy[tuple]) -> st.SearchStrategy[tuple]:
        return st.one_of(
            st.tuples(st.sampled_from(UNARY), children),
            st.tuples(st.sampled_from(BINARY), children, children),
            st.tuples(st.sampled_from(WITH_CONSTANT), constants, children),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def evaluate(expr: tuple, inputs: list) -> object:
    """The value of ``expr`` with ("x", i) bound to ``inputs[i]`` (Value, Dual or tensor)."""
    op = expr[0]
    if op == "x":
        return inputs[expr[1]]
    if op in WITH_CONSTANT:
        c, e = expr[1], evaluate(expr[2], inputs)
        return {"c+": lambda: c + e, "c-": lambda: c - e, "c*": lambda: c * e,
                "c/": lambda: c / (e * e + 1.0)}[op]()  # fmt: skip
    a = evaluate(expr[1], inputs)
    if op in BINARY:
        b = evaluate(expr[2], inputs)
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
                "div": lambda: a / (b * b + 1.0),
                "pow": lambda: (a * a + 1.0) ** b.tanh()}[op]()  # fmt: skip
    return {"neg": lambda: -a, "tanh": a.tanh, "sigmoid": a.sigmoid, "relu": a.relu,
            "exp": lambda: a.tanh().exp(), "log": lambda: (a * a + 1.0).log(),
            "square": lambda: a**2, "cube": lambda: a**3,
            "power": lambda: (a * a + 1.0) ** -0.75,
            "two_to": lambda: 2.0 ** a.tanh()}[op]()  # fmt: skip


input_values = st.floats(-2.0, 2.0, allow_nan=False)


def torch_value_and_grad(expr: tuple, xs: list[float]) -> tuple[float, np.ndarray]:
    """The reference: ``expr`` at ``xs`` and its gradient, by torch autograd in float64."""
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = evaluate(expr, leaves)
    out.backward()
    grads = [0.0 if leaf.grad is None else leaf.grad.item() for leaf in leaves]  # None: unused
    return out.item(), np.array(grads)


# Anything a student might assign as an answer (CHECKER): the property tests throw these at every
# public check, which must pass, fail with a CheckFailure that teaches, or blame the test cell,
# and never let another exception out or hang.


class Hostile:
    """An object one of whose conversions raises: __repr__, __array__, __float__ or __getattr__."""

    def __init__(self, broken: str) -> None:
        self.broken = broken

    def __repr__(self) -> str:
        if self.broken == "repr":
            raise RuntimeError("no repr")
        return f"Hostile({self.broken!r})"

    def __array__(self, *args: object, **kwargs: object) -> np.ndarray:
        if self.broken == "array":
            raise RuntimeError("no array")
        return np.array(1.0)

    def __float__(self) -> float:
        if self.broken == "float":
            raise RuntimeError("no float")
        return 1.0

    def __getattr__(self, name: str) -> object:
        if self.broken == "getattr":
            raise RuntimeError(f"no {name}")
        raise AttributeError(name)


class Unequal(float):
    """A float whose comparisons and bool raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no ==")

    def __bool__(self) -> bool:
        raise RuntimeError("no bool")

    __hash__ = float.__hash__


def _tensors() -> st.SearchStrategy[object]:
    dtypes = [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int64]
    dtypes += [torch.bool, torch.complex64]
    values = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=4)

    def make(numbers: list[float], dtype: torch.dtype, kind: str) -> object:
        tensor = torch.tensor(numbers).to(dtype)
        if kind == "sparse":
            return tensor.to_sparse()
        if kind == "meta":
            return torch.empty(len(numbers), device="meta")
        if kind == "grad":
            return torch.tensor(numbers, requires_grad=True)
        return tensor

    kinds = st.sampled_from(["dense", "sparse", "meta", "grad"])
    return st.builds(make, values, st.sampled_from(dtypes), kinds)


def _sympy_objects() -> st.SearchStrategy[object]:
    import sympy

    x = sympy.Symbol("x")
    return st.sampled_from(
        [sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.Rational(1, 6), sympy.pi, x, x**2,
         sympy.Matrix([[1, 2], [3, 4]]), sympy.Matrix([x, 1]), sympy.Eq(x, 1), sympy.I,
         sympy.Integer(10) ** 400, sympy.true]
    )  # fmt: skip


FORMULA_ALPHABET = [*"xy+-*/^()0123.e,_[]='", "sin", "cos", "exp", "log", "sqrt", "pi", " "]

formula_texts = st.lists(st.sampled_from(FORMULA_ALPHABET), max_size=12).map("".join)


def answer_values() -> st.SearchStrategy[object]:
    """Values of every kind: numbers of every size, text, containers, tensors, hostile objects."""
    scalars = st.one_of(
        st.none(),
        st.just(...),
        st.booleans(),
        st.integers(),
        st.sampled_from([10**400, -(10**400), math.factorial(25), 2**63, -(2**64)]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.complex_numbers(allow_nan=True),
        st.fractions(),
        st.decimals(allow_nan=True),
        st.text(max_size=8),
        formula_texts,
        st.binary(max_size=8),
        st.builds(Hostile, st.sampled_from(["repr", "array", "float", "getattr"])),
        st.floats(-5, 5).map(Unequal),
        _tensors(),
        _sympy_objects(),
        st.sampled_from([np.float16(1.5), np.int8(-3), np.complex64(1j), np.bool_(True)]),
        st.sampled_from([np.array([]), np.zeros((2, 0)), np.array(["a"]), np.array([None])]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner, inner),
            st.dictionaries(st.text(max_size=2), inner, max_size=2),
        ),
        max_leaves=6,
    )


def hang_forever(*args: object) -> object:
    while True:
        pass


def _recurse(*args: object) -> object:
    return _recurse(*args)


def _exits(*args: object) -> object:
    raise SystemExit(1)


def _interrupts(*args: object) -> object:
    raise KeyboardInterrupt


def _base_exception(*args: object) -> object:
    raise BaseException("odd")  # noqa: TRY002 - a student may raise anything


def _stub(*args: object) -> object:
    # YOUR CODE HERE
    pass


def student_functions() -> st.SearchStrategy[object]:
    """Functions a student might write: returning any value, raising anything, never returning."""
    returning = answer_values().map(lambda value: lambda *args: value)
    raising = st.sampled_from([ZeroDivisionError, ValueError, TypeError, NameError, MemoryError])
    misbehaving = st.sampled_from(
        [hang_forever, _recurse, _exits, _interrupts, _base_exception, _stub]
    )
    return st.one_of(
        returning,
        raising.map(lambda kind: lambda *args: (_ for _ in ()).throw(kind("boom"))),
        misbehaving,
        st.just(print),
        st.just(lambda *args: args),
    )
