"""calclib.optimizers: closed forms, the 2/L bound, torch's momentum and Adam, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from calclib.optimizers import Trajectory, adam, gradient_descent, momentum, stable_learning_rate

A = np.array([[3.0, 1.0], [1.0, 2.0]])  # f(x) = ½ xᵀAx, ∇f = Ax, L = (5 + √5)/2


def quadratic(x: np.ndarray) -> float:
    return 0.5 * float(x @ A @ x)


def quadratic_grad(x: np.ndarray) -> np.ndarray:
    return A @ x


def test_gradient_descent_on_x_squared_is_10_times_0_8_to_the_n() -> None:
    run = gradient_descent(lambda x: 2 * x, 10.0, lr=0.1, n_steps=20, f=lambda x: x * x)
    n = np.arange(21)
    np.testing.assert_allclose(run.points, 10 * 0.8**n, rtol=1e-14)
    np.testing.assert_allclose(run.losses, (10 * 0.8**n) ** 2, rtol=1e-14)
    assert run.points.shape == (21,) and round(run.x, 4) == 0.1153
    assert not run.diverged and run.message == ""


def test_stable_learning_rate_is_two_over_the_largest_eigenvalue() -> None:
    assert stable_learning_rate(A) == pytest.approx(4 / (5 + math.sqrt(5)), rel=1e-15)
    assert stable_learning_rate(2.0) == 1.0
    assert stable_learning_rate([[4.0, 0.0], [0.0, 0.0]]) == 0.5  # semi-definite is fine


@pytest.mark.parametrize("factor", [0.5, 0.9, 0.99])
def test_below_two_over_l_gradient_descent_converges(factor: float) -> None:
    lr = factor * stable_learning_rate(A)
    run = gradient_descent(quadratic_grad, [1.0, -2.0], lr=lr, n_steps=2000, f=quadratic)
    assert run.points.shape == (2001, 2)
    assert run.losses[-1] < 1e-12 and not run.diverged


@pytest.mark.parametrize("factor", [1.01, 1.2])
def test_above_two_over_l_gradient_descent_grows_then_stops_as_diverged(factor: float) -> None:
    lr = factor * stable_learning_rate(A)
    short = gradient_descent(quadratic_grad, [1.0, -2.0], lr=lr, n_steps=200, f=quadratic)
    assert short.losses[-1] > short.losses[0]
    run = gradient_descent(quadratic_grad, [1.0, -2.0], lr=lr, n_steps=200_000, f=quadratic)
    assert run.diverged and "diverged at step" in run.message and "2/L" in run.message
    assert len(run.points) == len(run.losses) < 200_001
    assert np.all(np.isfinite(run.points)) and np.all(np.isfinite(run.losses))


def test_python_float_overflow_also_ends_the_run() -> None:
    run = gradient_descent(lambda x: 2 * x, 10.0, lr=1.5, n_steps=5000, f=lambda x: x**2)
    assert run.diverged and len(run.points) < 5001 and math.isfinite(run.x)


def torch_trajectory(make_optimizer, x0, n_steps: int) -> np.ndarray:
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([x])
    points = [x.detach().clone().numpy()]
    for _ in range(n_steps):
        opt.zero_grad()
        (0.5 * x @ torch.tensor(A) @ x).backward()
        opt.step()
        points.append(x.detach().clone().numpy())
    return np.array(points)


def test_momentum_matches_torch_sgd_with_momentum() -> None:
    ours = momentum(quadratic_grad, [1.0, -2.0], lr=0.05, n_steps=50, beta=0.8)
    theirs = torch_trajectory(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8), [1.0, -2.0], 50)
    np.testing.assert_allclose(ours.points, theirs, rtol=1e-12, atol=1e-14)


def test_momentum_with_beta_0_is_gradient_descent() -> None:
    plain = gradient_descent(quadratic_grad, [1.0, -2.0], lr=0.1, n_steps=10)
    np.testing.assert_array_equal(
        momentum(quadratic_grad, [1.0, -2.0], lr=0.1, n_steps=10, beta=0.0).points, plain.points
    )


def test_adam_matches_torch_adam() -> None:
    ours = adam(quadratic_grad, [1.0, -2.0], lr=0.1, n_steps=50, beta1=0.8, beta2=0.99)
    theirs = torch_trajectory(
        lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.8, 0.99)), [1.0, -2.0], 50
    )
    np.testing.assert_allclose(ours.points, theirs, rtol=1e-12, atol=1e-14)


def test_adam_first_step_has_length_lr_in_every_coordinate() -> None:
    run = adam(lambda x: np.array([1000.0 * x[0], 0.001 * x[1]]), [1.0, 1.0], lr=0.1, n_steps=1)
    np.testing.assert_allclose(run.points[1], [0.9, 0.9], rtol=1e-4)  # ε = 1e-8 aside


def test_trajectories_are_read_only_and_record_losses_only_when_asked() -> None:
    run = gradient_descent(quadratic_grad, np.array([1.0, 1.0]), lr=0.1, n_steps=3)
    assert isinstance(run, Trajectory) and run.losses is None
    with pytest.raises(ValueError, match="read-only"):
        run.points[0, 0] = 5.0
    start = gradient_descent(quadratic_grad, [1.0, 1.0], lr=0.1, n_steps=0, f=quadratic)
    assert start.points.shape == (1, 2) and start.losses.tolist() == [3.5]


def test_grad_receives_a_float_or_a_copy_of_the_point() -> None:
    seen = []

    def grad(x):
        seen.append(type(x))
        if isinstance(x, np.ndarray):
            x[0] = 99.0  # must not change the recorded trajectory
        return 2 * x

    gradient_descent(grad, 1.0, lr=0.1, n_steps=1)
    run = gradient_descent(grad, [1.0, 1.0], lr=0.1, n_steps=1)
    assert seen == [float, np.ndarray] and run.points[0].tolist() == [1.0, 1.0]


def test_repr_reports_the_run() -> None:
    run = gradient_descent(lambda x: 2 * x, 10.0, lr=0.1, n_steps=20, f=lambda x: x * x)
    assert repr(run) == "Trajectory(20 steps, x=0.1153, loss=0.01329)"
    diverged = gradient_descent(lambda x: 2 * x, 1.0, lr=3.0, n_steps=2000)
    assert "; diverged at step" in repr(diverged)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: gradient_descent(None, 1.0, 0.1, 5), TypeError, r"grad must be a function of x"),
        (
            lambda: gradient_descent(np.cos, 1.0, 0.1, 5, f=3),
            TypeError,
            r"f must be a function of x or None, got int 3",
        ),
        (lambda: gradient_descent(np.cos, math.inf, 0.1, 5), ValueError, r"x0 must be finite"),
        (lambda: gradient_descent(np.cos, "a", 0.1, 5), TypeError, r"x0 must be a number"),
        (lambda: gradient_descent(np.cos, np.eye(2), 0.1, 5), ValueError, r"got shape \(2, 2\)"),
        (lambda: gradient_descent(np.cos, 1.0, 0.0, 5), ValueError, r"lr must be a positive"),
        (lambda: gradient_descent(np.cos, 1.0, 0.1, 2.5), ValueError, r"n_steps must be a whole"),
        (lambda: gradient_descent(np.cos, 1.0, 0.1, -1), ValueError, r"n_steps must be a whole"),
        (
            lambda: gradient_descent(lambda x: [1.0, 2.0], 1.0, 0.1, 5),
            ValueError,
            r"grad returned shape \(2,\) at x of shape \(\): it must return one partial",
        ),
        (
            lambda: gradient_descent(lambda x: "up", 1.0, 0.1, 5),
            TypeError,
            r"grad must return numbers, got str 'up'",
        ),
        (
            lambda: gradient_descent(np.cos, [1.0, 2.0], 0.1, 5, f=lambda x: x),
            ValueError,
            r"f must return a single number, got shape \(2,\)",
        ),
        (lambda: momentum(np.cos, 1.0, 0.1, 5, beta=1.0), ValueError, r"beta must be in \[0, 1\)"),
        (lambda: adam(np.cos, 1.0, 0.1, 5, beta2=-0.1), ValueError, r"beta2 must be in \[0, 1\)"),
        (lambda: adam(np.cos, 1.0, 0.1, 5, eps=0.0), ValueError, r"eps must be a positive"),
        (lambda: stable_learning_rate(np.ones((2, 3))), ValueError, r"square matrix, got shape"),
        (lambda: stable_learning_rate([[1.0, math.nan]] * 2), ValueError, r"must be finite"),
        (
            lambda: stable_learning_rate([[1.0, 2.0], [0.0, 1.0]]),
            ValueError,
            r"must be symmetric, but A\[0, 1\] = 2.0 and A\[1, 0\] = 0.0",
        ),
        (
            lambda: stable_learning_rate([[1.0, 0.0], [0.0, -3.0]]),
            ValueError,
            r"negative eigenvalue -3: the quadratic has no minimum",
        ),
        (lambda: stable_learning_rate(np.zeros((2, 2))), ValueError, r"the Hessian is zero"),
    ],
)
def test_bad_input_is_refused_clearly(make, error, message) -> None:
    with pytest.raises(error, match=message):
        make()
