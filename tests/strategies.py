"""Shared hypothesis strategies: smooth functions with known derivatives, points, fields."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
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
