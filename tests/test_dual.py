"""calclib.dual: forward mode against torch and high precision, arrays, jvp, and bad input."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from strategies import evaluate, expressions, input_values, torch_value_and_grad

from calclib.dual import Dual, dual_derivative, jvp


@given(expressions(3), st.lists(input_values, min_size=3, max_size=3))
def test_value_and_derivatives_agree_with_torch(expr: tuple, xs: list[float]) -> None:
    value, grads = torch_value_and_grad(expr, xs)
    for i in range(3):  # one forward pass per input: tangent e_i gives ∂f/∂x_i
        out = evaluate(expr, [Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)])
        assert out.value == pytest.approx(value, rel=1e-10, abs=1e-10)
        assert out.tangent == pytest.approx(grads[i], rel=1e-10, abs=1e-10)


@given(expressions(2), st.lists(input_values, min_size=8, max_size=8))
def test_arrays_are_handled_elementwise(expr: tuple, xs: list[float]) -> None:
    x0, x1 = np.array(xs[:4]), np.array(xs[4:])
    out = evaluate(expr, [Dual(x0, np.ones(4)), Dual(x1, np.zeros(4))])
    leaves = [torch.tensor(x, requires_grad=True, dtype=torch.float64) for x in (x0, x1)]
    reference = evaluate(expr, leaves)
    reference.sum().backward()
    expected = leaves[0].grad
    expected = np.zeros(4) if expected is None else expected.numpy()
    np.testing.assert_allclose(
        np.broadcast_to(out.value, (4,)), reference.detach().numpy(), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(np.broadcast_to(out.tangent, (4,)), expected, rtol=1e-10, atol=1e-10)


EXACT = {  # the derivative of each primitive, in 60-digit arithmetic
    "exp": (lambda d: d.exp(), mpmath.exp),
    "sin": (lambda d: d.sin(), mpmath.cos),
    "cos": (lambda d: d.cos(), lambda t: -mpmath.sin(t)),
    "tanh": (lambda d: d.tanh(), lambda t: mpmath.sech(t) ** 2),
    "sigmoid": (lambda d: d.sigmoid(), lambda t: mpmath.exp(-t) / (1 + mpmath.exp(-t)) ** 2),
    "log": (lambda d: d.log(), lambda t: 1 / t),
    "power": (lambda d: d**2.5, lambda t: 2.5 * t**1.5),
    "reciprocal": (lambda d: 1.0 / d, lambda t: -1 / t**2),
}


@pytest.mark.parametrize("name", EXACT)
def test_primitives_are_exact_to_a_few_ulp(name: str) -> None:
    f, df = EXACT[name]
    x = np.random.default_rng(0).uniform(-20.0, 20.0, 400)
    if name in ("log", "power", "reciprocal"):
        x = np.abs(x) + 1e-3
    got = dual_derivative(f, x)
    with mpmath.workdps(60):
        exact = np.array([float(df(mpmath.mpf(float(t)))) for t in x])
    assert np.all(np.abs(got - exact) <= 4 * np.spacing(np.abs(exact)))


def test_dual_derivative_of_a_scalar_and_of_an_array() -> None:
    assert dual_derivative(lambda x: x**3, 2.0) == 12.0
    assert isinstance(dual_derivative(lambda x: x * x, 3), float)
    xs = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(dual_derivative(lambda x: x * np.exp(x), xs), (1 + xs) * np.exp(xs))


def test_numpy_ufuncs_and_matrices_carry_the_tangent() -> None:
    x = Dual(0.5, 1.0)
    assert np.exp(x).tangent == math.exp(0.5) and np.tanh(x).value == math.tanh(0.5)
    assert (np.sin(x) * np.cos(x)).tangent == pytest.approx(math.cos(1.0), rel=1e-15)
    assert (np.float64(2.0) * x).tangent == 2.0
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(jvp(lambda v: A @ v, [5.0, 6.0], [0.0, 1.0]), [2.0, 4.0])
    assert jvp(lambda v: np.sum(v * v), [1.0, 2.0], [1.0, 1.0]) == 6.0
    assert jvp(lambda v: (v * v).sum(), [1.0, 2.0], [0.0, 1.0]) == 4.0


def test_jvp_is_the_jacobian_times_v() -> None:
    def f(x):
        return [x[0] * x[1], np.sin(x[0]) + x[1] ** 2, x[0] / x[1]]

    x, v = np.array([0.3, 2.0]), np.array([1.5, -0.5])
    jacobian = np.array([[x[1], x[0]], [math.cos(x[0]), 2 * x[1]], [1 / x[1], -x[0] / x[1] ** 2]])
    np.testing.assert_allclose(jvp(f, x, v), jacobian @ v, rtol=1e-15)
    assert jvp(lambda t: t.exp(), 0.0, 2.0) == 2.0


def test_kinks_and_extremes_follow_torch() -> None:
    assert Dual(0.0, 1.0).relu().tangent == 0.0
    np.testing.assert_array_equal(Dual(np.array([-1.0, 2.0]), 1.0).relu().tangent, [0.0, 1.0])
    saturated = Dual(np.array([-800.0, 800.0]), 1.0)
    np.testing.assert_array_equal(saturated.sigmoid().value, [0.0, 1.0])
    np.testing.assert_array_equal(saturated.tanh().tangent, [0.0, 0.0])
    assert dual_derivative(lambda x: x**0.5, 0.0) == math.inf
    assert dual_derivative(lambda x: x**0, 0.0) == 0.0
    assert (Dual(2.0, 1.0) ** Dual(3.0)).tangent == 12.0
    assert (2.0 ** Dual(3.0, 1.0)).tangent == pytest.approx(8 * math.log(2), rel=1e-15)


def test_indexing_and_repr() -> None:
    x = Dual(np.array([1.0, 2.0]), np.array([0.5, 0.25]))
    assert (x[1].value, x[1].tangent) == (2.0, 0.25)
    assert repr(Dual(1.0, 2.0)) == "Dual(value=1.0, tangent=2.0)"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Dual("a"), TypeError, r"Dual value must be a real number .* got str 'a'"),
        (lambda: Dual([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, r"tangent shape \(3,\) does not"),
        (lambda: Dual(1.0) + "b", TypeError, r"unsupported operand for Dual \+: str 'b'"),
        (lambda: Dual(1.0) ** "2", TypeError, r"Dual exponent must be a real number"),
        (lambda: Dual(-1.0).log(), ValueError, r"log needs positive values, got -1.0"),
        (lambda: Dual(np.array([1.0, 0.0])).log(), ValueError, r"log needs positive values"),
        (lambda: Dual(-8.0) ** (1 / 3), ValueError, r"negative number to a non-integer power"),
        (lambda: Dual(-2.0) ** Dual(2.0), ValueError, r"Dual exponent b needs a > 0"),
        (lambda: Dual(1.0) / 0.0, ZeroDivisionError, r"Dual division by zero"),
        (lambda: math.exp(Dual(1.0)), TypeError, r"must be real number, not Dual"),
        (lambda: np.arcsin(Dual(0.5)), TypeError, r"np.arcsin is not supported .* np.tanh"),
        (lambda: Dual(1.0)[0], TypeError, r"a scalar Dual cannot be indexed"),
        (lambda: Dual(np.ones(2)).sum(out=np.zeros(1)), TypeError, r"does not write into `out`"),
        (
            lambda: dual_derivative(3.0, 1.0),
            TypeError,
            r"f must be a function such as math.sin .*got 3.0 of type float",
        ),
        (lambda: dual_derivative(np.sin, math.nan), ValueError, r"x must be finite, got nan"),
        (lambda: dual_derivative(lambda x: 2.0, 1.0), TypeError, r"f returned float 2.0, not a"),
        (lambda: dual_derivative(lambda x: x.sum(), [1.0, 2.0]), ValueError, r"shape \(\) for x"),
        (lambda: jvp(np.sin, [1.0, 2.0], [1.0]), ValueError, r"v has shape \(1,\) but x has"),
        (lambda: jvp(np.sin, [1.0], [math.inf]), ValueError, r"v must be finite"),
    ],
)
def test_bad_input_is_refused_clearly(make, error, message) -> None:
    with pytest.raises(error, match=message):
        make()


def test_scalar_duals_stay_plain_floats_through_every_operation() -> None:
    """The scalar fast path: no numpy scalar sneaks in, so no op pays numpy's overhead."""
    x, y = Dual(0.7, 1.0), Dual(1.3, 0.0)
    results = [x + y, x - 2, 3 * x, x * y, x / y, 2 / x, x**3, -x, x.exp(), x.log(), x.sin()]
    results += [x.cos(), x.tanh(), x.sigmoid(), x.relu(), (-x).relu(), 1 - x, 2 + x]
    for out in results:
        assert type(out.value) is float and type(out.tangent) is float, out
