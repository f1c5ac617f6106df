"""How fast a class is graded: sandboxed kernels and parallel nbgrader workers, side by side.

Builds a scratch class of correct submissions, then grades fresh copies of it with
scripts/grade_class.py in three set-ups, round-robin so that the machine's noise falls on all of
them alike, and prints the median wall time of each and its ratio to the plain set-up
(one worker, no sandbox)::

    python benchmarks/grading_speed.py                      # 8 students x 01-limits, 03-partial-derivatives
    python benchmarks/grading_speed.py --students 20 --rounds 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from release import nbgrader_env
from synthetic_class.classroom import new_course, questions, submission

SETUPS = {
    "1 worker, no sandbox": ["--workers", "1", "--no-sandbox"],
    "1 worker, sandboxed": ["--workers", "1"],
    "2 workers, sandboxed": ["--workers", "2"],
}


def correct_class(root: Path, assignments: list[str], n_students: int) -> Path:
    course = new_course(root, ROOT, assignments)
    for assignment in assignments:
        solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
        release = nbformat.read(course / "notebooks" / assignment / f"{assignment}.ipynb", 4)
        nb = submission("correct", release, questions(solution), answers=None)
        for i in range(n_students):
            folder = course / "submitted" / f"student{i:03d}" / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
    return course


def grade_copy(template: Path, scratch: Path, options: list[str]) -> float:
    """Grade a fresh copy of the class; return the wall time in seconds."""
    course = scratch / "course"
    shutil.rmtree(course, ignore_errors=True)
    shutil.copytree(template, course)
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "grade_class.py"),
            "--course",
            str(course),
            *options,
        ],
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"grading failed with {options}:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--assignments", nargs="+", default=["01-limits", "03-partial-derivatives"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        template = correct_class(scratch / "template", args.assignments, args.students)
        times: dict[str, list[float]] = {name: [] for name in SETUPS}
        for round_ in range(args.rounds):
            for name, options in SETUPS.items():
                times[name].append(grade_copy(template, scratch, options))
                print(
                    f"round {round_ + 1}/{args.rounds}  {name:<22} {times[name][-1]:6.1f} s",
                    flush=True,
                )
    n_notebooks = args.students * len(args.assignments)
    base = statistics.median(times["1 worker, no sandbox"])
    print(
        f"\n{n_notebooks} submissions ({args.students} students x {', '.join(args.assignments)}),"
        f" median of {args.rounds} rounds\n"
    )
    print(f"{'set-up':<24}{'median s':>10}{'s/submission':>14}{'vs plain':>10}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<24}{median:>10.1f}{median / n_notebooks:>14.2f}{median / base:>9.2f}x")


if __name__ == "__main__":
    main()
