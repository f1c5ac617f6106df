"""How fast a class is graded: ``make grade`` against plain ``nbgrader autograde``, side by side.

Builds a scratch class (by default 30 students × 01-limits and 03-partial-derivatives, the
students cycling through the synthetic kinds: correct, empty, partial, misconception, unusual,
tamperer), then grades fresh copies of it round-robin, so that the machine's noise falls on every
set-up alike:

- **plain nbgrader**: ``nbgrader autograde <assignment>`` for each assignment in turn, with
  nbgrader's defaults (no sandbox, no judge, no feedback: a course config holding only the
  folders);
- **make grade**: ``python -m grading`` with its default workers (sandboxed, judged, feedback
  written too); ``--workers 2 4`` grades with each of those counts instead, side by side;
- with ``--unconfined``, also **make grade, unconfined** (``--no-sandbox``), for the sandbox's cost.

It prints the median wall time of each, split into the **start-up** paid once per run (plain:
``nbgrader autograde`` of an assignment nobody handed in, once per assignment; make grade: its
wall time outside the span in which submissions were graded: Dask, the warm kernel factory,
nbgrader's imports, then grades.csv and the plots) and the time **per submission** after it; the
speed-up over plain nbgrader for the whole class and per submission; and whether every set-up gave
every submission the same score. ``--phases`` then prints where one submission's time goes (mean
seconds per submission, one process) for both::

    python benchmarks/grading_speed.py                        # the README's table
    python benchmarks/grading_speed.py --students 8 --rounds 5
    python benchmarks/grading_speed.py --rounds 0 --phases    # only the per-submission phases
    python benchmarks/grading_speed.py --workers 2 4          # make grade on 2 and on 4 workers

Why 30 students by default: a class is tens of students, and make grade's start-up (about 10 s of
warm-up, whatever the class) is spread over them; on 8 students (16 submissions) it is half the
run and the whole-class figure says more about the start-up than about grading. The per-submission
column does not depend on the class size; the start-up column says what a small class pays.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from synthetic_class.classroom import (
    STUDENTS,
    answers_module,
    new_course,
    questions,
    submission,
)

PLAIN, ENGINE, UNCONFINED = "plain nbgrader", "make grade", "make grade, unconfined"
STARTUP_ROW = "start-up once per run, spread over the class"
BOOKKEEPING_ROW = "kernel start+stop, bookkeeping (make grade: +judge)"
PLAIN_CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "calculus-for-ml"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.Execute.timeout = 30
"""


def environment() -> dict[str, str]:
    """This interpreter's bin/ first on PATH: nbgrader runs `alembic` by name."""
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def build_class(root: Path, assignments: list[str], n_students: int) -> Path:
    """A released course whose students cycle through the synthetic kinds of submission."""
    course = new_course(root, ROOT, assignments)
    for assignment in assignments:
        solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
        release = nbformat.read(course / "notebooks" / assignment / f"{assignment}.ipynb", 4)
        qs, answers = questions(solution), answers_module(assignment)
        for i in range(n_students):
            kind = STUDENTS[i % len(STUDENTS)]
            folder = course / "submitted" / f"student{i:03d}" / assignment
            folder.mkdir(parents=True)
            nbformat.write(submission(kind, release, qs, answers), folder / f"{assignment}.ipynb")
    return course


def run(command: list[str], course: Path) -> float:
    """Run one command in the course; its wall time in seconds.

    Exit status 1 (``python -m grading``: some submission not graded) is a result, shown by the
    identical-scores check; anything else stops the benchmark.
    """
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=course, env=environment(), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"`{' '.join(command)}` failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return elapsed


def grade_copy(
    template: Path, copy: Path, setup: str, assignments: list[str], workers: int | None = None
) -> tuple[float, float]:
    """Grade a fresh copy of the class with one set-up; return (wall time, start-up in it)."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    if setup == PLAIN:
        (copy / "nbgrader_config.py").write_text(PLAIN_CONFIG)
        nobody = "--CourseDirectory.student_id=nobody"
        start_up = sum(run(["nbgrader", "autograde", a, nobody], copy) for a in assignments)
        wall = sum(run(["nbgrader", "autograde", a, "--log-level=WARN"], copy) for a in assignments)
        return wall, min(start_up, wall)
    command = [sys.executable, "-m", "grading", "--course", str(copy)]
    command += ["--workers", str(workers)] if workers else []
    wall = run(command + (["--no-sandbox"] if setup.startswith(UNCONFINED) else []), copy)
    return wall, wall - grading_span(copy)


def grading_span(course: Path) -> float:
    """Seconds from the first submission's start to the last one's end (make grade's records)."""
    records = [json.loads(p.read_text()) for p in course.glob("grading-state/*/*.json")]
    if not records:
        return 0.0
    starts = [
        r["graded_at"] - r["seconds"].get("total", sum(r["seconds"].values())) for r in records
    ]
    return max(r["graded_at"] for r in records) - min(starts)


def scores(course: Path) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {
            (a.name, s.student_id): s.score
            for a in gradebook.assignments
            for s in gradebook.assignment_submissions(a.name)
        }


def cell_phase(cell: nbformat.NotebookNode, first: bool) -> str:
    """Which phase of the table a code cell's run time belongs to."""
    if first:
        return "import cell"
    if cell.metadata.get("nbgrader", {}).get("grade_id"):
        return "answers and graded tests"
    if any(word in cell.source for word in ("plot", "widget", "plt.", "interact", "figure")):
        return "plot and widget cells"
    return "other demo cells"


def cell_seconds(course: Path) -> dict[str, float]:
    """Seconds spent in each kind of cell, summed over every autograded notebook."""
    totals: dict[str, float] = {}
    for path in course.glob("autograded/*/*/*.ipynb"):
        code = [c for c in nbformat.read(path, 4).cells if c.cell_type == "code"]
        for i, cell in enumerate(code):
            timing = cell.metadata.get("execution", {})
            if "shell.execute_reply" not in timing or "iopub.status.busy" not in timing:
                continue  # a test cell judged outside the kernel: counted with the rest
            seconds = (
                datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                - datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00"))
            ).total_seconds()
            phase = cell_phase(cell, i == 0)
            totals[phase] = totals.get(phase, 0.0) + seconds
    return totals


def phases(template: Path, scratch: Path, assignments: list[str]) -> None:
    """Print where one submission's time goes, plain nbgrader against make grade (one worker)."""
    n = sum(len(list(template.glob(f"submitted/*/{a}"))) for a in assignments)
    rows: dict[str, dict[str, float]] = {}
    # Start-up: plain, what autograde costs with nothing to grade; make grade, its wall time
    # outside the span in which submissions were graded (Dask, warm-up, grades.csv and plots).
    copy = scratch / "phases-plain"
    total, empty = grade_copy(template, copy, PLAIN, assignments)
    cells = cell_seconds(copy)
    feedback = sum(run(["nbgrader", "generate_feedback", a], copy) for a in assignments)
    rows[PLAIN] = {STARTUP_ROW: empty / n} | {k: v / n for k, v in cells.items()}
    rows[PLAIN][BOOKKEEPING_ROW] = (total - empty - sum(cells.values())) / n
    rows[PLAIN]["feedback"] = feedback / n
    # make grade on one worker: the engine's own record of each submission.
    copy = scratch / "phases-engine"
    _, start_up = grade_copy(template, copy, ENGINE, assignments, workers=1)
    records = [json.loads(p.read_text()) for p in copy.glob("grading-state/*/*.json")]
    autograde = sum(r["seconds"].get("autograde", 0.0) for r in records)
    cells = cell_seconds(copy)
    rows[ENGINE] = {STARTUP_ROW: start_up / n} | {k: v / n for k, v in cells.items()}
    rows[ENGINE][BOOKKEEPING_ROW] = (autograde - sum(cells.values())) / n
    rows[ENGINE]["feedback"] = sum(r["seconds"].get("feedback", 0.0) for r in records) / n
    names = list(dict.fromkeys(list(rows[PLAIN]) + list(rows[ENGINE])))
    print(
        f"\nwhere one submission's time goes (mean s per submission, one process, {n} submissions)"
    )
    print(f"{'phase':<52}{PLAIN:>16}{ENGINE:>12}")
    for name in names:
        print(f"{name:<52}{rows[PLAIN].get(name, 0.0):>16.2f}{rows[ENGINE].get(name, 0.0):>12.2f}")
    print(f"{'total':<52}{sum(rows[PLAIN].values()):>16.2f}{sum(rows[ENGINE].values()):>12.2f}")


def load() -> str:
    """The machine's load average over the last minute (other people's work included)."""
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="0: only --phases")
    parser.add_argument("--assignments", nargs="+", default=["01-limits", "03-partial-derivatives"])
    parser.add_argument("--unconfined", action="store_true", help="also make grade --no-sandbox")
    parser.add_argument("--phases", action="store_true", help="also print the phase table")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        help="make grade's worker counts, one set-up each (default: make grade's own default)",
    )
    args = parser.parse_args()
    engines = (
        {ENGINE: None} if not args.workers else {f"{ENGINE}, {n} workers": n for n in args.workers}
    )
    if args.unconfined:
        engines |= {f"{UNCONFINED}{name.removeprefix(ENGINE)}": n for name, n in engines.items()}
    setups = (PLAIN, *engines)
    loads = [load()]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        template = build_class(scratch / "template", args.assignments, args.students)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in setups}
        graded: dict[str, dict] = {}
        for round_ in range(args.rounds):
            for name in setups:
                copy = scratch / "copy"
                workers = engines.get(name)
                times[name].append(grade_copy(template, copy, name, args.assignments, workers))
                graded[name] = scores(copy)
                wall, start_up = times[name][-1]
                print(
                    f"round {round_ + 1}/{args.rounds}  {name:<24}{wall:7.1f} s "
                    f"(start-up {start_up:.1f} s)  load {load()}",
                    flush=True,
                )
            loads.append(load())
        if args.phases:
            phases(template, scratch, args.assignments)
            loads.append(load())
    if args.rounds:
        print_table(times, graded, args, loads)


def print_table(
    times: dict[str, list[tuple[float, float]]],
    graded: dict[str, dict],
    args: argparse.Namespace,
    loads: list[str],
) -> None:
    """The medians, start-up apart, the speed-ups and the identical-scores check."""
    n = args.students * len(args.assignments)
    median = {name: statistics.median(wall for wall, _ in runs) for name, runs in times.items()}
    start_up = {name: statistics.median(s for _, s in runs) for name, runs in times.items()}
    per_submission = {name: (median[name] - start_up[name]) / n for name in times}
    print(
        f"\n{n} submissions ({args.students} students x {', '.join(args.assignments)}), "
        f"median of {args.rounds} rounds, make grade on "
        f"{'its default workers' if not args.workers else 'the workers named'}, "
        f"load average {' -> '.join(loads)}\n"
    )
    header = f"{'set-up':<24}{'median s':>10}{'start-up s':>12}{'s/submission':>14}"
    print(header + f"{'speed-up':>10}{'per submission':>16}")
    for name in times:
        print(
            f"{name:<24}{median[name]:>10.1f}{start_up[name]:>12.1f}{per_submission[name]:>14.2f}"
            f"{median[PLAIN] / median[name]:>9.1f}x"
            f"{per_submission[PLAIN] / per_submission[name]:>15.1f}x"
        )
    for name in times:
        if name.startswith(UNCONFINED):
            confined = ENGINE + name.removeprefix(UNCONFINED)
            sandbox = median[confined] / median[name]
            print(f"\nsandbox cost ({confined} / {name}): {sandbox:.2f}x")
    same = all(graded[name] == graded[PLAIN] for name in times) and len(graded[PLAIN]) == n
    differ = sorted(
        k for name in times for k in graded[PLAIN] if graded[name].get(k) != graded[PLAIN][k]
    )
    print(f"identical scores in all set-ups: {'yes' if same else 'NO: ' + repr(differ)}")


if __name__ == "__main__":
    main()
