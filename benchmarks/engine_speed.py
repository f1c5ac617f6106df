"""One training step of a 2-16-16-1 tanh MLP: calclib's Value against micrograd 0.1.0,
then the cost of single operations: a Value with a plain number, and a scalar Dual.

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

The second table times one operation at a time (median of interleaved repeats, ns per op):
``Value * float`` against ``Value * Value`` (a number is no graph node, so it should cost no
more), and the scalar ``Dual`` against the numpy-based Dual of commit d9b7296 (read from git
history, so run this from a clone).

Run:  .venv/bin/python benchmarks/engine_speed.py   (needs the [bench] extra)
"""

from __future__ import annotations

import gc
import importlib.util
import math
import random
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from typing import Any

import micrograd.engine as mg

from calclib.dual import Dual
from calclib.engine import Value
from calclib.nn import MLP

N_POINTS = 100
LAYER_SIZES = [16, 16, 1]
LR = 0.05
ROUNDS = 21
DUAL_BEFORE = "d9b7296"  # the last commit with the numpy-only Dual


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
    ours = MLP(2, LAYER_SIZES, activation="tanh", seed=0)
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
    ours, ours_freed = (
        MLP(2, LAYER_SIZES, activation="tanh", seed=0),
        MLP(2, LAYER_SIZES, activation="tanh", seed=0),
    )
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


def ns_per_op(stmt: str, names: dict[str, Any], number: int = 20_000) -> float:
    """Nanoseconds per execution of ``stmt`` (best of one timeit repeat)."""
    return timeit.timeit(stmt, globals=names, number=number) / number * 1e9


def old_dual_class() -> type:
    """calclib.dual.Dual as it was at DUAL_BEFORE, loaded from git history."""
    source = subprocess.run(
        ["git", "show", f"{DUAL_BEFORE}:calclib/dual.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location("dual_before", file.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dual_before"] = module
    spec.loader.exec_module(module)
    return module.Dual  # type: ignore[no-any-return]


def operation_costs(repeats: int = 31) -> None:
    """Print ns per operation, medians of interleaved repeats, and the ratios that matter."""
    a, b = Value(2.0), Value(3.0)
    old = old_dual_class()
    cases = {
        "Value * Value": ("a * b", {"a": a, "b": b}),
        "Value * float": ("a * 3.0", {"a": a}),
        "float * Value": ("3.0 * a", {"a": a}),
        "Value + int": ("a + 1", {"a": a}),
    }
    for label, cls in (("Dual", Dual), (f"Dual@{DUAL_BEFORE}", old)):
        x, y = cls(0.7, 1.0), cls(1.3, 0.5)
        cases[f"{label} * Dual"] = ("x * y", {"x": x, "y": y})
        cases[f"{label} + float"] = ("x + 2.0", {"x": x})
        cases[f"{label}.sin()"] = ("x.sin()", {"x": x})
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, (stmt, names) in cases.items():
            times[name].append(ns_per_op(stmt, names))
    print(f"\none operation, median ns over {repeats} interleaved repeats\n")
    for name, ns in times.items():
        print(f"{name:<24} {statistics.median(ns):8.0f} ns")

    def ratio(slow: str, fast: str) -> float:
        """Median over repeats of the ratio within each repeat (robust to a noisy machine)."""
        return statistics.median(s / f for s, f in zip(times[slow], times[fast]))

    print(f"\nValue * float / Value * Value: {ratio('Value * float', 'Value * Value'):.2f}")
    for op in (" * Dual", " + float", ".sin()"):
        print(
            f"scalar Dual{op}: {ratio(f'Dual@{DUAL_BEFORE}{op}', f'Dual{op}'):.1f}x faster "
            f"than at {DUAL_BEFORE}"
        )


if __name__ == "__main__":
    main()
    operation_costs()
