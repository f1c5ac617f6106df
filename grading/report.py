"""What a grading run tells the instructor: grades.csv, the summary, score-distribution plots.

Every submission of the class has one record (an :class:`~grading.submission.Outcome`): this
run's, or the one a previous run left in ``grading-state/``. From those records and the gradebook
this module writes

- ``grades.csv``: one row per submission, nbgrader export's columns plus ``status``
  (``graded``, ``flagged``, ``not graded``) and ``reason``; a submission without a score has an
  empty score, never a silent 0;
- ``score-plots/<assignment>/<challenge>.png``: how many students got each score of the challenge;
- the summary printed at the end of ``make grade``.

Example::

    records = class_records(course, submissions, outcomes)
    write_grades_csv(course / "grades.csv", records, gradebook_details(api, assignments))
    print(summary(records, challenge_points(api, assignments), names, ...))
"""

from __future__ import annotations

import csv
import importlib
import shlex
from collections import defaultdict
from pathlib import Path

from nbgrader.apps import NbGraderAPI

from grading.gradebook import open_gradebook
from grading.submission import FLAGGED, GRADED, NOT_GRADED, Outcome, read_state

GRADES_COLUMNS = (
    "assignment",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "timestamp",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
    "status",
    "reason",
)
RESOLVE_FLAGGED = (
    "To resolve a flagged submission, score its flagged cells by hand: in the Formgrader (make "
    "instructor: Manual Grading > the assignment > the student), or with the command shown beside "
    "it (which also reaches a deleted test cell, which has no score box in the Formgrader). Then "
    "run make grade again: it rewrites that student's feedback and grades.csv to match."
)


def class_records(
    course: Path, submissions: list[tuple[str, str]], outcomes: list[Outcome]
) -> list[Outcome]:
    """One record per submission: this run's outcome, else the last run's, else "not graded"."""
    this_run = {(o.assignment, o.student): o for o in outcomes}
    records = []
    for assignment, student in submissions:
        if (assignment, student) in this_run:
            records.append(this_run[(assignment, student)])
            continue
        state = read_state(course, assignment, student)
        if state is None:
            records.append(
                Outcome(assignment, student, NOT_GRADED, reason="not graded yet: run make grade")
            )
        else:
            fields = {k: v for k, v in state.items() if k in Outcome.__dataclass_fields__}
            records.append(Outcome(**fields))
    return records


def gradebook_details(api: NbGraderAPI, assignments: list[str]) -> dict[tuple[str, str], dict]:
    """{(assignment, student): nbgrader export's columns} for every graded submission."""
    details = {}
    with open_gradebook(api) as gradebook:
        students = {s.id: s for s in gradebook.students}
        known = {a.name for a in gradebook.assignments}
        for assignment in assignments:
            if assignment not in known:
                continue
            for sub in gradebook.assignment_submissions(assignment):
                student = students[sub.student_id]
                details[(assignment, sub.student_id)] = {
                    "last_name": student.last_name or "",
                    "first_name": student.first_name or "",
                    "email": student.email or "",
                    "timestamp": sub.timestamp.isoformat() if sub.timestamp else "",
                    "raw_score": sub.score + sub.late_submission_penalty,
                    "late_submission_penalty": sub.late_submission_penalty,
                    "score": sub.score,
                    "max_score": sub.max_score,
                }
    return details


def challenge_points(api: NbGraderAPI, assignments: list[str]) -> dict[str, dict[str, float]]:
    """{assignment: {graded cell id: points}}, in notebook order."""
    points: dict[str, dict[str, float]] = {}
    with open_gradebook(api) as gradebook:
        known = {a.name: a for a in gradebook.assignments}
        for assignment in assignments:
            if assignment not in known:
                continue
            cells = {}
            for notebook in known[assignment].notebooks:
                for cell in notebook.grade_cells:
                    if cell.max_score > 0:
                        cells[cell.name] = float(cell.max_score)
            points[assignment] = cells
    return points


def write_grades_csv(path: Path, records: list[Outcome], details: dict) -> None:
    """grades.csv: nbgrader export's columns, plus the status and reason of each submission."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, GRADES_COLUMNS)
        writer.writeheader()
        for record in records:
            row = {"assignment": record.assignment, "student_id": record.student}
            if record.status != NOT_GRADED:
                row |= details.get((record.assignment, record.student), {})
            row |= {"status": record.status, "reason": record.reason}
            writer.writerow(row)


def display_name(student: str, names: dict[str, str]) -> str:
    """ "First Last (id)" when the gradebook knows the name, the id otherwise.

    >>> display_name("s042", {"s042": "Ana Lima"}), display_name("bo", {})
    ('Ana Lima (s042)', 'bo')
    """
    return f"{names[student]} ({student})" if student in names else student


def challenge_means(
    records: list[Outcome], points: dict[str, dict[str, float]]
) -> dict[str, dict[str, float]]:
    """{assignment: {challenge: mean score}} over the submissions that have a score."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        if record.status == NOT_GRADED:
            continue
        for cell in points.get(record.assignment, {}):
            sums[record.assignment][cell].append(record.challenges.get(cell, 0.0))
    return {
        assignment: {cell: sum(scores) / len(scores) for cell, scores in cells.items()}
        for assignment, cells in sums.items()
    }


def summary(
    records: list[Outcome],
    points: dict[str, dict[str, float]],
    names: dict[str, str],
    footer: list[str],
) -> str:
    """The end-of-run summary: per assignment counts and means, then who needs what, and where."""
    by_assignment: dict[str, list[Outcome]] = defaultdict(list)
    for record in records:
        by_assignment[record.assignment].append(record)
    means = challenge_means(records, points)
    header = (
        f"{'assignment':<24}{'submissions':>12}{'graded':>8}{'flagged':>9}{'not graded':>12}"
        f"{'mean':>8}{'max':>6}"
    )
    lines = [header]
    for assignment, group in by_assignment.items():
        status = defaultdict(int)
        for record in group:
            status[record.status] += 1
        scored = [r.score for r in group if r.status != NOT_GRADED and r.score is not None]
        mean = f"{sum(scored) / len(scored):.2f}" if scored else "-"
        full = sum(points.get(assignment, {}).values())
        lines.append(
            f"{assignment:<24}{len(group):>12}{status[GRADED]:>8}{status[FLAGGED]:>9}"
            f"{status[NOT_GRADED]:>12}{mean:>8}{full:>6g}"
        )
        for cell, mean_score in means.get(assignment, {}).items():
            lines.append(f"    {cell:<40} mean {mean_score:5.2f} of {points[assignment][cell]:g}")
    for status, title in ((FLAGGED, "Flagged for a human"), (NOT_GRADED, "Not graded")):
        chosen = [r for r in records if r.status == status]
        if not chosen:
            continue
        lines.append(f"\n{title} ({len(chosen)}):")
        for r in chosen:
            lines.append(f"  {r.assignment}  {display_name(r.student, names)}: {r.reason}")
            if status == FLAGGED:
                lines.append(
                    f"      python -m grading.manual {r.assignment} {shlex.quote(r.student)}"
                )
        if status == FLAGGED:
            lines.append(f"  {RESOLVE_FLAGGED}")
    return "\n".join(lines + [""] + footer)


def prepare_plotting() -> None:
    """Import what :func:`plot_scores` draws with (matplotlib: 0.7 s) ahead of it.

    ``make grade`` calls it while the last submissions grade, when a core is free anyway.
    """
    for module in ("matplotlib.figure", "matplotlib.ticker", "matplotlib.backends.backend_agg"):
        importlib.import_module(module)  # the last one: what savefig draws PNGs with


def plot_scores(
    folder: Path, records: list[Outcome], points: dict[str, dict[str, float]]
) -> list[Path]:
    """``<folder>/<assignment>/<challenge>.png``: how many students got each score. Returns them.

    One picture per challenge, its title giving the class's mean out of the points: the challenge
    the class found hard shows in a folder listing of thumbnails. One figure is drawn into again
    for every picture (a figure each would cost more than the drawing).
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(4.0, 2.8))
    axes = figure.subplots()
    figure.subplots_adjust(left=0.16, right=0.96, bottom=0.18, top=0.8)
    written = []
    for assignment, cells in points.items():
        scored = [r for r in records if r.assignment == assignment and r.status != NOT_GRADED]
        if not scored or not cells:
            continue
        (folder / assignment).mkdir(parents=True, exist_ok=True)
        for cell, full in cells.items():
            scores = [r.challenges.get(cell, 0.0) for r in scored]
            values = sorted(set(scores) | {0.0, full})
            axes.clear()
            axes.bar([f"{v:g}" for v in values], [scores.count(v) for v in values], color="#4c72b0")
            mean = sum(scores) / len(scores)
            axes.set_title(
                f"{assignment}\n{cell}: mean {mean:.2f} of {full:g} ({len(scored)} graded)",
                fontsize=9,
            )
            axes.set_xlabel("score")
            axes.set_ylabel("students")
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            path = folder / assignment / f"{cell}.png"
            figure.savefig(path, dpi=80)
            written.append(path)
    return written
