"""gradient_report: passes right gradients (ReLU zeros too), catches wrong ones, reports clearly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from strategies import fields, vectors2

from calclib.gradient_check import gradient_report

INPUTS = np.array([1.0, -2.0, 0.5])


def relu_loss(w: np.ndarray) -> float:
    """Squared ReLU units of a 4x3 layer on fixed inputs, plus weight decay."""
    return float(np.sum(np.maximum(w @ INPUTS, 0.0) ** 2) + 0.1 * np.sum(w**2))


def relu_grad(w: np.ndarray) -> np.ndarray:
    active = np.maximum(w @ INPUTS, 0.0)
    return 2 * active[:, None] * INPUTS[None, :] + 0.2 * w


WEIGHTS = np.random.default_rng(1).normal(size=(4, 3))


def test_a_correct_gradient_passes():
    report = gradient_report(relu_loss, relu_grad, WEIGHTS)
    assert report.ok
    assert report.max_error < 1e-8
    assert report.grad.shape == report.numeric.shape == report.errors.shape == (4, 3)


def test_exact_zeros_of_switched_off_relus_pass():
    weights = np.array([3.0, 0.0, -1.0, 2.0])

    def loss(v):
        return float(np.sum(np.maximum(v, 0.0) * weights) + 1e3)  # large loss: noisy diffs

    def grad(v):
        return (v > 0) * weights

    report = gradient_report(loss, grad, [1.0, -2.0, 0.5, -0.3])
    assert report.grad[1] == 0.0 and report.grad[3] == 0.0
    assert report.ok


@pytest.mark.parametrize(
    "wrong",
    [
        lambda w: -relu_grad(w),  # sign flip
        lambda w: relu_grad(w) / 2,  # missing factor of 2
        lambda w: relu_grad(w) + np.eye(4, 3) * 1e-3,  # small error on the diagonal
    ],
)
def test_wrong_gradients_fail(wrong):
    assert not gradient_report(relu_loss, wrong, WEIGHTS).ok


def test_report_lists_the_worst_components_first():
    def wrong(w):
        g = relu_grad(w)
        g[2, 1] *= -1
        return g

    report = gradient_report(relu_loss, wrong, WEIGHTS)
    lines = repr(report).splitlines()
    assert lines[0].startswith("gradient_report: FAILED, 1 of 12 components differ")
    assert lines[1].split() == ["index", "grad", "central", "difference", "error"]
    assert lines[2].split()[:2] == ["(2,", "1)"] and lines[2].endswith("<- wrong")
    assert len(lines) == 2 + 5
    index, given_value, numeric, error = report.worst(1)[0]
    assert (
        index == (2, 1) and given_value == pytest.approx(-numeric) and error == pytest.approx(2.0)
    )


def test_report_of_a_passing_check():
    report = gradient_report(lambda x: x[0] ** 2, lambda x: 2 * x, [3.0])
    assert repr(report).splitlines()[0] == (
        f"gradient_report: OK (largest error {report.max_error:.1e}, rtol 1e-05)"
    )
    assert report.worst()[0][0] == 0


def test_float32_warns_and_loosens_the_tolerance():
    with pytest.warns(RuntimeWarning, match="gradient_report in float32: .* check in float64"):
        report = gradient_report(relu_loss, relu_grad, WEIGHTS.astype(np.float32))
    assert report.rtol == 1e-2
    assert report.ok


def test_float32_gradient_alone_also_warns():
    def grad(w):
        return relu_grad(w).astype(np.float32)

    with pytest.warns(RuntimeWarning, match="float32"):
        gradient_report(relu_loss, grad, WEIGHTS)


@given(fields(), vectors2)
def test_exact_gradients_of_random_fields_pass_and_flipped_ones_fail(field, x):
    assert gradient_report(field.f, field.grad, x).ok
    if np.max(np.abs(field.grad(x))) > 1e-3:
        assert not gradient_report(field.f, lambda y: -field.grad(y), x).ok


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((relu_loss, "grad", WEIGHTS), {}, TypeError, "grad must be a function .* got 'grad'"),
        ((relu_loss, relu_grad, 2.0), {}, TypeError, "x must be an array of coordinates"),
        (
            (relu_loss, lambda w: np.ones(3), WEIGHTS),
            {},
            ValueError,
            r"grad\(x\) must have the shape of x, \(4, 3\), got shape \(3,\)",
        ),
        (
            (lambda w: w, relu_grad, WEIGHTS),
            {},
            ValueError,
            r"f must return a single number, got an array of shape \(4, 3\)",
        ),
        ((relu_loss, lambda w: "g", WEIGHTS), {}, TypeError, "grad must return an array of real"),
        ((relu_loss, relu_grad, WEIGHTS), {"rtol": 0.0}, ValueError, "rtol must be a positive"),
    ],
)
def test_bad_input_is_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        gradient_report(*args, **kwargs)
