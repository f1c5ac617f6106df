"""calclib.nn: MLP forward and backward against torch, seeding, parameters, bad input."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from calclib.engine import Value
from calclib.nn import MLP, Layer, Neuron

DOUBLE_LEAF = {"dtype": torch.float64, "requires_grad": True}
TORCH_ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


def torch_mlp_loss(model: MLP, xs: np.ndarray, ys: np.ndarray, activations: list[str]):
    """The same network with torch weight matrices; returns (loss, [(W, b) per layer])."""
    layers = [
        (
            torch.tensor([[w.data for w in n.w] for n in layer.neurons], **DOUBLE_LEAF),
            torch.tensor([n.b.data for n in layer.neurons], **DOUBLE_LEAF),
        )
        for layer in model.layers
    ]
    h = torch.tensor(xs)
    for (W, b), activation in zip(layers, activations):
        h = h @ W.T + b
        h = TORCH_ACTIVATIONS[activation](h) if activation != "linear" else h
    loss = ((h - torch.tensor(ys)) ** 2).mean()
    loss.backward()
    return loss, layers


@pytest.mark.parametrize(
    ("activation", "output_activation"),
    [("tanh", "linear"), ("relu", "linear"), ("sigmoid", "tanh"), ("tanh", "sigmoid")],
)
def test_forward_and_backward_agree_with_torch(activation: str, output_activation: str) -> None:
    rng = np.random.default_rng(3)
    xs, ys = rng.normal(size=(12, 3)), rng.normal(size=(12, 2))
    model = MLP(3, [8, 5, 2], activation=activation, output_activation=output_activation, seed=1)
    outputs = [model(list(x)) for x in xs]
    loss = sum(((o - y) ** 2 for out, target in zip(outputs, ys) for o, y in zip(out, target)))
    loss = loss * (1.0 / ys.size)
    model.zero_grad()
    loss.backward()
    loss_t, layers = torch_mlp_loss(model, xs, ys, [activation, activation, output_activation])
    assert loss.data == pytest.approx(loss_t.item(), rel=1e-12)
    grads_t = np.concatenate(
        [np.column_stack([W.grad.numpy(), b.grad.numpy()]).ravel() for W, b in layers]
    )
    np.testing.assert_allclose([p.grad for p in model.parameters()], grads_t, rtol=1e-9, atol=1e-12)


def test_the_same_seed_builds_the_same_network() -> None:
    weights = [[p.data for p in MLP(2, [4, 1], seed=s).parameters()] for s in (7, 7, 8)]
    assert weights[0] == weights[1] != weights[2]
    assert all(-1.0 <= w <= 1.0 for w in weights[0])


def test_parameters_are_weights_then_bias_neuron_by_neuron() -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    assert len(model.parameters()) == 3 * 16 + 17 * 16 + 17
    first = model.layers[0].neurons[0]
    assert model.parameters()[:3] == [*first.w, first.b]
    assert first.b.data == 0.0


def test_zero_grad_resets_every_parameter() -> None:
    model = MLP(2, [3, 1], seed=0)
    model([1.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_outputs_one_value_or_a_list() -> None:
    assert isinstance(MLP(2, [3, 1])([0.5, 0.5]), Value)
    outputs = MLP(2, [3, 2])([0.5, 0.5])
    assert isinstance(outputs, list) and len(outputs) == 2
    assert len(Layer(2, 4, rng=random.Random(0))([Value(1.0), 2.0])) == 4
    assert isinstance(Layer(2, 1)([Value(1.0), 2.0]), Value)  # micrograd: one neuron, one Value
    assert isinstance(MLP(2, [1, 3])([0.5, 0.5]), list)  # a one-neuron hidden layer feeds on


def test_any_iterable_of_inputs_works_and_is_read_once_per_neuron() -> None:
    model = MLP(3, [4, 1], seed=2)
    xs = [0.5, -1.0, 2.0]
    assert model(map(Value, xs)).data == model(xs).data == model(iter(xs)).data


def test_a_neuron_computes_activation_of_w_dot_x_plus_b() -> None:
    neuron = Neuron(2, rng=random.Random(0))  # ReLU by default, as micrograd
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 2.0, -1.0, 0.5
    assert neuron([1.0, 3.0]).data == 0.0  # relu(-0.5)
    assert neuron([3.0, 1.0]).data == 5.5
    linear = Neuron(2, False, rng=random.Random(0))
    linear.w[0].data, linear.w[1].data, linear.b.data = 2.0, -1.0, 0.5
    assert linear([1.0, 3.0]).data == -0.5


def test_micrograd_defaults_relu_hidden_linear_output_from_python_random() -> None:
    random.seed(5)
    first = [p.data for p in MLP(2, [3, 1]).parameters()]
    random.seed(5)
    assert [p.data for p in MLP(2, [3, 1]).parameters()] == first
    model = MLP(2, [3, 1])
    assert [n.activation for layer in model.layers for n in layer.neurons] == ["relu"] * 3 + [
        "linear"
    ]
    assert [n.nonlin for n in model.layers[0].neurons] == [True] * 3
    assert not model.layers[1].neurons[0].nonlin


def test_reprs_are_micrograds() -> None:
    assert repr(MLP(2, [2, 1])) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]"
    )
    assert repr(Neuron(4, activation="tanh")) == "TanhNeuron(4)"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: MLP(2, [3, 1], activation="softmax"), r"unknown activation 'softmax': choose"),
        (lambda: MLP(2, []), r"nouts is empty"),
        (lambda: MLP(2, [3, 0]), r"nout must be a positive int, got 0"),
        (lambda: Neuron(0), r"nin must be a positive int, got 0"),
        (lambda: Neuron(True), r"nin must be a positive int, got True"),
        (lambda: MLP(2, [3, 1])([1.0, 2.0, 3.0]), r"this neuron takes 2 inputs, got 3"),
    ],
)
def test_bad_input_is_refused_clearly(make, message) -> None:
    with pytest.raises(ValueError, match=message):
        make()
