"""What judging a test cell outside the kernel costs, against running it in the kernel.

The same submissions (synthetic students of tests/synthetic_class: correct, partial,
misconception) go through grading/execute.py's JudgedExecute in this one process, in turns, in
each set-up:

- **kernel**: ``judge_tests=False``: the test cells run in the student's kernel, as nbgrader's
  stock Execute runs them;
- **judge**: the test cells judged in this process (the course's configuration);
- with ``--before COMMIT``, **judge at COMMIT**: the judge's modules as they were at that commit.

It prints, per assignment, the median over rounds of the seconds spent in the graded test cells
of one submission and of the whole notebook, and the ratios to the kernel set-up (after one
warm-up submission per set-up, not counted). No sandbox
(``GRADING_SANDBOX=off``): the sandbox costs every set-up alike. Run it from the course root::

    python benchmarks/judge_overhead.py
    python benchmarks/judge_overhead.py --rounds 5 --before 692fa79 01-limits 06-autograd
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from synthetic_class.classroom import answers_module, questions, submission

KINDS = ("correct", "partial", "misconception")
JUDGE_MODULES = ("judge_wire", "judge_probe", "judge", "execute")
# calclib modules an earlier judge imports that have moved since (issue 14's layout)
MOVED = {
    "calclib.checking.registry": "calclib.checking.challenge",
    "calclib.checking.safe_parsing": "calclib.checking.formulas",
}


def judge_at(commit: str) -> type:
    """JudgedExecute with the judge's modules of ``commit``, as a package of their own."""
    package = Path(tempfile.mkdtemp(prefix="judge-before-")) / f"grading_{commit[:8]}"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in JUDGE_MODULES:
        source = subprocess.run(
            ["git", "show", f"{commit}:grading/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for other in JUDGE_MODULES:
            source = source.replace(f"grading.{other} ", f"{package.name}.{other} ")
            source = source.replace(f"grading.{other}\n", f"{package.name}.{other}\n")
            source = source.replace(
                f"from grading import {other}", f"from {package.name} import {other}"
            )
        for before, now in MOVED.items():
            source = source.replace(before, now)
        (package / f"{name}.py").write_text(source)
    sys.path.insert(0, str(package.parent))
    return importlib.import_module(f"{package.name}.execute").JudgedExecute


def timed_class(base: type) -> type:
    """``base`` that also adds up the seconds spent in graded test cells."""

    class Timed(base):
        test_seconds = 0.0

        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            start = time.perf_counter()
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            finally:
                grading = cell.get("metadata", {}).get("nbgrader", {})
                if (
                    cell.cell_type == "code"
                    and grading.get("grade")
                    and not grading.get("solution")
                ):
                    Timed.test_seconds += time.perf_counter() - start

        execute_cell = run_sync(async_execute_cell)  # as JudgedExecute binds its own

    return Timed


def grade(setup: type, notebook: nbformat.NotebookNode, assignment: str, judged: bool) -> tuple:
    """(seconds in test cells, seconds in all) for one submission graded by ``setup``."""
    config = Config()
    config.CourseDirectory.root = str(ROOT)
    config.CourseDirectory.source_directory = "solutions"
    execute = setup(config=config, timeout=60, judge_tests=judged)
    setup.test_seconds = 0.0
    resources = {
        "nbgrader": {"assignment": assignment, "notebook": assignment},
        "metadata": {"path": str(ROOT)},
    }
    start = time.perf_counter()
    execute.preprocess(nbformat.from_dict(notebook), resources)
    return setup.test_seconds, time.perf_counter() - start


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "assignments", nargs="*", default=["01-limits", "04-chain-rule", "06-autograd"]
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="also time the judge of this commit")
    args = parser.parse_args()
    os.environ.update(GRADING_SANDBOX="off", NBGRADER_EXECUTION="autograde")
    from grading.execute import JudgedExecute

    setups = {
        "kernel": (timed_class(JudgedExecute), False),
        "judge": (timed_class(JudgedExecute), True),
    }
    if args.before:
        setups[f"judge at {args.before}"] = (timed_class(judge_at(args.before)), True)
    print(f"load average before: {load_average()}")
    for assignment in args.assignments:
        solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
        release = nbformat.read(ROOT / "notebooks" / assignment / f"{assignment}.ipynb", 4)
        qs, answers = questions(solution), answers_module(assignment)
        notebooks = [submission(kind, release, qs, answers) for kind in KINDS]
        n_tests = len(qs) * len(notebooks)
        seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in setups}
        for setup, judged in setups.values():  # warm-up: first imports, caches, font files
            grade(setup, notebooks[0], assignment, judged)
        for round_ in range(args.rounds):
            names = list(setups)
            names = names[round_ % len(names) :] + names[: round_ % len(names)]  # take turns
            for name in names:
                setup, judged = setups[name]
                per = [grade(setup, nb, assignment, judged) for nb in notebooks]
                seconds[name].append((sum(t for t, _ in per), sum(w for _, w in per)))
        base_tests = statistics.median(t for t, _ in seconds["kernel"])
        base_wall = statistics.median(w for _, w in seconds["kernel"])
        print(
            f"\n{assignment}: {len(notebooks)} submissions, {n_tests} graded test cells, "
            f"median of {args.rounds} rounds"
        )
        print(
            f"  {'set-up':<22}{'s / test cell':>14}{'× kernel':>10}{'s / submission':>16}{'× kernel':>10}"
        )
        for name, values in seconds.items():
            tests = statistics.median(t for t, _ in values)
            wall = statistics.median(w for _, w in values)
            print(
                f"  {name:<22}{tests / n_tests:>14.3f}{tests / base_tests:>10.2f}"
                f"{wall / len(notebooks):>16.2f}{wall / base_wall:>10.2f}"
            )
    print(f"\nload average after: {load_average()}")


if __name__ == "__main__":
    main()
