"""Grade a whole class with nbgrader: autograde, feedback and a grades CSV, in one command.

The course folder is this repository (or a copy of it) with the students' work placed as
``submitted/<student>/<assignment>/<assignment>.ipynb`` (nbgrader's ``collect`` or ``zip_collect``
put it there). For each assignment that has submissions this runs

    nbgrader autograde <assignment>          # run every submission, restore edited test cells
    nbgrader generate_feedback <assignment>  # feedback/<student>/<assignment>/*.html

then ``nbgrader export`` writes ``grades.csv``. A summary per assignment follows: submissions,
mean score, the submissions nbgrader flagged for a human (a deleted test cell, say) and those it
could not grade at all (a kernel that died), with the reason.

Student code is untrusted. Each submission runs in its own sandboxed kernel
(``sandboxed_kernel.py``: bubblewrap, no network, solutions and other students' work out of
sight, resource limits), and the class is split between ``--workers`` nbgrader processes that
grade side by side. A cell still running after 30 s is interrupted and scores 0.

Example::

    python scripts/grade_class.py                    # every assignment with submissions
    python scripts/grade_class.py 02-derivatives     # one assignment
    python scripts/grade_class.py --course ~/fall26  # another class folder
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from nbgrader.api import Gradebook
from release import COURSE_ROOT, course_assignments, nbgrader, nbgrader_env
from tqdm import tqdm

SANDBOX_KERNEL = "calclib-sandbox"
NOTEBOOK_DONE = "Setting destination file permissions"  # nbgrader logs it once per notebook


def submissions(course: Path, assignment: str) -> list[str]:
    """The students who submitted ``assignment``, sorted."""
    return sorted(
        p.parent.name for p in (course / "submitted").glob(f"*/{assignment}") if p.is_dir()
    )


def submitted_assignments(course: Path) -> list[str]:
    """Course assignments, in course order, that at least one student has submitted."""
    return [name for name in course_assignments(course) if submissions(course, name)]


def sandbox_kernelspec(share: Path) -> None:
    """Write the kernelspec that starts each kernel through sandboxed_kernel.py."""
    spec = share / "kernels" / SANDBOX_KERNEL
    spec.mkdir(parents=True)
    launcher = Path(__file__).with_name("sandboxed_kernel.py")
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, str(launcher), "-f", "{connection_file}"],
                "display_name": "Python 3 (sandboxed for grading)",
                "language": "python",
                # A signal would stop at bubblewrap; a message reaches the kernel (timeouts need it).
                "interrupt_mode": "message",
            }
        )
    )


def start_worker(
    course: Path,
    assignment: str,
    students: list[str],
    others: list[str],
    scratch: Path,
    sandbox: bool,
) -> tuple[subprocess.Popen, Path]:
    """Start one ``nbgrader autograde`` over ``students`` (everyone in ``others`` excluded).

    Returns the process and the file that receives its log.
    """
    args = ["nbgrader", "autograde", assignment, "--log-level=INFO"]
    if others:
        args.append(f"--CourseDirectory.student_id_exclude={','.join(others)}")
    env = nbgrader_env()
    if sandbox:
        # Kernels talk over Unix sockets in a runtime folder of this worker's own: the network is
        # cut inside the sandbox, and no kernel can reach another worker's.
        runtime = Path(tempfile.mkdtemp(prefix="runtime-", dir=scratch))
        args += [
            f"--Execute.kernel_name={SANDBOX_KERNEL}",
            "--KernelManager.transport=ipc",
            f"--KernelManager.ip={runtime / 'kernel'}",
        ]
        env |= {"JUPYTER_PATH": str(scratch / "share"), "TMPDIR": str(runtime)}
    log = scratch / f"{assignment}-{students[0]}.log"
    with log.open("w") as out:
        worker = subprocess.Popen(args, cwd=course, env=env, stdout=out, stderr=subprocess.STDOUT)
    return worker, log


def autograde(
    course: Path, assignment: str, workers: int, scratch: Path, sandbox: bool, progress: tqdm
) -> dict[str, str]:
    """Autograde every submission of ``assignment``; return {student: why it failed}."""
    students = submissions(course, assignment)
    groups = [students[i::workers] for i in range(workers) if students[i::workers]]
    running = [
        start_worker(
            course, assignment, group, sorted(set(students) - set(group)), scratch, sandbox
        )
        for group in groups
    ]
    finished = 0
    while True:
        still_running = [worker for worker, _ in running if worker.poll() is None]
        done = sum(log.read_text().count(NOTEBOOK_DONE) for _, log in running)
        progress.update(done - finished)
        finished = done
        if not still_running:
            break
        try:
            still_running[0].wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
    failed = {}
    for group, (_, log) in zip(groups, running):
        for student in group:
            if not any((course / "autograded" / student / assignment).glob("*.ipynb")):
                failed[student] = failure_reason(log.read_text(), student, assignment)
    return failed


def failure_reason(log: str, student: str, assignment: str) -> str:
    """The error nbgrader logged just before giving up on a student's submission.

    >>> log = [
    ...     "[AutogradeApp | INFO] Converting notebook /c/autograded/ana/01-limits/01-limits.ipynb",
    ...     "[AutogradeApp | ERROR] Kernel died while waiting for execute reply.",
    ...     "[AutogradeApp | ERROR] There was an error processing assignment: /c/submitted/ana/01-limits",
    ... ]
    >>> failure_reason("\\n".join(log), "ana", "01-limits")
    'Kernel died while waiting for execute reply.'
    """
    lines = log.splitlines()
    submission = f"/submitted/{student}/{assignment}"
    for i, line in enumerate(lines):
        if "error processing assignment" in line and line.rstrip().endswith(submission):
            for earlier in reversed(lines[:i]):
                if "Converting notebook" in earlier:
                    break
                if "| ERROR]" in earlier:
                    return earlier.split("] ", 1)[1].strip()
    return "nbgrader produced no graded notebook; see its log"


def grade(course: Path, assignments: list[str], workers: int = 2, sandbox: bool = True) -> dict:
    """Autograde and write feedback for each assignment, then export grades.csv.

    Returns {(assignment, student): reason} for submissions that could not be graded.
    """
    _share_gradebook(course)
    total = sum(len(submissions(course, a)) for a in assignments)
    failed: dict[tuple[str, str], str] = {}
    with (
        tempfile.TemporaryDirectory(prefix="grading-") as tmp,
        tqdm(total=total, desc="autograding", unit="submission", file=sys.stdout) as progress,
    ):
        scratch = Path(tmp)
        if sandbox:
            sandbox_kernelspec(scratch / "share")
        for name in assignments:
            progress.set_postfix_str(name)
            outcome = autograde(course, name, workers, scratch, sandbox, progress)
            failed |= {(name, student): reason for student, reason in outcome.items()}
            nbgrader(course, "generate_feedback", name)
    nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return failed


def _share_gradebook(course: Path) -> None:
    """Let several nbgrader processes write the gradebook at once (SQLite's write-ahead log)."""
    if (course / "gradebook.db").exists():
        with sqlite3.connect(course / "gradebook.db") as db:
            db.execute("PRAGMA journal_mode=WAL")


def summary(course: Path, assignments: list[str], failed: dict) -> str:
    """A plain-text table: submissions, mean score, flagged and ungraded per assignment."""
    rows = [f"{'assignment':<24}{'submissions':>12}{'mean score':>12}{'max':>6}  flagged"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for name in assignments:
            assignment = gradebook.find_assignment(name)
            graded = assignment.submissions
            scores = [s.score for s in graded]
            flagged = sorted(s.student_id for s in graded if s.needs_manual_grade)
            mean = sum(scores) / len(scores) if scores else float("nan")
            rows.append(
                f"{name:<24}{len(graded):>12}{mean:>12.2f}{assignment.max_score:>6.0f}  "
                + (", ".join(flagged) or "-")
            )
    for (name, student), reason in sorted(failed.items()):
        rows.append(f"NOT GRADED: {student} / {name}: {reason}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every submitted assignment")
    parser.add_argument("--course", type=Path, default=COURSE_ROOT, help="the class folder")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="nbgrader processes grading side by side (default: one per core)",
    )
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run student code unconfined (only for trusted notebooks)",
    )
    args = parser.parse_args(argv)
    course = args.course.resolve()
    if not (course / "nbgrader_config.py").is_file():
        parser.error(f"{course} has no nbgrader_config.py: point --course at the class folder")
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, not {args.workers}")
    if not args.no_sandbox and shutil.which("bwrap") is None:
        parser.error(
            "student code runs in a bubblewrap sandbox, and `bwrap` is not installed: "
            "install it (Debian/Ubuntu: apt-get install bubblewrap), or pass "
            "--no-sandbox to grade trusted notebooks unconfined"
        )
    assignments = args.assignments or submitted_assignments(course)
    if not assignments:
        parser.error(f"nothing to grade: {course / 'submitted'} holds no submissions")
    unknown = sorted(set(assignments) - set(course_assignments(course)))
    if unknown:
        parser.error(f"not assignments of this course: {', '.join(unknown)}")
    try:
        failed = grade(course, assignments, args.workers, sandbox=not args.no_sandbox)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary(course, assignments, failed))
    print(f"feedback: {course / 'feedback'}   grades: {course / 'grades.csv'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
