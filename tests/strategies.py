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
