"""Grading a class with nbgrader: safely (student code is hostile), fast, and at scale.

The instructor-side half of the course kit; students never import it. ``calclib`` holds what the
notebooks use (the maths, the pictures, the checks); this package holds what grades them:

- running each submission's kernel in a sandbox, warm-started (``sandbox``, ``kernels``), from
  processes a local run starts before its own imports (``head_start``);
- judging hidden tests outside the student's process (``judge``, ``execute``);
- the course as nbgrader sees it: its configuration and gradebook, SQLite or PostgreSQL
  (``gradebook``);
- one submission as one unit: a preflight of its folder, autograde and feedback through
  nbgrader's Python API in a long-lived process, a record of the outcome (``preflight``,
  ``submission``);
- a class as many such units: what needs grading since the last run, one Dask task per
  submission on a local or a remote cluster, one progress bar (``classroom``);
- what the instructor reads and hands on: grades.csv with a status per submission, the summary,
  score plots (``report``), Canvas and Moodle archives in and import files out (``lms``);
  flagged cells scored by hand (``manual``);
- the command line (``cli``).

Run it as ``make grade`` or ``python -m grading --help``. Grading one submission from Python::

    from grading.submission import grade_submission
    outcome = grade_submission(course, "01-limits", "ana")   # status, score, reason, ...
"""
