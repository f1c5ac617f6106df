"""Grading a class with nbgrader: safely (student code is hostile), fast, and at scale.

The instructor-side half of the course kit; students never import it. ``calclib`` holds what the
notebooks use (the maths, the pictures, the checks); this package holds what grades them:

- running each submission's kernel in a sandbox, warm-started (``sandbox``, ``kernels``);
- judging hidden tests outside the student's process (``judge``, ``execute``);
- grading one submission as one unit and a class as many, on one machine or a Dask cluster,
  into a SQLite or PostgreSQL gradebook (``submission``, ``classroom``, ``cli``).

Run it as ``make grade`` or ``python -m grading --help``.
"""
