"""Measure the grading kernel's levers: warm start, unrendered figures, immediate shutdown.

Run ``python -m grading.sandbox_timing [--rounds N]`` as root on an otherwise quiet machine. Each
round starts one kernel per set-up, interleaved (so machine noise hits every column alike), and
times, with the real kernel protocol:

- *start*: ``start_kernel`` until the kernel answers ``kernel_info``;
- *imports*: a lesson's import cell (numpy, pyplot, sympy, ipywidgets, calclib);
- *torch*: ``import torch`` (lessons 04–06);
- *figures*: lesson 01's static plot and secant widget (drawn, and rendered unless grading);
- *shutdown*: from ``shutdown_kernel`` to the process gone.

Set-ups: unconfined (``off``, what plain nbgrader runs), ``cold`` (bubblewrap) and ``warm``
(zygote fork), each with ``NBGRADER_EXECUTION`` set as nbgrader sets it; ``off`` and ``warm`` also
without it, to show what unrendered figures save. The table gives medians in seconds.

Example::

    python -m grading.sandbox_timing --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable

from jupyter_client.manager import AsyncKernelManager

from grading.kernels import SandboxedKernelManager, Zygote

IMPORTS = """
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import ipywidgets
from calclib.checking import challenge, check_number
from calclib.plotting import static_plot
from calclib.plotting_1d import draw_secant
from calclib.widgets import secant_widget
"""
FIGURES = """
display(static_plot(draw_secant, "3*x**2 - 4*x", 1.0, 0.5))
display(secant_widget("3*x**2 - 4*x", x0=1.0))
fig, ax = plt.subplots(); ax.plot([0, 1], [1, 0]); plt.show()
"""
TORCH = "import torch"
PHASES = ("start", "imports", "torch", "figures", "shutdown")


async def one_kernel(mode: str, grading: bool) -> dict[str, float]:
    """Time each phase of one kernel's life in set-up ``mode`` (``grading``: NBGRADER_EXECUTION)."""
    if grading:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    else:
        os.environ.pop("NBGRADER_EXECUTION", None)
    if mode == "plain":
        km: AsyncKernelManager = AsyncKernelManager(kernel_name="python3")
    else:
        km = SandboxedKernelManager()
        os.environ["GRADING_SANDBOX"] = mode
    times = {}
    start = time.perf_counter()
    await km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    times["start"] = time.perf_counter() - start
    for phase, code in (("imports", IMPORTS), ("torch", TORCH), ("figures", FIGURES)):
        start = time.perf_counter()
        reply = await kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{mode}: the {phase} cell failed: {reply['content']}")
        times[phase] = time.perf_counter() - start
    kc.stop_channels()
    start = time.perf_counter()
    await km.shutdown_kernel()  # graceful for plain (nbclient's default), immediate when sandboxed
    times["shutdown"] = time.perf_counter() - start
    return times


SETUPS: dict[str, tuple[str, bool]] = {
    "plain, rendering": ("plain", False),
    "plain, grading": ("plain", True),
    "cold sandbox": ("cold", True),
    "warm, rendering": ("warm", False),
    "warm sandbox": ("warm", True),
}


def table(results: dict[str, list[dict[str, float]]], median: Callable = statistics.median) -> str:
    """Median seconds per phase and set-up, and the total of start + imports + figures."""
    header = f"{'set-up':<20}" + "".join(f"{p:>10}" for p in PHASES) + f"{'total':>10}"
    rows = [header, "-" * len(header)]
    for name, runs in results.items():
        values = [median([run[p] for run in runs]) for p in PHASES]
        rows.append(
            f"{name:<20}" + "".join(f"{v:>10.3f}" for v in values) + f"{sum(values):>10.3f}"
        )
    return "\n".join(rows)


async def measure(rounds: int) -> dict[str, list[dict[str, float]]]:
    await asyncio.to_thread(Zygote.instance().start)  # its own start-up is paid once per worker
    results: dict[str, list[dict[str, float]]] = {name: [] for name in SETUPS}
    for _ in range(rounds):
        for name, (mode, grading) in SETUPS.items():
            results[name].append(await one_kernel(mode, grading))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(table(asyncio.run(measure(args.rounds))))


if __name__ == "__main__":
    main()
