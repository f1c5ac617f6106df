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

``--autograde N`` adds the whole path: plain ``nbgrader autograde`` of N correct submissions of
01-limits (a fresh copy of the course each time, nbgrader's start-up included), once per mode,
interleaved; warm includes starting its zygote.

Example::

    python -m grading.sandbox_timing --rounds 5 --autograde 8
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager

from grading.head_start import Zygote
from grading.kernels import SandboxedKernelManager

IMPORTS = """
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import ipywidgets
from calclib.checking import challenge, check_number
from calclib.pictures.plotting import static_plot
from calclib.pictures.one_variable import draw_secant, secant_widget
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


COURSE = Path(__file__).resolve().parents[1]


def correct_class(root: Path, assignment: str, students: int) -> Path:
    """A copy of the course at ``root`` with ``students`` correct submissions of ``assignment``."""
    shutil.copy(COURSE / "nbgrader_config.py", root)
    for folder in ("solutions", "notebooks"):
        shutil.copytree(COURSE / folder / assignment, root / folder / assignment)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    subprocess.run(
        ["nbgrader", "generate_assignment", assignment, "--force"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    solution = nbformat.read(root / "solutions" / assignment / f"{assignment}.ipynb", 4)
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: "\n".join(
            line for line in cell.source.splitlines() if line.strip() not in markers
        )
        for cell in solution.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    release = nbformat.read(root / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    for cell in release.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    for number in range(students):
        folder = root / "submitted" / f"student{number:03d}" / assignment
        folder.mkdir(parents=True)
        nbformat.write(release, folder / f"{assignment}.ipynb")
    return root


def autograde_seconds(mode: str, students: int, assignment: str = "01-limits") -> float:
    """Wall time of one ``nbgrader autograde`` of a fresh class in sandbox ``mode``."""
    with tempfile.TemporaryDirectory(prefix="sandbox-timing-") as folder:
        root = correct_class(Path(folder), assignment, students)
        env = dict(
            os.environ,
            PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            GRADING_SANDBOX=mode,
        )
        start = time.perf_counter()
        subprocess.run(
            ["nbgrader", "autograde", assignment],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--autograde", type=int, default=0, metavar="N")
    args = parser.parse_args()
    print(table(asyncio.run(measure(args.rounds))))
    if args.autograde:
        modes = ("off", "cold", "warm")
        runs: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(args.rounds):
            for mode in modes:
                runs[mode].append(autograde_seconds(mode, args.autograde))
        base = statistics.median(runs["off"])
        print(f"\nnbgrader autograde, {args.autograde} correct submissions of 01-limits")
        print(f"{'mode':<8}{'median s':>10}{'s/submission':>14}{'vs off':>8}")
        for mode in modes:
            seconds = statistics.median(runs[mode])
            print(
                f"{mode:<8}{seconds:>10.2f}{seconds / args.autograde:>14.2f}{seconds / base:>7.2f}x"
            )


if __name__ == "__main__":
    main()
