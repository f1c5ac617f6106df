"""Finish a submission that nbgrader flagged for manual grading: score its flagged cells by hand.

nbgrader flags a submission when it cannot score a graded cell by itself: a test cell the student
deleted (edited test cells are restored from the gradebook, deleted ones are not), a cell the judge
saw tampered with, or a cell already given a manual score before a re-grade. The Formgrader
(``make instructor``) shows a score box for every graded cell still in the notebook; a deleted cell
has none there, so the flag and the point stay. This command sets the score of any flagged cell in
the gradebook through nbgrader's API and clears its flag; ``make grade`` then rewrites that
student's feedback and ``grades.csv`` to match.

Usage, from the course folder::

    python -m grading.manual 01-limits ana                        # ana's flagged cells
    python -m grading.manual 01-limits ana q3-one-sided-tests 1   # give that cell 1 point
    python -m grading.manual 01-limits ana q3-one-sided-tests 1 --course ~/fall26

Example (in Python)::

    >>> from grading.manual import flagged_cells, set_manual_score
    >>> for cell in flagged_cells(course, "01-limits", "ana"):  # doctest: +SKIP
    ...     print(cell)
    q3-one-sided-tests  (01-limits.ipynb)  no score yet, out of 2  - not in the submission
    >>> set_manual_score(course, "01-limits", "ana", "q3-one-sided-tests", 1.0)  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from grading.gradebook import CourseError, course_api, open_gradebook


@dataclass(frozen=True)
class FlaggedCell:
    """A graded cell of one submission that waits for a human's score.

    ``auto_score`` is None when nbgrader could not run the cell at all (it was deleted);
    ``in_submission`` says whether the student's notebook still holds the cell.
    """

    grade_id: str
    notebook: str
    auto_score: float | None
    manual_score: float | None
    max_score: float
    in_submission: bool

    def __str__(self) -> str:
        score = "no score yet" if self.auto_score is None else f"autograded {self.auto_score:g}"
        if self.manual_score is not None:
            score = f"manual score {self.manual_score:g}"
        where = "in the submission" if self.in_submission else "not in the submission"
        return (
            f"{self.grade_id}  ({self.notebook}.ipynb)  {score}, out of {self.max_score:g}"
            f"  - {where}"
        )


def _submitted_grade_ids(course: Path, assignment: str, student: str, notebook: str) -> set[str]:
    """The grade ids present in the student's autograded copy (empty if it is missing)."""
    path = course / "autograded" / student / assignment / f"{notebook}.ipynb"
    if not path.is_file():
        return set()
    cells = nbformat.read(path, as_version=4).cells
    return {c.metadata.get("nbgrader", {}).get("grade_id") for c in cells} - {None}


def _submission(gradebook: Gradebook, assignment: str, student: str):
    try:
        return gradebook.find_submission(assignment, student)
    except MissingEntry:
        known = sorted(s.student.id for s in gradebook.find_assignment(assignment).submissions)
        raise CourseError(
            f"the gradebook has no submission of {assignment} by {student!r}; "
            f"its submissions are by: {', '.join(known) or 'nobody yet (run make grade first)'}"
        ) from None


def flagged_cells(course: Path, assignment: str, student: str) -> list[FlaggedCell]:
    """The cells of ``student``'s ``assignment`` that need a manual grade, in notebook order."""
    api = course_api(course)
    with open_gradebook(api) as gradebook:
        submission = _submission(gradebook, assignment, student)
        flagged = []
        for notebook in submission.notebooks:
            present = _submitted_grade_ids(course, assignment, student, notebook.name)
            for grade in notebook.grades:
                if grade.needs_manual_grade:
                    flagged.append(
                        FlaggedCell(
                            grade_id=grade.name,
                            notebook=notebook.name,
                            auto_score=grade.auto_score,
                            manual_score=grade.manual_score,
                            max_score=grade.max_score,
                            in_submission=grade.name in present,
                        )
                    )
    return flagged


def set_manual_score(
    course: Path, assignment: str, student: str, grade_id: str, score: float
) -> tuple[float, float]:
    """Give cell ``grade_id`` of a submission a manual ``score`` and clear its manual-grade flag.

    The score must lie between 0 and the cell's maximum. Returns the submission's new total and
    its maximum. Feedback written before is now stale: ``make grade`` rewrites it.
    """
    api = course_api(course)
    with open_gradebook(api) as gradebook:
        submission = _submission(gradebook, assignment, student)
        grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
        if grade_id not in grades:
            raise CourseError(
                f"{assignment} has no graded cell {grade_id!r}; its graded cells are: "
                f"{', '.join(sorted(grades))}"
            )
        grade = grades[grade_id]
        if not 0 <= score <= grade.max_score:
            raise CourseError(
                f"{score:g} is not a score for {grade_id}: give a number from 0 to "
                f"{grade.max_score:g}, the cell's points"
            )
        grade.manual_score = float(score)
        grade.needs_manual_grade = False
        gradebook.db.commit()
        submission = gradebook.find_submission(assignment, student)
        return submission.score, submission.max_score


def main(argv: list[str] | None = None) -> int:
    """The command line: list a submission's flagged cells, or score one of them."""
    parser = argparse.ArgumentParser(
        prog="python -m grading.manual",
        description="List a submission's cells flagged for manual grading, or give one a score "
        "(then run `make grade` to rewrite that student's feedback and grades.csv).",
    )
    parser.add_argument("assignment", help="e.g. 01-limits")
    parser.add_argument("student", help="the student id, as in submitted/<student>/")
    parser.add_argument("grade_id", nargs="?", help="the flagged cell, e.g. q3-one-sided-tests")
    parser.add_argument("score", nargs="?", type=float, help="its points, 0 to the cell's maximum")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the class folder")
    args = parser.parse_args(argv)
    course = args.course.expanduser().resolve()
    try:
        if args.grade_id is None:
            cells = flagged_cells(course, args.assignment, args.student)
            if not cells:
                print(f"{args.student} / {args.assignment}: nothing is flagged for manual grading.")
            for cell in cells:
                print(cell)
            if cells:
                print(
                    f"Score one with: python -m grading.manual {args.assignment} {args.student} "
                    f"{cells[0].grade_id} <points>"
                )
            return 0
        if args.score is None:
            parser.error(f"give the points for {args.grade_id} after it")
        total, maximum = set_manual_score(
            course, args.assignment, args.student, args.grade_id, args.score
        )
    except CourseError as error:
        print(f"grading.manual: {error}", file=sys.stderr)
        return 2
    print(
        f"{args.student} / {args.assignment}: {args.grade_id} scored {args.score:g} by hand; "
        f"total now {total:g} of {maximum:g}. Run `make grade` to rewrite the feedback."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
