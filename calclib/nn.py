"""A tiny neural-network library on top of the ``Value`` engine: neurons, layers, MLPs.

A neuron computes ``activation(w · x + b)``; a layer is a list of neurons reading the
same inputs; a multi-layer perceptron (MLP) feeds each layer's outputs to the next.
Weights start uniform on [-1, 1] from a seeded ``random.Random``, biases at 0, so the
same seed always builds the same network.

Introduced in 06-autograd.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from calclib.engine import Value

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _activate(z: Value, activation: str) -> Value:
    if activation == "tanh":
        return z.tanh()
    if activation == "relu":
        return z.relu()
    if activation == "sigmoid":
        return z.sigmoid()
    return z


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: choose one of {ACTIVATIONS}")
    return activation


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
    n_inputs : int
        Length of the input vector x.
    activation : str
        ``"tanh"``, ``"relu"``, ``"sigmoid"`` or ``"linear"`` (no activation).
    rng : random.Random, optional
        Source of the initial weights (uniform on [-1, 1]); seed it for reproducibility.

    Examples
    --------
    >>> neuron = Neuron(2, activation="linear", rng=random.Random(0))
    >>> neuron.w[0].data = 2.0; neuron.w[1].data = -1.0; neuron.b.data = 0.5
    >>> neuron([1.0, 3.0]).data    # 2·1 − 1·3 + 0.5
    -0.5

    Introduced in 06-autograd.
    """

    def __init__(
        self, n_inputs: int, activation: str = "tanh", rng: random.Random | None = None
    ) -> None:
        if not isinstance(n_inputs, int) or n_inputs < 1:
            raise ValueError(f"n_inputs must be a positive int, got {n_inputs!r}")
        rng = rng if rng is not None else random.Random(0)
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(n_inputs)]
        self.b = Value(0.0)
        self.activation = _check_activation(activation)

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        return _activate(z, self.activation)

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``n_outputs`` neurons reading the same inputs; returns the list of their outputs.

    Examples
    --------
    >>> layer = Layer(3, 2, rng=random.Random(0))
    >>> len(layer([1.0, 2.0, 3.0])), len(layer.parameters())
    (2, 8)

    Introduced in 06-autograd.
    """

    def __init__(
        self,
        n_inputs: int,
        n_outputs: int,
        activation: str = "tanh",
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(n_outputs, int) or n_outputs < 1:
            raise ValueError(f"n_outputs must be a positive int, got {n_outputs!r}")
        rng = rng if rng is not None else random.Random(0)
        self.neurons = [Neuron(n_inputs, activation, rng) for _ in range(n_outputs)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return [neuron(x) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        first = self.neurons[0]
        return f"Layer({len(first.w)}, {len(self.neurons)}, activation={first.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``layer_sizes`` applied one after another.

    Hidden layers use ``activation``; the last layer uses ``output_activation``
    (``"linear"`` by default, for regression). Like micrograd, calling the network
    returns a single Value when the last layer has one neuron, else a list.

    Parameters
    ----------
    n_inputs : int
        Number of input features.
    layer_sizes : sequence of int
        Neurons per layer, e.g. ``[16, 16, 1]``.
    activation, output_activation : str
        ``"tanh"``, ``"relu"``, ``"sigmoid"`` or ``"linear"``.
    seed : int
        Seed of the ``random.Random`` that draws the initial weights.

    Examples
    --------
    >>> model = MLP(2, [16, 16, 1], seed=0)
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
        n_inputs: int,
        layer_sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "linear",
        seed: int = 0,
    ) -> None:
        if len(layer_sizes) == 0:
            raise ValueError("layer_sizes is empty: give the neurons per layer, e.g. [16, 16, 1]")
        rng = random.Random(seed)
        sizes = [n_inputs, *layer_sizes]
        activations = [activation] * (len(layer_sizes) - 1) + [output_activation]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activations[i], rng) for i in range(len(layer_sizes))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = self.layers[0](x)
        for layer in self.layers[1:]:
            out = layer(out)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"
