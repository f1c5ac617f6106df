"""Forward-mode automatic differentiation with dual numbers.

A dual number a + b·ε has ε² = 0, so for a smooth f

    f(a + b·ε) = f(a) + f'(a)·b·ε.

Carrying the *tangent* b next to the *value* a through every operation therefore
computes a derivative exactly (to rounding) in the same pass as the value. Values and
tangents may be floats or numpy arrays (elementwise), and numpy's ufuncs (``np.exp``,
``np.sin``, ``A @ x`` …) work on Duals. ``math.*`` functions do not: they reject a Dual
rather than silently drop its tangent.

Introduced in 06-autograd.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import numpy as np

from calclib.finite_differences import require_callable

Array = float | np.ndarray


class Dual:
    """A value with the tangent (derivative along one direction) that travels with it.

    Parameters
    ----------
    value : float or array_like
        The point a.
    tangent : float or array_like
        The direction b (1.0 to differentiate with respect to this input, 0.0 for a
        constant); it must broadcast with ``value``.

    Examples
    --------
    >>> x = Dual(3.0, 1.0)           # x = 3, dx/dx = 1
    >>> y = x * x + 2 * x            # y = x² + 2x, dy/dx = 2x + 2
    >>> y
    Dual(value=15.0, tangent=8.0)
    >>> np.sin(Dual(0.0, 1.0))       # numpy ufuncs carry the tangent too
    Dual(value=0.0, tangent=1.0)

    Introduced in 06-autograd.
    """

    __slots__ = ("tangent", "value")

    def __init__(self, value: Array | Sequence[float], tangent: Array | Sequence[float] = 0.0):
        self.value = _as_number(value, "value")
        self.tangent = _as_number(tangent, "tangent")
        try:
            np.broadcast_shapes(np.shape(self.value), np.shape(self.tangent))
        except ValueError:
            raise ValueError(
                f"tangent shape {np.shape(self.tangent)} does not broadcast with value shape "
                f"{np.shape(self.value)}; give one tangent entry per value entry"
            ) from None

    def __repr__(self) -> str:
        return f"Dual(value={self.value!r}, tangent={self.tangent!r})"

    # Arithmetic: (a + a'ε) ∘ (b + b'ε), dropping ε² terms. The same lines serve floats and
    # arrays; `_dual` skips the input checks, since the results of valid Duals are valid.
    def __add__(self, other: Dual | Array) -> Dual:
        b, db = _parts(other, "+")
        return _dual(self.value + b, self.tangent + db)

    def __sub__(self, other: Dual | Array) -> Dual:
        b, db = _parts(other, "-")
        return _dual(self.value - b, self.tangent - db)

    def __mul__(self, other: Dual | Array) -> Dual:  # (ab)' = a'b + ab'
        b, db = _parts(other, "*")
        return _dual(self.value * b, self.tangent * b + self.value * db)

    def __truediv__(self, other: Dual | Array) -> Dual:  # (a/b)' = (a' − (a/b)·b')/b
        b, db = _parts(other, "/")
        if b == 0 if type(b) is float else np.any(b == 0):
            raise ZeroDivisionError(f"Dual division by zero: denominator {b!r}")
        out = self.value / b
        return _dual(out, (self.tangent - out * db) / b)

    def __matmul__(self, other: Dual | Array) -> Dual:  # (AB)' = A'B + AB'
        other = _lift(other, "@")
        return Dual(
            np.matmul(self.value, other.value),
            np.matmul(self._full_tangent(), other.value)
            + np.matmul(self.value, other._full_tangent()),
        )

    def __pow__(self, exponent: Dual | Array) -> Dual:
        a, da = self.value, self.tangent
        if isinstance(exponent, Dual):  # (aᵇ)' = b·aᵇ⁻¹·a' + aᵇ·ln a·b'
            _check_positive(a, "a ** b with a Dual exponent b needs a > 0")
            b, db = exponent.value, exponent.tangent
            out = a**b
            return _dual(out, b * a ** (b - 1.0) * da + out * np.log(a) * db)
        p = _as_number(exponent, "exponent")
        if type(a) is float and type(p) is float:  # p·aᵖ⁻¹, 0 for p = 0, +inf at 0 for 0 < p < 1
            if a < 0 and not p.is_integer():
                raise ValueError(
                    f"a negative number to a non-integer power is not real: {a!r} ** {p!r}"
                )
            slope = 0.0 if p == 0 else math.inf if a == 0 and p < 1 else p * a ** (p - 1.0)
            return _dual(a**p, slope * da)
        if np.any(np.asarray(a) < 0) and not np.all(np.mod(p, 1.0) == 0):
            raise ValueError(
                f"a negative number to a non-integer power is not real: {a!r} ** {p!r}"
            )
        # p·0^(p−1) is +inf for 0 < p < 1, as in torch; np.where discards the p = 0 branch
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(p == 0, 0.0, p * np.power(a, p - 1.0))
        return Dual(a**p, slope * da)

    def __neg__(self) -> Dual:
        return _dual(-self.value, -self.tangent)

    def __radd__(self, other: Array) -> Dual:
        b, db = _parts(other, "+")
        return _dual(b + self.value, db + self.tangent)

    def __rsub__(self, other: Array) -> Dual:
        b, db = _parts(other, "-")
        return _dual(b - self.value, db - self.tangent)

    def __rmul__(self, other: Array) -> Dual:
        b, db = _parts(other, "*")
        return _dual(b * self.value, db * self.value + b * self.tangent)

    def __rtruediv__(self, other: Array) -> Dual:
        return _lift(other, "/") / self

    def __rmatmul__(self, other: Array) -> Dual:
        return _lift(other, "@") @ self

    def __rpow__(self, base: Array) -> Dual:
        return _lift(base, "**") ** self

    # Functions: f(a + a'ε) = f(a) + f'(a)·a'ε, with math's functions for a float value.
    def exp(self) -> Dual:
        """eˣ, tangent eˣ·x'."""
        a = self.value
        out = math.exp(a) if type(a) is float else np.exp(a)
        return _dual(out, out * self.tangent)

    def log(self) -> Dual:
        """ln x for x > 0, tangent x'/x."""
        a = self.value
        _check_positive(a, "log needs positive values")
        return _dual(math.log(a) if type(a) is float else np.log(a), self.tangent / a)

    def sin(self) -> Dual:
        """sin x, tangent cos x·x'."""
        a = self.value
        if type(a) is float:
            return _dual(math.sin(a), math.cos(a) * self.tangent)
        return _dual(np.sin(a), np.cos(a) * self.tangent)

    def cos(self) -> Dual:
        """cos x, tangent −sin x·x'."""
        a = self.value
        if type(a) is float:
            return _dual(math.cos(a), -math.sin(a) * self.tangent)
        return _dual(np.cos(a), -np.sin(a) * self.tangent)

    def tanh(self) -> Dual:
        """tanh x, tangent sech²x·x' = 4e/(1 + e)²·x' with e = e^(−2|x|) (no cancellation)."""
        a = self.value
        if type(a) is float:
            e = math.exp(-2.0 * abs(a))
            return _dual(math.tanh(a), 4.0 * e / (1.0 + e) ** 2 * self.tangent)
        es = np.exp(-2.0 * np.abs(a))
        return _dual(np.tanh(a), 4.0 * es / (1.0 + es) ** 2 * self.tangent)

    def sigmoid(self) -> Dual:
        """σ(x) = 1/(1 + e⁻ˣ), tangent σ(1 − σ)·x' = e/(1 + e)²·x' with e = e^(−|x|)."""
        a = self.value
        if type(a) is float:
            e = math.exp(-abs(a))
            out = 1.0 / (1.0 + e) if a >= 0 else e / (1.0 + e)
            return _dual(out, e / (1.0 + e) ** 2 * self.tangent)
        es = np.exp(-np.abs(a))
        outs = np.where(np.asarray(a) >= 0, 1.0 / (1.0 + es), es / (1.0 + es))
        return _dual(outs, es / (1.0 + es) ** 2 * self.tangent)

    def relu(self) -> Dual:
        """max(0, x), tangent x' where x > 0 and 0 elsewhere (0 at the kink, as torch)."""
        a = self.value
        if type(a) is float:
            if a > 0:
                return _dual(a, self.tangent)
            da = self.tangent
            return _dual(0.0, 0.0 if type(da) is float else np.zeros_like(da))
        positive = np.asarray(a) > 0
        return _dual(np.where(positive, a, 0.0), np.where(positive, self.tangent, 0.0))

    def sum(self, axis: int | None = None, out: None = None) -> Dual:
        """Σ x, tangent Σ x' (``np.sum(dual)`` calls this; ``out`` is not supported)."""
        if out is not None:
            raise TypeError("Dual.sum does not write into `out`; use the returned Dual")
        return Dual(np.sum(self.value, axis), np.sum(self._full_tangent(), axis))

    def __getitem__(self, index: Any) -> Dual:
        if np.ndim(self.value) == 0:
            raise TypeError(f"a scalar Dual cannot be indexed: {self!r}")
        return Dual(np.asarray(self.value)[index], self._full_tangent()[index])

    def _full_tangent(self) -> np.ndarray:
        """The tangent as an array of the value's shape (a constant's tangent is a plain 0)."""
        return np.broadcast_to(self.tangent, np.shape(self.value))

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Dual:
        name = _UFUNC_METHODS.get(ufunc)
        if method != "__call__" or kwargs or name is None:
            raise TypeError(
                f"np.{ufunc.__name__} is not supported on Dual numbers; supported: "
                f"{', '.join('np.' + u.__name__ for u in _UFUNC_METHODS)}"
            )
        first, *rest = (_lift(x, ufunc.__name__) for x in inputs)
        return getattr(first, name)(*rest)  # type: ignore[no-any-return]


_UFUNC_METHODS = {
    np.add: "__add__", np.subtract: "__sub__", np.multiply: "__mul__",
    np.true_divide: "__truediv__", np.matmul: "__matmul__", np.power: "__pow__",
    np.negative: "__neg__", np.exp: "exp", np.log: "log", np.sin: "sin", np.cos: "cos",
    np.tanh: "tanh",
}  # fmt: skip


def _as_number(x: object, what: str) -> Array:
    """A float, or a float array for array input; anything else is a TypeError."""
    if isinstance(x, Real):  # int, float, bool, numpy scalars
        return float(x)
    if isinstance(x, (np.ndarray, list, tuple)):
        array = np.asarray(x)
        if array.dtype.kind in "biuf":
            return float(array) if array.ndim == 0 else array.astype(float)
    raise TypeError(
        f"Dual {what} must be a real number or an array of them, got {type(x).__name__} {x!r}"
    )


def _dual(value: Array, tangent: Array) -> Dual:
    """A Dual from parts already checked (the result of an operation on Duals)."""
    out = _new_dual(Dual)
    out.value = value
    out.tangent = tangent
    return out


_new_dual = object.__new__  # builds a Dual without the checks of Dual.__init__


def _parts(x: object, op: str) -> tuple[Array, Array]:
    """(value, tangent) of an operand: a Dual's own, or a number's with tangent 0."""
    if type(x) is Dual:
        return x.value, x.tangent
    if type(x) is float:
        return x, 0.0
    other = _lift(x, op)
    return other.value, other.tangent


def _lift(x: object, op: str) -> Dual:
    """A Dual as is; a number or array as a constant (tangent 0)."""
    if isinstance(x, Dual):
        return x
    try:
        return Dual(_as_number(x, "operand"))
    except TypeError:
        raise TypeError(
            f"unsupported operand for Dual {op}: {type(x).__name__} {x!r}; "
            "use a number, a numpy array or a Dual"
        ) from None


def _check_positive(value: Array, message: str) -> None:
    if np.any(np.asarray(value) <= 0):
        raise ValueError(f"{message}, got {value!r}")


def dual_derivative(f: Callable[[Dual], Dual], x: Array | Sequence[float]) -> Array:
    """The derivative f'(x), exact to rounding, from one evaluation of f on a Dual.

    f(x + 1·ε) = f(x) + f'(x)·ε, so f'(x) is the tangent of ``f(Dual(x, 1.0))``.
    For an array ``x`` the function must act elementwise and f'(x) is an array.

    Parameters
    ----------
    f : callable
        Built from arithmetic, Dual methods and numpy ufuncs (not ``math.*``).
    x : float or array_like
        Finite point(s).

    Returns
    -------
    float or numpy.ndarray
        f'(x), with the shape of ``x``.

    Examples
    --------
    >>> dual_derivative(lambda x: x**3, 2.0)          # 3x² at 2
    12.0
    >>> dual_derivative(np.sin, np.array([0.0, np.pi]))
    array([ 1., -1.])

    Introduced in 06-autograd.
    """
    x = _check_point(f, x, "x")
    tangent = _tangent_of(f(Dual(x, np.ones_like(x) if np.ndim(x) else 1.0)), "dual_derivative")
    if np.shape(tangent) != np.shape(x):
        raise ValueError(
            f"f returned shape {np.shape(tangent)} for x of shape {np.shape(x)}: "
            "dual_derivative needs an elementwise f; for f of several variables use jvp"
        )
    return tangent


def jvp(
    f: Callable[[Dual], Dual | Sequence[Dual]],
    x: Array | Sequence[float],
    v: Array | Sequence[float],
) -> Array:
    """The Jacobian-vector product J_f(x)·v: how fast f(x + t·v) changes at t = 0.

    One forward pass with ``Dual(x, v)``: the tangent of the output is
    J·v = Σⱼ ∂f/∂xⱼ·vⱼ, without ever forming the Jacobian J.

    Parameters
    ----------
    f : callable
        Maps the Dual vector x to a Dual (or a list of Duals, one per output).
    x, v : float or array_like
        The point and the direction, finite and of the same shape.

    Returns
    -------
    float or numpy.ndarray
        J·v, with the shape of f's output.

    Examples
    --------
    >>> f = lambda x: [x[0] * x[1], np.sin(x[0])]   # J = [[x₁, x₀], [cos x₀, 0]]
    >>> jvp(f, [0.0, 2.0], [1.0, 0.0])              # first column of J
    array([2., 1.])

    Introduced in 06-autograd.
    """
    x = _check_point(f, x, "x")
    v = _check_point(f, v, "v")
    if np.shape(v) != np.shape(x):
        raise ValueError(
            f"v has shape {np.shape(v)} but x has shape {np.shape(x)}: they must match"
        )
    out = f(Dual(x, v))
    if isinstance(out, (list, tuple)):
        return np.array([_tangent_of(y, "jvp") for y in out], dtype=float)
    return _tangent_of(out, "jvp")


def _check_point(f: object, x: object, name: str) -> Array:
    require_callable(f)
    point = _as_number(x, name)
    if not np.all(np.isfinite(point)):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return point


def _tangent_of(y: object, helper: str) -> Array:
    if not isinstance(y, Dual):
        raise TypeError(
            f"f returned {type(y).__name__} {y!r}, not a Dual: {helper} needs f built from "
            "arithmetic, Dual methods and numpy ufuncs (math.* and float() drop the derivative)"
        )
    tangent = y._full_tangent()
    return float(tangent) if tangent.ndim == 0 else np.array(tangent)
