"""One training step of a 2-16-16-1 tanh MLP: calclib's Value against micrograd 0.1.0.

A step is the forward pass of the mean squared error over 100 points, ``backward()``
and an SGD update of every parameter. Both engines get the same weights and data and
compute the same function (micrograd 0.1.0 has no tanh, so it gets one written in its
own style below); their gradients are compared before any timing. Rounds alternate
between the engines in one process and CPU time (``time.process_time``) is measured,
once with the garbage collector disabled and once enabled.

Run: ``.venv/bin/python benchmarks/engine_speed.py`` (needs ``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import gc
import math
import random
import statistics
import time
from collections.abc import Callable

import micrograd.engine as mg

from calclib.nn import MLP

N_POINTS = 100
LAYER_SIZES = [16, 16, 1]
LR = 0.05
ROUNDS = 21


def micrograd_tanh(x: mg.Value) -> mg.Value:
    """tanh as a micrograd op: output and a closure that adds the local derivative."""
    t = math.tanh(x.data)
    out = mg.Value(t, (x,), "tanh")

    def _backward() -> None:
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


class MicrogradMLP:
    """The same network as ``calclib.nn.MLP``, built from micrograd Values."""

    def __init__(self, model: MLP) -> None:
        self.layers = [
            [([mg.Value(w.data) for w in n.w], mg.Value(n.b.data)) for n in layer.neurons]
            for layer in model.layers
        ]

    def __call__(self, x: list[float]) -> mg.Value:
        for i, layer in enumerate(self.layers):
            last = i == len(self.layers) - 1
            outs = []
            for w, b in layer:
                z = sum((wi * xi for wi, xi in zip(w, x)), b)
                outs.append(z if last else micrograd_tanh(z))
            x = outs
        return x[0]

    def parameters(self) -> list[mg.Value]:
        return [p for layer in self.layers for w, b in layer for p in [*w, b]]


def make_data(seed: int = 1) -> tuple[list[list[float]], list[float]]:
    rng = random.Random(seed)
    xs = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(N_POINTS)]
    ys = [math.sin(a) * math.cos(b) for a, b in xs]
    return xs, ys


def train_step(model, xs, ys):  # type: ignore[no-untyped-def]
    """Forward MSE, backward, SGD update; the same code drives both engines.

    Returns the loss node, so the graph is freed after the clock stops, for both
    engines (with the collector off micrograd's cyclic graphs are never freed anyway).
    """
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) * (1.0 / len(xs))
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= LR * p.grad
    return loss


def check_same_gradients(ours: MLP, theirs: MicrogradMLP, xs, ys) -> None:  # type: ignore[no-untyped-def]
    loss_ours = sum((ours(x) - y) ** 2 for x, y in zip(xs, ys)) * (1.0 / len(xs))
    loss_theirs = sum((theirs(x) - y) ** 2 for x, y in zip(xs, ys)) * (1.0 / len(xs))
    loss_ours.backward()
    loss_theirs.backward()
    assert math.isclose(loss_ours.data, loss_theirs.data, rel_tol=1e-12), "losses differ"
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert math.isclose(p.grad, q.grad, rel_tol=1e-9, abs_tol=1e-12), (p.grad, q.grad)
        p.grad, q.grad = 0.0, 0.0


def cpu_seconds(step: Callable[[], object]) -> float:
    start = time.process_time()
    graph = step()
    elapsed = time.process_time() - start
    del graph
    return elapsed


def measure(gc_enabled: bool, xs, ys) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    ours = MLP(2, LAYER_SIZES, seed=0)
    theirs = MicrogradMLP(ours)
    times: dict[str, list[float]] = {"calclib": [], "micrograd": []}
    (gc.enable if gc_enabled else gc.disable)()
    try:
        for _ in range(ROUNDS):
            times["calclib"].append(cpu_seconds(lambda: train_step(ours, xs, ys)))
            times["micrograd"].append(cpu_seconds(lambda: train_step(theirs, xs, ys)))
            gc.collect()
    finally:
        gc.enable()
    return times


def main() -> None:
    xs, ys = make_data()
    model = MLP(2, LAYER_SIZES, seed=0)
    check_same_gradients(model, MicrogradMLP(model), xs, ys)
    print("gradients agree (rel 1e-9) on", len(model.parameters()), "parameters")
    off = measure(False, xs, ys)
    on = measure(True, xs, ys)
    med = {(k, g): statistics.median(t[k]) for g, t in (("off", off), ("on", on)) for k in t}
    print(
        f"\none training step, 2-16-16-1 tanh MLP, MSE over {N_POINTS} points, "
        f"median of {ROUNDS} interleaved rounds (CPU ms)"
    )
    print(f"{'engine':<12}{'GC off':>10}{'GC on':>10}{'on/off':>9}")
    for k in ("calclib", "micrograd"):
        print(
            f"{k:<12}{med[k, 'off'] * 1e3:>10.1f}{med[k, 'on'] * 1e3:>10.1f}"
            f"{med[k, 'on'] / med[k, 'off']:>9.2f}"
        )
    for g in ("off", "on"):
        print(f"micrograd / calclib, GC {g}: {med['micrograd', g] / med['calclib', g]:.2f}x")


if __name__ == "__main__":
    main()
