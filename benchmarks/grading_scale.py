"""How grading scales: measured throughput on 1 and 2 local workers, projected onto a cluster.

Grades synthetic classes of increasing size (01-limits, students cycling through the synthetic
kinds) with ``python -m grading`` on 1 and 2 local Dask workers, fits ``wall = fixed + n / rate``
per worker count, and prints submissions per second per worker. It also times what every
submission writes to the gradebook (nbgrader's submission and grade rows) on SQLite, the part
that cannot run in parallel, and from those figures projects a course of 5,000 students × 6
assignments (30,000 submissions) onto N workers::

    python benchmarks/grading_scale.py                     # sizes 12, 48 and 120 submissions
    python benchmarks/grading_scale.py --sizes 24 96 240   # bigger classes, a longer run

The projection assumes what the README's "Grading a large class" states: workers as fast as these
(one core each), a shared file system for the course, and the gradebook as the one shared writer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading_speed import build_class, environment

ASSIGNMENT = "01-limits"
COURSE_SUBMISSIONS = 5_000 * 6
SCHEDULER_SECONDS_PER_TASK = 0.001
"""Dask's own figure for the scheduler's overhead per task (about 1 ms, documented as
"roughly 1ms of overhead" in Dask's best practices); at that rate one scheduler hands out about
1,000 tasks a second."""


def grade(template: Path, copy: Path, workers: int) -> float:
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "grading", "--course", str(copy), "--workers", str(workers)],
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):  # 1: some submission not graded, reported in its summary
        sys.exit(f"grading failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return time.perf_counter() - start


def gradebook_write_seconds(course: Path, repeats: int = 40) -> float:
    """Seconds of gradebook writes per submission: what autograde records, replayed on SQLite.

    For each fake student: the student, the submission row (with a notebook and a grade and a
    comment per graded cell, as nbgrader creates them), then each grade's score, each in its own
    session as nbgrader's autograde opens them.
    """
    url = f"sqlite:///{course / 'gradebook.db'}"
    # nbgrader's own session handling warns while it creates the rows, as in every autograde.
    warnings.simplefilter("ignore", SAWarning)
    start = time.perf_counter()
    for i in range(repeats):
        student = f"write-probe-{i}"
        with Gradebook(url, "calculus-for-ml") as gradebook:
            gradebook.update_or_create_student(student)
        with Gradebook(url, "calculus-for-ml") as gradebook:
            gradebook.update_or_create_submission(ASSIGNMENT, student)
        with Gradebook(url, "calculus-for-ml") as gradebook:
            submission = gradebook.find_submission(ASSIGNMENT, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = grade.max_score
            gradebook.db.commit()
    return (time.perf_counter() - start) / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[12, 48, 120])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args()
    rows = []
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        templates = {n: build_class(scratch / f"class{n}", [ASSIGNMENT], n) for n in args.sizes}
        walls: dict[int, list[tuple[int, float]]] = {w: [] for w in args.workers}
        for n in args.sizes:
            for w in args.workers:
                wall = grade(templates[n], scratch / "copy", w)
                walls[w].append((n, wall))
                rows.append((n, w, wall))
                print(f"{n:>5} submissions  {w} worker(s)  {wall:7.1f} s", flush=True)
        write = gradebook_write_seconds(scratch / "copy")
    print(f"\n{'submissions':>11}{'workers':>9}{'wall s':>9}{'subm/s':>9}{'subm/s/worker':>15}")
    for n, w, wall in rows:
        print(f"{n:>11}{w:>9}{wall:>9.1f}{n / wall:>9.2f}{n / wall / w:>15.2f}")
    print("\nfit wall = fixed + n / rate (least squares over the sizes):")
    for w, points in walls.items():
        ns, ts = zip(*points)
        slope = statistics.linear_regression(ns, ts).slope if len(points) > 1 else ts[0] / ns[0]
        fixed = statistics.fmean(ts) - slope * statistics.fmean(ns)
        rates[w] = 1 / slope
        print(
            f"  {w} worker(s): {rates[w]:.2f} submissions/s ({rates[w] / w:.2f} per worker), "
            f"{fixed:.1f} s fixed (cluster start, gradebook set-up, reports)"
        )
    # A noisy machine can make a fit meaningless (a slope <= 0): then the largest class's plain
    # throughput, fixed costs included, is the (pessimistic) figure used.
    fitted = [rate / w for w, rate in rates.items() if rate > 0]
    n_max, w_max, wall_max = max(rows, key=lambda row: (row[0], row[1]))
    per_worker = min(fitted) if fitted else n_max / wall_max / w_max
    if not fitted:
        print("  (no fit is usable: the projection uses the largest class's throughput)")
    db_limit = 1 / write
    scheduler_limit = 1 / SCHEDULER_SECONDS_PER_TASK
    print(
        f"\ngradebook writes: {write * 1000:.0f} ms per submission on SQLite (one writer at a "
        f"time) -> at most {db_limit:.0f} submissions/s"
    )
    print(
        f"Dask scheduler: ~{SCHEDULER_SECONDS_PER_TASK * 1000:.0f} ms per task -> at most "
        f"{scheduler_limit:.0f} submissions/s"
    )
    print(
        f"\nprojection: {COURSE_SUBMISSIONS:,} submissions (5,000 students x 6 assignments), "
        f"{per_worker:.2f} submissions/s per worker"
    )
    print(f"{'workers':>8}{'hours':>8}{'subm/s':>9}  limited by")
    for n_workers in (1, 2, 8, 32, 64, 128, 256, 512):
        rate = n_workers * per_worker
        limit = "workers"
        if rate > db_limit:
            rate, limit = db_limit, "SQLite gradebook writes (use PostgreSQL)"
        if rate > scheduler_limit:
            rate, limit = scheduler_limit, "the Dask scheduler"
        print(f"{n_workers:>8}{COURSE_SUBMISSIONS / rate / 3600:>8.2f}{rate:>9.1f}  {limit}")
    print(
        f"\nworkers stop adding speed on SQLite at about {db_limit / per_worker:.0f} workers; "
        f"with PostgreSQL the next limit is the scheduler at about "
        f"{scheduler_limit / per_worker:.0f} workers."
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
