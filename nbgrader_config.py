"""nbgrader configuration for the Calculus for ML course.

Instructors edit lessons in ``solutions/`` (nbgrader's source); ``make release``
writes the student copies to ``notebooks/``. Run nbgrader commands from this folder.
"""

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "calculus-for-ml"
# Each folder of solutions/ is one assignment, in course order: 00-start-here, 01-limits,
# 02-derivatives, 03-partial-derivatives, 04-chain-rule, 05-gradient-descent, 06-autograd,
# 07-integrals-and-expectation.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# The exchange: release_assignment puts assignments there for students to fetch, submit leaves their
# work there for collect, release_feedback their feedback for fetch_feedback. One folder for the
# whole machine or JupyterHub, shared by every course on it; `make exchange` creates it
# (world-writable, sticky). Set NBGRADER_EXCHANGE to move it, for the instructor and the students.
import os  # noqa: E402

c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")

# The gradebook: gradebook.db (SQLite) at the course root, unless NBGRADER_DB_URL names another, such
# as a PostgreSQL server that many grading workers write at once (postgresql://user@host/db).
# `python -m grading --db-url URL` passes one URL to every worker of a run.
if os.environ.get("NBGRADER_DB_URL"):
    c.CourseDirectory.db_url = os.environ["NBGRADER_DB_URL"]

# Student notebooks are released without outputs; solutions never leave solutions/.
# The stub is `pass`: it never raises, so Run All reaches the end of an unanswered notebook, and
# it is a valid body for a function or method. The checks recognise it as "not answered yet".
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\npass"}

# A cell still running after 30 s (say, a student's infinite loop) is interrupted and scores 0.
c.Execute.timeout = 30

# Student code is untrusted: every autograde run from this folder (make grade, a plain
# `nbgrader autograde`, the Formgrader's Autograde button) starts each kernel in a sandbox of its
# own (grading/kernels.py; GRADING_SANDBOX=auto|warm|cold|off, see README "Student code is
# untrusted"). nbgrader 0.9.6 ignores c.Execute.kernel_manager_class, hence the preprocessor swap.
c.Autograde.autograde_preprocessors = [
    # SandboxedExecute's kernels, with graded test cells judged in this process, never in the
    # student's kernel (grading/execute.py; README "How a score is judged").
    "grading.execute.JudgedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "grading.execute.FlagForReview",  # the judge's flags -> needs manual grade
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback shows students their outputs and our teaching messages, not the hidden tests' source.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
