"""Gradient descent, momentum and Adam, returning the whole trajectory for plotting.

Each optimizer takes a gradient function ``grad(x)`` and a start ``x0`` (a number or a
1-D array) and records every iterate, and the loss ``f(x)`` when ``f`` is given. A run
that blows up (a point or loss that is not finite) stops there and says so in
``Trajectory.diverged`` and ``Trajectory.message``, without numpy overflow warnings.

Introduced in 05-gradient-descent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np

Point = Any  # a float, or a 1-D numpy array of floats
Step = Callable[[np.ndarray, np.ndarray, int], np.ndarray]


@dataclass(frozen=True)
class Trajectory:
    """The iterates of an optimizer: ``points[k]`` is x after k steps (``points[0]`` = x0).

    Attributes
    ----------
    points : numpy.ndarray
        Shape ``(n + 1, d)`` for a vector start, ``(n + 1,)`` for a number; read-only.
    losses : numpy.ndarray or None
        ``f(points[k])`` for each k when ``f`` was given.
    diverged : bool
        True if the run stopped early because a point or loss was not finite.
    message : str
        Why the run stopped early ("" if it did not).

    Introduced in 05-gradient-descent.
    """

    points: np.ndarray
    losses: np.ndarray | None
    diverged: bool = False
    message: str = ""

    @property
    def x(self) -> Point:
        """The last point reached."""
        last = self.points[-1]
        return float(last) if np.ndim(last) == 0 else last

    def __repr__(self) -> str:
        x = np.array2string(np.asarray(self.x), precision=4)
        loss = "" if self.losses is None else f", loss={self.losses[-1]:.4g}"
        status = f"; {self.message}" if self.diverged else ""
        return f"Trajectory({len(self.points) - 1} steps, x={x}{loss}{status})"


def gradient_descent(
    grad: Callable[[Point], Any],
    x0: float | Sequence[float] | np.ndarray,
    lr: float,
    n_steps: int,
    f: Callable[[Point], float] | None = None,
) -> Trajectory:
    """Plain gradient descent: xₖ₊₁ = xₖ − η ∇f(xₖ).

    Parameters
    ----------
    grad : callable
        ∇f: takes x (a float, or a 1-D array) and returns an object of the same shape.
    x0 : float or array_like
        The start, finite.
    lr : float
        The learning rate η > 0.
    n_steps : int
        Number of steps (≥ 0).
    f : callable, optional
        The loss, recorded at every point.

    Returns
    -------
    Trajectory
        ``points`` (n_steps + 1 of them, fewer if the run diverged) and ``losses``.

    Examples
    --------
    On f(x) = x², each step multiplies x by 1 − 0.1·2 = 0.8, so xₙ = 10·0.8ⁿ:

    >>> run = gradient_descent(lambda x: 2 * x, 10.0, lr=0.1, n_steps=20, f=lambda x: x * x)
    >>> run.points[:3], round(run.x, 4)
    (array([10. ,  8. ,  6.4]), 0.1153)

    Introduced in 05-gradient-descent.
    """
    lr = _positive(lr, "lr")

    def step(x: np.ndarray, g: np.ndarray, t: int) -> np.ndarray:
        return x - lr * g

    return _descend(grad, x0, n_steps, f, step)


def momentum(
    grad: Callable[[Point], Any],
    x0: float | Sequence[float] | np.ndarray,
    lr: float,
    n_steps: int,
    beta: float = 0.9,
    f: Callable[[Point], float] | None = None,
) -> Trajectory:
    """Gradient descent with momentum (heavy ball), as ``torch.optim.SGD(momentum=beta)``.

    vₖ₊₁ = β vₖ + ∇f(xₖ) (v₀ = 0),  xₖ₊₁ = xₖ − η vₖ₊₁.

    The velocity v remembers past gradients: steps grow along a consistent direction and
    oscillations across a narrow valley cancel out. Parameters as in
    :func:`gradient_descent`, plus ``beta`` in [0, 1) (0 gives plain gradient descent).

    Examples
    --------
    >>> run = momentum(lambda x: 2 * x, 10.0, lr=0.1, n_steps=2, beta=0.5)
    >>> run.points        # v₁ = 20, x₁ = 8; v₂ = 0.5·20 + 16 = 26, x₂ = 5.4
    array([10. ,  8. ,  5.4])

    Introduced in 05-gradient-descent.
    """
    lr = _positive(lr, "lr")
    beta = _fraction(beta, "beta")
    v: Any = 0.0

    def step(x: np.ndarray, g: np.ndarray, t: int) -> np.ndarray:
        nonlocal v
        v = beta * v + g
        return x - lr * v

    return _descend(grad, x0, n_steps, f, step)


def adam(
    grad: Callable[[Point], Any],
    x0: float | Sequence[float] | np.ndarray,
    lr: float,
    n_steps: int,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    f: Callable[[Point], float] | None = None,
) -> Trajectory:
    """Adam, as ``torch.optim.Adam``: momentum on the gradient, scaled per coordinate.

    mₖ = β₁ mₖ₋₁ + (1 − β₁) g,  vₖ = β₂ vₖ₋₁ + (1 − β₂) g²,
    xₖ = xₖ₋₁ − η m̂ / (√v̂ + ε) with m̂ = mₖ/(1 − β₁ᵏ), v̂ = vₖ/(1 − β₂ᵏ).

    Dividing by √v̂ makes the first steps about η long in every coordinate, however
    steep or flat f is there. Parameters as in :func:`gradient_descent`, plus
    ``beta1``, ``beta2`` in [0, 1) and ``eps`` > 0.

    Examples
    --------
    >>> run = adam(lambda x: 2 * x, 10.0, lr=0.1, n_steps=3)
    >>> np.round(run.points, 3)     # steps of ≈ η = 0.1, whatever the gradient's size
    array([10. ,  9.9,  9.8,  9.7])

    Introduced in 05-gradient-descent.
    """
    lr = _positive(lr, "lr")
    beta1, beta2 = _fraction(beta1, "beta1"), _fraction(beta2, "beta2")
    eps = _positive(eps, "eps")
    m: Any = 0.0
    v: Any = 0.0

    def step(x: np.ndarray, g: np.ndarray, t: int) -> np.ndarray:
        nonlocal m, v
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return x - lr * m_hat / (np.sqrt(v_hat) + eps)

    return _descend(grad, x0, n_steps, f, step)


def stable_learning_rate(hessian: float | Sequence[Sequence[float]] | np.ndarray) -> float:
    """The bound 2/L below which gradient descent converges on a quadratic.

    For f(x) = ½ xᵀAx − bᵀx with A symmetric positive semi-definite, a step gives
    xₖ₊₁ − x* = (I − ηA)(xₖ − x*); along the eigenvector of eigenvalue λ the error is
    multiplied by 1 − ηλ, which shrinks for every λ > 0 exactly when 0 < η < 2/L,
    L = λ_max(A). At η = 2/L the stiffest direction oscillates forever; above, it grows.

    Parameters
    ----------
    hessian : float or array_like
        The Hessian A (a number for a function of one variable: f'' = A).

    Returns
    -------
    float
        2 / λ_max(A).

    Examples
    --------
    >>> stable_learning_rate(2.0)                 # f(x) = x², f'' = 2
    1.0
    >>> stable_learning_rate([[2.0, 0.0], [0.0, 10.0]])   # f = x² + 5y²
    0.2

    Introduced in 05-gradient-descent.
    """
    A = np.atleast_2d(np.asarray(hessian, dtype=float))
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"the Hessian must be a square matrix, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"the Hessian must be finite, got {A.tolist()}")
    scale = float(np.max(np.abs(A), initial=0.0))
    if not np.allclose(A, A.T, rtol=0.0, atol=1e-12 * scale):
        i, j = np.unravel_index(np.argmax(np.abs(A - A.T)), A.shape)
        raise ValueError(
            f"the Hessian must be symmetric, but A[{i}, {j}] = {A[i, j]} and A[{j}, {i}] = "
            f"{A[j, i]}; a Hessian of a smooth f is symmetric (check your second derivatives)"
        )
    eigenvalues = np.linalg.eigvalsh(A)
    if eigenvalues[0] < -1e-12 * scale:
        raise ValueError(
            f"the Hessian has a negative eigenvalue {eigenvalues[0]:.6g}: the quadratic has no "
            "minimum and gradient descent moves away along that direction for every lr"
        )
    if eigenvalues[-1] <= 1e-12 * scale or scale == 0.0:
        raise ValueError("the Hessian is zero: f is linear, and no lr makes it converge")
    return float(2.0 / eigenvalues[-1])


def _descend(
    grad: Callable[[Point], Any],
    x0: Any,
    n_steps: int,
    f: Callable[[Point], float] | None,
    step: Step,
) -> Trajectory:
    """Run ``x ← step(x, grad(x), t)`` for t = 1..n_steps, recording points and losses."""
    if not callable(grad):
        raise TypeError(f"grad must be a function of x, got {type(grad).__name__} {grad!r}")
    if f is not None and not callable(f):
        raise TypeError(f"f must be a function of x or None, got {type(f).__name__} {f!r}")
    if not isinstance(n_steps, Integral) or isinstance(n_steps, bool) or n_steps < 0:
        raise ValueError(f"n_steps must be a whole number ≥ 0, got {n_steps!r}")
    x = _start(x0)
    points, losses = [x], [] if f is None else [_loss(f, x)]
    message = ""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(1, int(n_steps) + 1):
            try:
                x = step(x, _gradient(grad, x), t)
                loss = _loss(f, x) if f is not None else 0.0
            except OverflowError:
                x, loss = np.full_like(x, np.inf), np.inf
            if not (np.all(np.isfinite(x)) and np.isfinite(loss)):
                message = (
                    f"diverged at step {t}: x or f(x) is no longer finite; lr is too large "
                    "for this function (for a quadratic it must be below 2/L, see "
                    "stable_learning_rate)"
                )
                break
            points.append(x)
            if f is not None:
                losses.append(loss)
    return Trajectory(
        _frozen(np.array(points)),
        None if f is None else _frozen(np.array(losses)),
        bool(message),
        message,
    )


def _start(x0: Any) -> np.ndarray:
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"x0 must be a number or a 1-D array of numbers, got {x0!r}") from None
    if x.ndim > 1:
        raise ValueError(f"x0 must be a number or a 1-D array, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    return x


def _point(x: np.ndarray) -> Point:
    """What user functions receive: a float for a scalar x, else a copy of the array."""
    return float(x) if x.ndim == 0 else x.copy()


def _gradient(grad: Callable[[Point], Any], x: np.ndarray) -> np.ndarray:
    value = grad(_point(x))
    try:
        g = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"grad must return numbers, got {type(value).__name__} {value!r}") from None
    if g.shape != x.shape:
        raise ValueError(
            f"grad returned shape {g.shape} at x of shape {x.shape}: it must return one "
            "partial derivative per coordinate of x"
        )
    return g


def _loss(f: Callable[[Point], float], x: np.ndarray) -> float:
    value = f(_point(x))
    if not isinstance(value, Real) and np.ndim(value) != 0:
        raise ValueError(f"f must return a single number, got shape {np.shape(value)}")
    return float(value)


def _positive(number: float, name: str) -> float:
    if not isinstance(number, Real) or not 0 < number < np.inf:
        raise ValueError(f"{name} must be a positive finite number, got {number!r}")
    return float(number)


def _fraction(number: float, name: str) -> float:
    if not isinstance(number, Real) or not 0 <= number < 1:
        raise ValueError(f"{name} must be in [0, 1), got {number!r}")
    return float(number)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
