"""A tiny neural-network library on top of the ``Value`` engine: neurons, layers, MLPs.

A neuron computes ``activation(w · x + b)``; a layer is a list of neurons reading the
same inputs; a multi-layer perceptron (MLP) feeds each layer's outputs to the next.

The API is micrograd's, argument for argument: ``Neuron(nin, nonlin=True)`` (ReLU, or no
activation with ``nonlin=False``), ``Layer(nin, nout, **kwargs)``, ``MLP(nin, nouts)`` with
ReLU hidden layers and a linear output, initial weights drawn uniform on [-1, 1] from
Python's ``random`` module (so ``random.seed`` makes them repeatable) and biases at 0.
calclib adds keyword-only extras: ``activation=`` (``"relu"``, ``"tanh"``, ``"sigmoid"`` or
``"linear"``), ``output_activation=`` for an MLP's last layer, and ``seed=`` / ``rng=`` for
weights from a generator of their own.

Introduced in 06-autograd.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from calclib.engine import Value

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


def _activate(z: Value, activation: str) -> Value:
    if activation == "relu":
        return z.relu()
    if activation == "tanh":
        return z.tanh()
    if activation == "sigmoid":
        return z.sigmoid()
    return z


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: choose one of {ACTIVATIONS}")
    return activation


def _check_count(n: object, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
    return n


def _as_list(x: Iterable[Value | float]) -> list[Value | float]:
    """The inputs as a list, so any iterable (``map(Value, xs)`` too) can be read twice."""
    return x if isinstance(x, list) else list(x)


class Module:
    """Something with parameters: lists them and resets their gradients."""

    def parameters(self) -> list[Value]:
        """Every trainable Value, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (gradients accumulate across ``backward``)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: y = activation(Σᵢ wᵢ xᵢ + b).

    Parameters
    ----------
    nin : int
        Length of the input vector x.
    nonlin : bool
        micrograd's switch: ReLU if True, no activation if False.
    activation : str, optional (keyword)
        ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"linear"``; overrides ``nonlin``.
    rng : random.Random, optional (keyword)
        Source of the initial weights (uniform on [-1, 1]); Python's ``random`` by default.

    Examples
    --------
    >>> neuron = Neuron(2, nonlin=False)
    >>> neuron.w[0].data = 2.0; neuron.w[1].data = -1.0; neuron.b.data = 0.5
    >>> neuron([1.0, 3.0]).data    # 2·1 − 1·3 + 0.5
    -0.5
    >>> Neuron(2)([1.0, 3.0]).data >= 0    # ReLU by default, as in micrograd
    True

    Introduced in 06-autograd.
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        draw = (rng or random).uniform
        self.w = [Value(draw(-1.0, 1.0)) for _ in range(_check_count(nin, "nin"))]
        self.b = Value(0.0)
        if activation is None:
            activation = "relu" if nonlin else "linear"
        self.activation = _check_activation(activation)
        self.nonlin = self.activation != "linear"

    def __call__(self, x: Iterable[Value | float]) -> Value:
        x = _as_list(x)
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        return _activate(z, self.activation)

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        kind = "ReLU" if self.activation == "relu" else self.activation.capitalize()
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs: one Value if ``nout`` is 1, else a list.

    Keyword arguments (``nonlin``, ``activation``, ``rng``) go to every :class:`Neuron`.

    Examples
    --------
    >>> layer = Layer(3, 2)
    >>> len(layer([1.0, 2.0, 3.0])), len(layer.parameters())
    (2, 8)
    >>> type(Layer(3, 1)([1.0, 2.0, 3.0])).__name__
    'Value'

    Introduced in 06-autograd.
    """

    def __init__(self, nin: int, nout: int, **kwargs: object) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(_check_count(nout, "nout"))]  # type: ignore[arg-type]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        x = _as_list(x)
        out = [neuron(x) for neuron in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of ``nouts`` neurons applied one after another.

    Hidden layers use ``activation`` (ReLU, as micrograd); the last layer uses
    ``output_activation`` (none by default, for regression). Calling the network returns a
    single Value when the last layer has one neuron, else a list.

    Parameters
    ----------
    nin : int
        Number of input features.
    nouts : sequence of int
        Neurons per layer, e.g. ``[16, 16, 1]``.
    activation, output_activation : str (keyword)
        ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"linear"``.
    seed : int, optional (keyword)
        Draw the initial weights from ``random.Random(seed)`` instead of Python's ``random``.

    Examples
    --------
    >>> model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    >>> len(model.parameters())      # (2+1)·16 + (16+1)·16 + (16+1)·1
    337
    >>> loss = (model([0.5, -1.0]) - 1.0) ** 2
    >>> model.zero_grad(); loss.backward()
    >>> any(p.grad != 0 for p in model.parameters())
    True

    Introduced in 06-autograd.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: str = "relu",
        output_activation: str = "linear",
        seed: int | None = None,
    ) -> None:
        nouts = list(nouts)
        if not nouts:
            raise ValueError("nouts is empty: give the neurons per layer, e.g. [16, 16, 1]")
        rng = random.Random(seed) if seed is not None else None
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation=output_activation if i == last else activation,
                rng=rng,
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        out: Value | list[Value] | list[Value | float] = _as_list(x)
        for layer in self.layers:
            out = layer(out if isinstance(out, list) else [out])
        return out  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
