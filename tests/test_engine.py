"""calclib.engine.Value: agreement with torch, deep graphs, backward order, backward twice, errors."""

from __future__ import annotations

import gc
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from strategies import evaluate, expressions, input_values, torch_value_and_grad

from calclib.engine import Value, _topological_order


@given(expressions(3), st.lists(input_values, min_size=3, max_size=3))
def test_value_and_gradients_agree_with_torch(expr: tuple, xs: list[float]) -> None:
    leaves = [Value(x) for x in xs]
    out = evaluate(expr, leaves)
    out.backward()
    value, grads = torch_value_and_grad(expr, xs)
    assert out.data == pytest.approx(value, rel=1e-10, abs=1e-10)
    np.testing.assert_allclose([leaf.grad for leaf in leaves], grads, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda a, b: a / b, [1 / 4.0, -3.0 / 16.0]),
        (lambda a, b: a**b, [4.0 * 3.0**3, 3.0**4 * math.log(3.0)]),
        (lambda a, b: 2.0**a - 5.0 / b, [8.0 * math.log(2.0), 5.0 / 16.0]),
        (lambda a, b: 1.0 - a * b + 2 * a, [-4.0 + 2.0, -3.0]),
        (lambda a, b: (a - b).relu() + (b - a).relu(), [-1.0, 1.0]),
    ],
)
def test_binary_and_reflected_operations(build, expected) -> None:
    a, b = Value(3.0), Value(4.0)
    build(a, b).backward()
    assert [a.grad, b.grad] == pytest.approx(expected, rel=1e-14)


def test_relu_kink_and_extreme_sigmoid_follow_torch() -> None:
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0  # torch's choice at the kink
    for t in (-1000.0, 1000.0):
        y = Value(t)
        s = y.sigmoid()
        s.backward()
        assert s.data == (0.0 if t < 0 else 1.0) and y.grad == 0.0


def test_powers_at_zero() -> None:
    x = Value(0.0)
    (x**0).backward()
    assert x.grad == 0.0
    y = Value(0.0)
    (y**0.5).backward()
    assert y.grad == math.inf  # as torch: the slope of √x is infinite at 0


def test_a_100000_deep_chain_works() -> None:
    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y + x
    y.backward()
    assert x.grad == 100_001.0
    assert len(_topological_order(y)) == 100_001
    del y  # freeing a deep chain must not overflow the C stack either


def test_graphs_have_no_reference_cycles() -> None:
    gc.collect()
    gc.disable()
    try:
        w = [Value(0.1 * i) for i in range(10)]
        loss = sum((wi * wi).tanh() for wi in w)
        loss.backward()
        del loss, w
        assert gc.collect() == 0  # everything was already freed by reference counting
    finally:
        gc.enable()


def test_backward_twice_accumulates_on_leaves_like_torch() -> None:
    x = Value(3.0, label="x")
    h = x * x
    y = h + x
    y.backward()
    assert (x.grad, h.grad, y.grad) == (7.0, 1.0, 1.0)
    y.backward()
    assert (x.grad, h.grad, y.grad) == (14.0, 1.0, 1.0)  # leaf doubled, computed Values not
    xt = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    yt = xt * xt + xt
    yt.backward(retain_graph=True)
    yt.backward()
    assert xt.grad.item() == x.grad


def test_backward_of_a_leaf_seeds_its_gradient() -> None:
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0


def test_topological_order_puts_every_input_first() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    root = (c + a) * (c - b)
    order = _topological_order(root)
    position = {id(v): i for i, v in enumerate(order)}
    assert order[-1] is root and len(order) == len(set(position))
    for v in order:
        assert all(position[id(p)] < position[id(v)] for p in v._prev)


def test_micrograd_attributes() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    assert c._prev == (a, b) and c._op == "*" and (-c)._op == "neg"
    assert a._prev == () and (a**2)._op == "**2"
    assert repr(Value(1.5, label="x")) == "Value(data=1.5, grad=0.0, label='x')"
    assert repr(c) == "Value(data=-6.0, grad=0.0)"


def test_micrograd_constructor_is_positional_data_children_op() -> None:
    a, b = Value(2.0), Value(3.0)
    assert Value(1.0, (), "")._prev == () and Value(1.0, (), "")._op == ""
    hand_made = Value(6.0, (a, b), "*")
    assert hand_made._prev == (a, b) and hand_made._op == "*" and hand_made.label == ""
    assert Value(1.0, label="x").label == "x"
    with pytest.raises(TypeError, match=r"micrograd's _children .* Value\(data, label='x'\)"):
        Value(1.0, "x")
    with pytest.raises(TypeError, match=r"at most two Values"):
        Value(1.0, (a, b, a))


@pytest.mark.parametrize(
    ("build", "op", "data", "grad"),
    [
        (lambda x: x * 2.0, "*2", 6.0, 2.0),
        (lambda x: 2 * x, "2*", 6.0, 2.0),
        (lambda x: x + 0.5, "+0.5", 3.5, 1.0),
        (lambda x: 1 - x, "1-", -2.0, -1.0),
        (lambda x: x / 4, "/4", 0.75, 0.25),
        (lambda x: 6 / x, "6/", 2.0, -6 / 9),
        (lambda x: 2**x, "2**", 8.0, 8.0 * np.log(2.0)),
        (lambda x: x**2, "**2", 9.0, 6.0),
    ],
)
def test_a_number_in_an_operation_is_no_node(build, op, data, grad) -> None:
    x = Value(3.0)
    y = build(x)
    y.backward()
    assert y._prev == (x,) and y._op == op and len(_topological_order(y)) == 2
    assert y.data == pytest.approx(data) and x.grad == pytest.approx(grad)


def test_numbers_of_other_types_become_floats() -> None:
    assert type(Value(3).data) is float and Value(np.float32(0.5)).data == 0.5
    assert (Value(1.0) + np.int64(2)).data == 3.0


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Value("a"), TypeError, r"Value\(\) needs a real number, got str 'a'"),
        (lambda: Value(1.0) + "b", TypeError, r"unsupported operand for Value \+: str 'b'"),
        (lambda: Value(1.0) * np.ones(2), TypeError, r"Value \*: ndarray .*use calclib.Dual"),
        (lambda: Value(1.0) ** "2", TypeError, r"unsupported operand for Value \*\*: str"),
        (lambda: 1j - Value(1.0), TypeError, r"Value -: complex 1j"),
        (lambda: Value(0.0).log(), ValueError, r"log needs a positive number, got 0.0"),
        (lambda: Value(-2.0).log(), ValueError, r"log needs a positive number, got -2.0"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, r"negative number to a non-integer power"),
        (
            lambda: Value(-2.0) ** Value(2.0),
            ValueError,
            r"Value exponent b needs a > 0, got a = -2",
        ),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, r"division by zero"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, r"division by zero"),
        (lambda: 0.0 ** Value(1.0), ValueError, r"c \*\* x with a Value exponent x needs c > 0"),
    ],
)
def test_bad_input_is_refused_clearly(make, error, message) -> None:
    with pytest.raises(error, match=message):
        make()
