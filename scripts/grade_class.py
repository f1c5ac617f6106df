"""Grade a whole class with nbgrader: autograde, feedback and a grades CSV, in one command.

The course folder is this repository (or a copy of it) with the students' work placed as
``submitted/<student>/<assignment>/<assignment>.ipynb`` (nbgrader's ``collect`` or ``zip_collect``
put it there). For each assignment that has submissions this runs

    nbgrader autograde <assignment>          # run every submission, restore edited test cells
    nbgrader generate_feedback <assignment>  # feedback/<student>/<assignment>/*.html

then ``nbgrader export`` writes ``grades.csv``. A summary per assignment follows: submissions,
mean score, and the submissions nbgrader flagged for a human (for example a deleted test cell).

Example::

    python scripts/grade_class.py                    # every assignment with submissions
    python scripts/grade_class.py 02-derivatives     # one assignment
    python scripts/grade_class.py --course ~/fall26  # another class folder
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook
from release import COURSE_ROOT, course_assignments, nbgrader_env
from tqdm import tqdm


def submitted_assignments(course: Path) -> list[str]:
    """Course assignments, in course order, that at least one student has submitted."""
    submitted = {p.name for p in (course / "submitted").glob("*/*") if p.is_dir()}
    return [name for name in course_assignments(course) if name in submitted]


def nbgrader(course: Path, *args: str) -> None:
    """Run one nbgrader command in the course folder; raise with its log if it fails."""
    done = subprocess.run(
        ["nbgrader", *args, "--log-level=WARN"],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")


def grade(course: Path, assignments: list[str]) -> None:
    """Autograde and write feedback for each assignment, then export grades.csv."""
    steps = tqdm(assignments, desc="grading", unit="assignment", file=sys.stdout)
    for name in steps:
        steps.set_postfix_str(name)
        nbgrader(course, "autograde", name)
        nbgrader(course, "generate_feedback", name)
    nbgrader(course, "export", "--to", str(course / "grades.csv"))


def summary(course: Path, assignments: list[str]) -> str:
    """A plain-text table: submissions, mean score and flagged submissions per assignment."""
    rows = [f"{'assignment':<24}{'submissions':>12}{'mean score':>12}{'max':>6}  flagged"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for name in assignments:
            assignment = gradebook.find_assignment(name)
            submissions = assignment.submissions
            scores = [s.score for s in submissions]
            flagged = sorted(s.student_id for s in submissions if s.needs_manual_grade)
            mean = sum(scores) / len(scores) if scores else float("nan")
            rows.append(
                f"{name:<24}{len(submissions):>12}{mean:>12.2f}{assignment.max_score:>6.0f}  "
                + (", ".join(flagged) or "-")
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every submitted assignment")
    parser.add_argument("--course", type=Path, default=COURSE_ROOT, help="the class folder")
    args = parser.parse_args(argv)
    course = args.course.resolve()
    if not (course / "nbgrader_config.py").is_file():
        parser.error(f"{course} has no nbgrader_config.py: point --course at the class folder")
    assignments = args.assignments or submitted_assignments(course)
    if not assignments:
        parser.error(f"nothing to grade: {course / 'submitted'} holds no submissions")
    unknown = sorted(set(assignments) - set(course_assignments(course)))
    if unknown:
        parser.error(f"not assignments of this course: {', '.join(unknown)}")
    try:
        grade(course, assignments)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary(course, assignments))
    print(f"feedback: {course / 'feedback'}   grades: {course / 'grades.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
