"""Grade a class: decide what needs grading, send one Dask task per submission, follow progress.

The class is every ``submitted/<student>/<assignment>/`` folder of the course. A rerun grades
only what is new, changed (its files differ from those last graded) or not graded yet, and
rewrites only the feedback of submissions whose grade changed since (a manual score in the
Formgrader); ``force=True`` grades everything again. Interrupting a run loses nothing: each
submission's grade, feedback and record are written by the task that graded it.

The tasks run on Dask distributed: a ``LocalCluster`` of single-threaded worker processes on this
machine by default, or the workers of the scheduler at ``scheduler`` (``tcp://host:8786``). A
worker that dies mid-task has its tasks run again elsewhere by the scheduler (nbgrader's
autograde overwrites, so a student is graded once however often a task restarts); a submission
that kills three workers is reported as not graded.

Example::

    from grading.classroom import find_class, plan, run
    work = plan(course, api, find_class(course, ["01-limits"]), force=False)
    outcomes = run(course, work, workers=2)
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from tqdm import tqdm

from grading.gradebook import open_gradebook
from grading.head_start import share_zygote, start_fork_server, stop_fork_server
from grading.sandbox import SandboxUnavailable
from grading.submission import (
    FLAGGED,
    NOT_GRADED,
    Outcome,
    grade_submission,
    read_state,
    regenerate_feedback,
    submission_fingerprint,
)

GRADE, FEEDBACK, SKIP = "grade", "feedback", "skip"


@dataclass(frozen=True)
class Work:
    """One submission and what this run does with it (``grade``, ``feedback`` or ``skip``)."""

    assignment: str
    student: str
    action: str
    why: str


def find_class(course: Path, assignments: list[str]) -> list[tuple[str, str]]:
    """Every ``(assignment, student)`` with a ``submitted/<student>/<assignment>`` entry.

    Entries are listed without following links: a symlink or a file where a folder should be is a
    submission too, which preflight refuses with a reason.
    """
    submitted = course / "submitted"
    if not submitted.is_dir():
        return []
    students = sorted(entry.name for entry in submitted.iterdir())
    return [
        (assignment, student)
        for assignment in assignments
        for student in students
        if os.path.lexists(submitted / student / assignment)
    ]


def plan(
    course: Path, api: NbGraderAPI, submissions: list[tuple[str, str]], force: bool
) -> list[Work]:
    """Decide for each submission whether to grade it, refresh its feedback or leave it."""
    current = _gradebook_scores(api, sorted({a for a, _ in submissions}))
    work = []
    for assignment, student in submissions:
        state = read_state(course, assignment, student)
        action, why = _decide(course, assignment, student, state, current, force)
        work.append(Work(assignment, student, action, why))
    return work


def _decide(
    course: Path,
    assignment: str,
    student: str,
    state: dict | None,
    current: dict[tuple[str, str], tuple[float, bool]],
    force: bool,
) -> tuple[str, str]:
    if force:
        return GRADE, "--force"
    if state is None or state.get("status") == NOT_GRADED:
        return GRADE, "not graded yet"
    folder = course / "submitted" / student / assignment
    if not folder.is_dir() or folder.is_symlink():
        return GRADE, "its folder changed"
    if submission_fingerprint(folder) != state.get("fingerprint"):
        return GRADE, "handed in again since it was graded"
    if not (course / "autograded" / student / assignment / f"{assignment}.ipynb").is_file():
        return GRADE, "its autograded notebook is missing"
    if (student, assignment) not in current:
        return GRADE, "the gradebook has no grade for it"
    score, flagged = current[(student, assignment)]
    if abs(score - (state.get("score") or 0.0)) > 1e-9 or flagged != (state["status"] == FLAGGED):
        return FEEDBACK, "its grade changed since the feedback was written"
    if not any((course / "feedback" / student / assignment).glob("*.html")):
        return FEEDBACK, "its feedback is missing"
    return SKIP, "up to date"


def _gradebook_scores(
    api: NbGraderAPI, assignments: list[str]
) -> dict[tuple[str, str], tuple[float, bool]]:
    """{(student, assignment): (score, needs manual grade)} as the gradebook holds them now."""
    scores = {}
    with open_gradebook(api) as gradebook:
        known = {a.name for a in gradebook.assignments}
        for assignment in assignments:
            if assignment not in known:
                continue
            for submission in gradebook.assignment_submissions(assignment):
                scores[(submission.student_id, assignment)] = (
                    float(submission.score),
                    bool(submission.needs_manual_grade),
                )
    return scores


@contextmanager
def dask_client(workers: int, scheduler: str | None, lessons: list[Path] | None = None) -> Iterator:
    """A Dask client: on ``scheduler``'s cluster, or on a local cluster of ``workers`` processes.

    Local workers are single-threaded processes (nbgrader's API is not thread-safe: threads
    would grade one submission at a time) without a memory limit of Dask's own (the sandbox
    limits each kernel). They are forked from one server process that imported, once, what each
    of them needs; while it does, this process starts the one warm kernel factory they all fork
    their kernels from, warmed for the ``lessons`` graded. Both may have been started ahead
    (:mod:`grading.head_start`): they are then waited for, not started again.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            yield client
        return
    try:
        zygote = share_zygote(lessons)
    except SandboxUnavailable:
        zygote = None  # each submission then says why it was not graded
    with dask.config.set(
        {
            # Dask's statistical profiler samples every worker thread each 10 ms: CPU kernels need
            "distributed.worker.profile.enabled": False,
            "distributed.worker.multiprocessing-method": "forkserver",
        }
    ):
        start_fork_server(lessons)  # its modules, not Dask's list, are imported by the server
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",  # Dask's status page: this machine only, any free port
                memory_limit=0,
                silence_logs=logging.ERROR,
                preload=["grading.submission"],
                # a worker's environment is the server's, started once: pass this one's on
                env=dict(os.environ),
            ) as cluster,
            Client(cluster) as client,
        ):
            if zygote is not None:
                zygote.join()
            yield client
    stop_fork_server()


def run(
    course: Path,
    work: list[Work],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    db_url: str | None = None,
    sandbox: bool = True,
    log_folder: Path | None = None,
    progress_file=sys.stderr,
    winding_down: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Grade (or refresh) every submission of ``work`` on Dask; return this run's outcomes.

    One progress bar covers the whole class: submissions left as they were count as done at
    once, so the throughput and the time left are those of the work actually done.
    ``winding_down`` is called once, as soon as fewer submissions are left than there are
    workers: a core of theirs is free from then on for what comes after the run.
    """
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    todo = [w for w in work if w.action != SKIP]
    counts: Counter[str] = Counter(skipped=len(work) - len(todo))
    outcomes: list[Outcome] = []
    with tqdm(
        total=len(work),
        initial=counts["skipped"],
        desc="grading",
        unit="submission",
        file=progress_file,
        dynamic_ncols=True,
    ) as bar:
        bar.set_postfix(counts, refresh=True)
        if not todo:
            return outcomes
        run_id = uuid.uuid4().hex[:8]
        assignments = sorted({w.assignment for w in todo})
        lessons = [
            course / folder / a / f"{a}.ipynb"
            for a in assignments
            for folder in ("solutions", "notebooks")  # the hidden tests, the students' copy
        ]
        with dask_client(workers, scheduler, lessons) as client:
            futures = {}
            for item in todo:
                task = grade_submission if item.action == GRADE else regenerate_feedback
                options = {"db_url": db_url, "sandbox": sandbox}
                if item.action == GRADE:
                    options["log_folder"] = log_folder
                future = client.submit(
                    task,
                    course,
                    item.assignment,
                    item.student,
                    **options,
                    key=f"{item.action}-{item.assignment}-{item.student}-{run_id}",
                    pure=False,
                )
                futures[future] = item
            capacity = workers if not scheduler else len(client.scheduler_info()["workers"])
            left = len(futures)
            for future in as_completed(futures):
                left -= 1
                if winding_down is not None and left < capacity:
                    winding_down()
                    winding_down = None
                item = futures[future]
                try:
                    outcome = future.result()
                except KilledWorker as error:
                    outcome = Outcome(
                        item.assignment,
                        item.student,
                        NOT_GRADED,
                        reason=f"every worker that graded it died ({error}); it may crash or "
                        "exhaust the machine: see the Dask worker logs",
                    )
                except FutureCancelledError:
                    outcome = Outcome(item.assignment, item.student, NOT_GRADED, "cancelled")
                except Exception as error:  # noqa: BLE001 - a bug of ours must not cost others their grades
                    outcome = Outcome(
                        item.assignment,
                        item.student,
                        NOT_GRADED,
                        reason=f"the grading task failed: {type(error).__name__}: {error}",
                    )
                outcomes.append(outcome)
                counts[outcome.status] += 1
                bar.set_postfix(counts, refresh=False)
                bar.update(1)
    return outcomes
