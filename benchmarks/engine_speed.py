"""One training step of a 2-16-16-1 tanh MLP: calclib's Value against micrograd 0.1.0.

A step is the forward pass of the mean squared error over 100 points, ``backward()`` and an
SGD update of every parameter. Both engines get the same weights and data and compute the
same function with the same graph: micrograd 0.1.0 has no tanh, so it gets one written in its
own style (a closure) below. Their losses and gradients are compared before any timing.
Rounds alternate between the engines in one process; each step's CPU time
(``time.process_time``) is measured with the garbage collector disabled, then enabled, and
the table shows the median over rounds. Before each step the collector clears what earlier
steps left, outside the clock, so no step pays for another engine's garbage.

The clock stops before the step's graph is released, for both engines (with the collector
off, micrograd's graphs are reference cycles that are never freed at all). The extra row
"calclib, graph freed" also times dropping calclib's graph, for the full cost.

Run:  .venv/bin/python benchmarks/engine_speed.py   (needs the [bench] extra)
"""

from __future__ import annotations

import gc
import math
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import micrograd.engine as mg

from calclib.nn import MLP

N_POINTS = 100
LAYER_SIZES = [16, 16, 1]
LR = 0.05
ROUNDS = 21


def micrograd_tanh(x: mg.Value) -> mg.Value:
    """tanh as a micrograd op: the output, and a closure adding (1 − tanh²)·out.grad to x."""
    t = math.tanh(x.data)
    out = mg.Value(t, (x,), "tanh")

    def _backward() -> None:
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


class MicrogradMLP:
    """``calclib.nn.MLP``'s network and weights in micrograd Values (micrograd's Neuron code)."""

    def __init__(self, model: MLP) -> None:
        self.layers = [
            [([mg.Value(w.data) for w in n.w], mg.Value(n.b.data)) for n in layer.neurons]
            for layer in model.layers
        ]

    def __call__(self, x: list[Any]) -> mg.Value:
        for i, layer in enumerate(self.layers):
            hidden = i < len(self.layers) - 1
            outs = []
            for w, b in layer:
                z = sum((wi * xi for wi, xi in zip(w, x)), b)
                outs.append(micrograd_tanh(z) if hidden else z)
            x = outs
        return x[0]

    def parameters(self) -> list[mg.Value]:
        return [p for layer in self.layers for w, b in layer for p in [*w, b]]


def make_data(seed: int = 1) -> tuple[list[list[float]], list[float]]:
    rng = random.Random(seed)
    xs = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(N_POINTS)]
    return xs, [math.sin(a) * math.cos(b) for a, b in xs]


def mse(model: Any, xs: list[list[float]], ys: list[float]) -> Any:
    return sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) * (1.0 / len(xs))


def train_step(model: Any, xs: list[list[float]], ys: list[float]) -> Any:
    """Forward, backward, SGD update (the same code for both engines); returns the loss node."""
    loss = mse(model, xs, ys)
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= LR * p.grad
    return loss


def check_same_gradients(xs: list[list[float]], ys: list[float]) -> int:
    ours = MLP(2, LAYER_SIZES, seed=0)
    theirs = MicrogradMLP(ours)
    loss_ours, loss_theirs = mse(ours, xs, ys), mse(theirs, xs, ys)
    loss_ours.backward()
    loss_theirs.backward()
    assert math.isclose(loss_ours.data, loss_theirs.data, rel_tol=1e-12), "the losses differ"
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert math.isclose(p.grad, q.grad, rel_tol=1e-9, abs_tol=1e-12), (p.grad, q.grad)
    return len(ours.parameters())


def cpu_seconds(step: Callable[[], Any], time_freeing: bool = False) -> float:
    """CPU time of one step, on a clean heap: leftovers are collected before the clock starts."""
    gc.collect()
    start = time.process_time()
    graph = step()
    if time_freeing:
        del graph
    elapsed = time.process_time() - start
    return elapsed


def measure(gc_enabled: bool, xs: list[list[float]], ys: list[float]) -> dict[str, float]:
    """Median CPU seconds per step of each engine, rounds interleaved."""
    ours, ours_freed = MLP(2, LAYER_SIZES, seed=0), MLP(2, LAYER_SIZES, seed=0)
    theirs = MicrogradMLP(ours)
    times: dict[str, list[float]] = {"calclib": [], "calclib, graph freed": [], "micrograd": []}
    (gc.enable if gc_enabled else gc.disable)()
    try:
        for _ in range(ROUNDS):
            times["calclib"].append(cpu_seconds(lambda: train_step(ours, xs, ys)))
            times["micrograd"].append(cpu_seconds(lambda: train_step(theirs, xs, ys)))
            times["calclib, graph freed"].append(
                cpu_seconds(lambda: train_step(ours_freed, xs, ys), time_freeing=True)
            )
    finally:
        gc.enable()
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    xs, ys = make_data()
    n_params = check_same_gradients(xs, ys)
    print(f"losses and the gradients of all {n_params} parameters agree (rel. 1e-9)")
    off, on = measure(False, xs, ys), measure(True, xs, ys)
    print(
        f"\none training step of a 2-16-16-1 tanh MLP, MSE over {N_POINTS} points: "
        f"median CPU ms over {ROUNDS} interleaved rounds\n"
    )
    print(f"| {'engine':<22} | {'GC off':>7} | {'GC on':>7} | {'on/off':>6} |")
    print(f"|{'-' * 24}|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|")
    for name in off:
        print(
            f"| {name:<22} | {off[name] * 1e3:7.1f} | {on[name] * 1e3:7.1f} "
            f"| {on[name] / off[name]:6.2f} |"
        )
    print()
    for mode, t in (("off", off), ("on", on)):
        print(
            f"micrograd / calclib, GC {mode}: {t['micrograd'] / t['calclib']:.2f}x "
            f"({t['micrograd'] / t['calclib, graph freed']:.2f}x with calclib's graph freed)"
        )


if __name__ == "__main__":
    main()
