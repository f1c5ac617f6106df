"""How fast a class is graded: ``make grade`` against plain ``nbgrader autograde``, side by side.

Builds a scratch class (by default 8 students × 01-limits and 03-partial-derivatives, the
students cycling through the synthetic kinds: correct, empty, partial, misconception, unusual,
tamperer), then grades fresh copies of it round-robin, so that the machine's noise falls on every
set-up alike:

- **plain nbgrader**: ``nbgrader autograde <assignment>`` for each assignment in turn, with
  nbgrader's defaults (no sandbox, no judge: a course config holding only the folders);
- **make grade**: ``python -m grading --workers 2`` (sandboxed, judged, feedback written too);
- **make grade, unconfined**: the same with ``--no-sandbox``, for the sandbox's cost.

It prints the median wall time of each, the speed-up over plain nbgrader, the sandbox's cost as a
ratio, and whether every set-up gave every submission the same score. ``--phases`` then prints
where one submission's time goes (mean seconds per submission, one process), before and after::

    python benchmarks/grading_speed.py                        # the README's table
    python benchmarks/grading_speed.py --students 20 --rounds 5
    python benchmarks/grading_speed.py --rounds 1 --phases    # the per-submission phases
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


def grade_copy(template: Path, copy: Path, setup: str, assignments: list[str]) -> float:
    """Grade a fresh copy of the class with one set-up; return the wall time."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    if setup == PLAIN:
        (copy / "nbgrader_config.py").write_text(PLAIN_CONFIG)
        return sum(run(["nbgrader", "autograde", a, "--log-level=WARN"], copy) for a in assignments)
    command = [sys.executable, "-m", "grading", "--course", str(copy), "--workers", "2"]
    return run(command + (["--no-sandbox"] if setup == UNCONFINED else []), copy)


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
    # Plain nbgrader: the process start-up is what autograde costs with nothing to grade.
    copy = scratch / "phases-plain"
    total = grade_copy(template, copy, PLAIN, assignments)
    empty = sum(
        run(["nbgrader", "autograde", a, "--CourseDirectory.student_id=nobody"], copy)
        for a in assignments
    )
    cells = cell_seconds(copy)
    feedback = sum(run(["nbgrader", "generate_feedback", a], copy) for a in assignments)
    rows[PLAIN] = {"nbgrader process start-up": empty / n} | {k: v / n for k, v in cells.items()}
    rows[PLAIN]["kernel start, shutdown, nbgrader bookkeeping"] = (
        total - empty - sum(cells.values())
    ) / n
    rows[PLAIN]["feedback"] = feedback / n
    # make grade on one worker: the engine's own record of each submission.
    copy = scratch / "phases-engine"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    run([sys.executable, "-m", "grading", "--course", str(copy), "--workers", "1"], copy)
    records = [json.loads(p.read_text()) for p in copy.glob("grading-state/*/*.json")]
    autograde = sum(r["seconds"].get("autograde", 0.0) for r in records)
    cells = cell_seconds(copy)
    rows[ENGINE] = {"nbgrader process start-up": 0.0} | {k: v / n for k, v in cells.items()}
    rows[ENGINE]["kernel start, shutdown, nbgrader bookkeeping"] = (
        autograde - sum(cells.values())
    ) / n
    rows[ENGINE]["feedback"] = sum(r["seconds"].get("feedback", 0.0) for r in records) / n
    names = list(dict.fromkeys(list(rows[PLAIN]) + list(rows[ENGINE])))
    print(
        f"\nwhere one submission's time goes (mean s per submission, one process, {n} submissions)"
    )
    print(f"{'phase':<48}{PLAIN:>16}{ENGINE:>12}")
    for name in names:
        print(f"{name:<48}{rows[PLAIN].get(name, 0.0):>16.2f}{rows[ENGINE].get(name, 0.0):>12.2f}")
    print(f"{'total':<48}{sum(rows[PLAIN].values()):>16.2f}{sum(rows[ENGINE].values()):>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--assignments", nargs="+", default=["01-limits", "03-partial-derivatives"])
    parser.add_argument("--phases", action="store_true", help="also print the phase table")
    args = parser.parse_args()
    setups = (PLAIN, ENGINE, UNCONFINED)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        template = build_class(scratch / "template", args.assignments, args.students)
        times: dict[str, list[float]] = {name: [] for name in setups}
        graded: dict[str, dict] = {}
        for round_ in range(args.rounds):
            for name in setups:
                copy = scratch / "copy"
                times[name].append(grade_copy(template, copy, name, args.assignments))
                graded[name] = scores(copy)
                print(f"round {round_ + 1}/{args.rounds}  {name:<24}{times[name][-1]:7.1f} s")
        if args.phases:
            phases(template, scratch, args.assignments)
    n = args.students * len(args.assignments)
    base = statistics.median(times[PLAIN])
    print(
        f"\n{n} submissions ({args.students} students x {', '.join(args.assignments)}), "
        f"median of {args.rounds} rounds, 2 workers for make grade\n"
    )
    print(f"{'set-up':<26}{'median s':>10}{'s/submission':>14}{'speed-up':>10}")
    for name in setups:
        median = statistics.median(times[name])
        print(f"{name:<26}{median:>10.1f}{median / n:>14.2f}{base / median:>9.1f}x")
    sandbox = statistics.median(times[ENGINE]) / statistics.median(times[UNCONFINED])
    print(f"\nsandbox cost (make grade / make grade, unconfined): {sandbox:.2f}x")
    same = graded[ENGINE] == graded[PLAIN] == graded[UNCONFINED] and len(graded[PLAIN]) == n
    differ = sorted(k for k in graded[PLAIN] if graded[ENGINE].get(k) != graded[PLAIN][k])
    print(f"identical scores in all set-ups: {'yes' if same else 'NO: ' + repr(differ)}")


if __name__ == "__main__":
    main()
