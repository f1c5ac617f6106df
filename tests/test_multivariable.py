"""partial, gradient, jacobian, hessian: exact values, the calculus rules, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from strategies import fields, vectors2

from calclib.multivariable import gradient, hessian, jacobian, partial


def bowl(x: np.ndarray) -> float:
    """f(x, y) = x^2 y + 3 y^3, gradient (2xy, x^2 + 9y^2), Hessian [[2y, 2x], [2x, 18y]]."""
    return x[0] ** 2 * x[1] + 3 * x[1] ** 3


def test_partial_moves_one_coordinate():
    assert partial(bowl, [3.0, 2.0], 0).value == pytest.approx(12.0, rel=1e-13)
    result = partial(bowl, [3.0, 2.0], 1)
    assert result.value == pytest.approx(45.0, rel=1e-13)
    assert result.error < 1e-10 and result.n_evals <= 25


def test_partial_of_a_matrix_entry():
    weights = np.array([[1.0, 2.0], [3.0, 4.0]])
    value = partial(lambda w: np.sum(w**2), weights, (1, 0)).value
    assert value == pytest.approx(6.0, rel=1e-13)


def test_gradient_collects_the_partials():
    assert gradient(bowl, [3.0, 2.0]) == pytest.approx([12.0, 45.0], rel=1e-13)


def test_gradient_has_the_shape_of_x():
    weights = np.arange(6.0).reshape(2, 3)
    grad = gradient(lambda w: np.sum(np.sin(w)), weights)
    assert grad.shape == (2, 3)
    assert grad == pytest.approx(np.cos(weights), rel=1e-12, abs=1e-15)


@given(fields(), vectors2)
def test_gradient_matches_the_exact_gradient(field, x):
    assert gradient(field.f, x) == pytest.approx(field.grad(x), rel=1e-10, abs=1e-10)


@given(fields(), fields(), vectors2)
def test_gradient_is_linear(f, g, x):
    combined = gradient(lambda y: 2 * f.f(y) - g.f(y), x)
    assert combined == pytest.approx(2 * gradient(f.f, x) - gradient(g.f, x), abs=1e-9)


@given(fields(), fields(), vectors2)
def test_gradient_product_rule(f, g, x):
    product = gradient(lambda y: f.f(y) * g.f(y), x)
    rule = f.f(x) * gradient(g.f, x) + g.f(x) * gradient(f.f, x)
    assert product == pytest.approx(rule, abs=1e-9)


def polar(p: np.ndarray) -> np.ndarray:
    return np.array([p[0] * np.cos(p[1]), p[0] * np.sin(p[1]), p[0] ** 2])


def test_jacobian_rows_are_output_gradients():
    r, theta = 2.0, 0.6
    expected = [
        [np.cos(theta), -r * np.sin(theta)],
        [np.sin(theta), r * np.cos(theta)],
        [2 * r, 0.0],
    ]
    assert jacobian(polar, [r, theta]) == pytest.approx(np.array(expected), rel=1e-12, abs=1e-13)


def test_jacobian_of_a_scalar_function_is_its_gradient():
    assert jacobian(bowl, [3.0, 2.0]) == pytest.approx(gradient(bowl, [3.0, 2.0]))


def test_jacobian_shares_evaluations_between_outputs():
    calls = {"one": 0, "three": 0}

    def one_output(p):
        calls["one"] += 1
        return np.array([p[0] * np.cos(p[1])])

    def three_outputs(p):
        calls["three"] += 1
        return polar(p)

    jacobian(one_output, [2.0, 0.6])
    jacobian(three_outputs, [2.0, 0.6])
    assert calls["three"] < 2 * calls["one"]


def test_hessian_of_a_polynomial():
    x, y = 3.0, 2.0
    expected = np.array([[2 * y, 2 * x], [2 * x, 18 * y]])
    result = hessian(bowl, [x, y])
    assert result == pytest.approx(expected, rel=1e-9)
    assert np.array_equal(result, result.T)


def test_hessian_of_a_transcendental_function():
    def f(v):
        return np.exp(v[0]) * np.sin(v[1]) + np.log(1 + v[2] ** 2) * v[0]

    a, b, c = 0.3, -1.2, 0.7
    expected = np.array(
        [
            [np.exp(a) * np.sin(b), np.exp(a) * np.cos(b), 2 * c / (1 + c**2)],
            [np.exp(a) * np.cos(b), -np.exp(a) * np.sin(b), 0.0],
            [2 * c / (1 + c**2), 0.0, 2 * a * (1 - c**2) / (1 + c**2) ** 2],
        ]
    )
    assert hessian(f, [a, b, c]) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: gradient(bowl, 3.0),
            TypeError,
            "x must be an array of coordinates .* use derivative",
        ),
        (lambda: gradient(bowl, []), ValueError, "x must have at least one coordinate"),
        (lambda: gradient(bowl, [1.0, np.nan]), ValueError, "x must be finite"),
        (lambda: gradient("bowl", [1.0]), TypeError, "f must be a function"),
        (
            lambda: gradient(polar, [1.0, 2.0]),
            ValueError,
            r"f must return a single number, got an array of shape \(3,\) .* use jacobian",
        ),
        (
            lambda: gradient(lambda x: "up", [1.0]),
            TypeError,
            "f must return real numbers, got 'up'",
        ),
        (
            lambda: partial(bowl, [1.0, 2.0], 5),
            IndexError,
            r"i = 5 is not an index of x, .* \(2,\)",
        ),
        (
            lambda: partial(np.sum, np.ones((2, 2)), 0),
            IndexError,
            r"i = 0 must pick one coordinate",
        ),
        (lambda: hessian(bowl, np.ones((2, 2))), ValueError, r"hessian needs a 1-d x, got shape"),
        (
            lambda: jacobian(lambda x: np.ones(2 if x[0] == 1.0 else 3), [1.0]),
            ValueError,
            r"f returned shape \(3,\) at x = .* but shape \(2,\) at the first point",
        ),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
