"""nbgrader configuration for the Calculus for ML course.

Instructors edit lessons in ``solutions/`` (nbgrader's source); ``make release``
writes the student copies to ``notebooks/``. Run nbgrader commands from this folder.
"""

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

ASSIGNMENTS = [
    "01-limits",
    "02-derivatives",
    "03-partial-derivatives",
    "04-chain-rule",
    "05-gradient-descent",
    "06-autograd",
]

c.CourseDirectory.course_id = "calculus-for-ml"
c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_assignments = [{"name": name} for name in ASSIGNMENTS]

# Student notebooks are released without outputs; solutions never leave solutions/.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# A test cell that hangs (an infinite loop in student code) is interrupted and scores 0.
c.ExecutePreprocessor.timeout = 60
