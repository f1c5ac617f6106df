"""``python -m grading`` (``make grade``): grade a class, write feedback, grades.csv and a summary.

Example::

    python -m grading                                  # every assignment with submissions
    python -m grading 02-derivatives --workers 4       # one assignment, four local workers
    python -m grading --zip ~/Downloads/submissions.zip          # a Canvas or Moodle archive
    python -m grading --scheduler tcp://head:8786 --db-url postgresql://grader@db/fall26
    python -m grading --force                          # grade everything again
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from grading import head_start
from grading.sandbox import MODE_VARIABLE

COURSE_ROOT = Path(__file__).resolve().parent.parent
LOGS_FOLDER = "grading-logs"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grading",
        description="Autograde a class with nbgrader, one Dask task per submission: feedback, "
        "grades.csv and a summary. A rerun grades only what is new or changed.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("assignments", nargs="*", help="default: every assignment with submissions")
    p.add_argument("--course", type=Path, default=COURSE_ROOT, help="the class folder")
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="local grading processes (default: one per core); ignored with --scheduler",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on the Dask cluster of this scheduler (tcp://host:8786); its workers need the "
        "course environment and the course folder at the same path",
    )
    p.add_argument(
        "--db-url",
        metavar="URL",
        help="the gradebook (default: nbgrader_config.py's, or $NBGRADER_DB_URL, or "
        "sqlite:///<course>/gradebook.db), e.g. postgresql://grader@db/fall26",
    )
    p.add_argument(
        "--zip",
        type=Path,
        metavar="ARCHIVE",
        help="collect a Canvas or Moodle 'download all submissions' archive first",
    )
    p.add_argument("--force", action="store_true", help="grade every submission again")
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run student code unconfined (only for trusted notebooks)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    course = args.course.expanduser().resolve()
    if args.workers < 1:
        parser().error(f"--workers must be at least 1, not {args.workers}")
    if args.no_sandbox:
        os.environ[MODE_VARIABLE] = "off"
    if not args.scheduler and not args.zip:  # an archive may bring lessons not handed in yet
        head_start.start_local_processes(course, args.assignments, args.force)
    # nbgrader and Dask are imported from here on (1.4 s), while the head start warms up
    from grading.gradebook import CourseError
    from grading.lms import ArchiveError

    try:
        return grade(args, course)
    except (CourseError, ArchiveError) as error:
        print(f"make grade: {error}", file=sys.stderr)
        return 2
    finally:
        head_start.stop_fork_server()


def grade(args: argparse.Namespace, course: Path) -> int:
    from grading import lms, report
    from grading.classroom import FEEDBACK, GRADE, SKIP, find_class, plan, run
    from grading.gradebook import (
        CourseError,
        course_api,
        course_assignments,
        prepare_gradebook,
        set_student_names,
        share_sqlite,
        student_names,
    )
    from grading.submission import NOT_GRADED

    started = time.perf_counter()
    sandbox = not args.no_sandbox
    api = course_api(course, args.db_url)  # raises CourseError without nbgrader_config.py
    known = course_assignments(course)
    assignments = list(args.assignments)
    unknown = sorted(set(assignments) - set(known))
    if unknown:
        raise CourseError(
            f"not assignments of this course: {', '.join(unknown)} (it has {', '.join(known)})"
        )
    if args.zip:
        kind, collected = lms.collect_archive(course, args.zip.expanduser(), assignments or known)
        print(f"collected {', '.join(collected)} from {args.zip} ({kind})")
        assignments = assignments or collected
    submissions = find_class(course, assignments or known)
    if not submissions:
        raise CourseError(
            f"nothing to grade: {course / 'submitted'} holds no submission of "
            f"{', '.join(assignments or known)} (expected submitted/<student>/<assignment>/)"
        )
    assignments = list(dict.fromkeys(a for a, _ in submissions))
    share_sqlite(api)
    released = prepare_gradebook(api, assignments, sorted({s for _, s in submissions}))
    if released:
        print(f"registered in the gradebook (nbgrader generate_assignment): {', '.join(released)}")
    lms_kind, lms_names = lms.lms_students(course)
    if lms_names:
        set_student_names(api, lms_names)
    work = plan(course, api, submissions, force=args.force)
    log_folder = course / LOGS_FOLDER / time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime())
    try:
        outcomes = run(
            course,
            work,
            workers=args.workers,
            scheduler=args.scheduler,
            db_url=api.coursedir.db_url,
            sandbox=sandbox,
            log_folder=log_folder,
            winding_down=report.prepare_plotting,
        )
    except KeyboardInterrupt:
        print(
            "\nstopped: every submission graded so far is kept (gradebook, feedback, "
            "grading-state/); run make grade again to grade the rest",
            file=sys.stderr,
        )
        return 130
    everything = find_class(course, course_assignments(course))
    every_assignment = list(dict.fromkeys(a for a, _ in everything))
    records = report.class_records(course, everything, outcomes)
    names = student_names(api)
    report.write_grades_csv(
        course / "grades.csv", records, report.gradebook_details(api, every_assignment)
    )
    points = report.challenge_points(api, every_assignment)
    plots = report.plot_scores(course / "score-plots", records, points)
    written = ["grades.csv"]
    if lms_kind:
        report_name = f"grades-{lms_kind}.csv"
        lms.write_lms_csv(course / report_name, lms_kind, records, names)
        written.append(report_name)
    actions = {action: sum(w.action == action for w in work) for action in (GRADE, FEEDBACK, SKIP)}
    log_note = (
        f"logs of this run: {log_folder}"
        if log_folder.is_dir()
        else "logs: none written (nothing graded)"
    )
    footer = [
        (
            f"this run: {actions[GRADE]} graded, {actions[FEEDBACK]} feedback rewritten (grade "
            f"changed), {actions[SKIP]} left as they were (unchanged) in "
            f"{time.perf_counter() - started:.1f} s"
        ),
        f"written in {course}: {', '.join(written)}, feedback/, score-plots/ ({len(plots)} PNG)",
        log_note,
    ]
    text = report.summary(records, points, names, footer)
    if log_folder.is_dir():
        (log_folder / "summary.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    graded_now = set(assignments)
    return 1 if any(r.status == NOT_GRADED and r.assignment in graded_now for r in records) else 0
