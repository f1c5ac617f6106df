"""Instant, teaching feedback on exercises; the same checks run as nbgrader autograde tests.

A graded challenge is two nbgrader cells with ids ``<stem>-answer`` and ``<stem>-tests``. The
test cell opens with a one-line docstring and runs its checks inside ``challenge(<stem>)``;
hidden checks sit inside the same ``with`` block, between nbgrader's markers::

    \"\"\"Check the derivative of x**3.\"\"\"
    hints = ["The power rule: d/dx x**n = n * x**(n - 1).", "Here n = 3: 3 * x**2."]
    mistakes = {"the exponent was not lowered": "3*x**3"}
    with challenge("q1-power-rule", hints=hints):
        check_derivative(dcube, "x**3", name="d/dx x**3", misconceptions=mistakes)
        ### BEGIN HIDDEN TESTS
        check_expression(dcube, "3*x**2", name="d/dx x**3", domain=(-50, 50), seed=2,
                         misconceptions=mistakes, hidden=True)
        ### END HIDDEN TESTS

Under nbgrader (and in plain Python) a failing check raises :class:`CheckFailure`, an
``AssertionError``, so the cell scores 0; in a student's own Jupyter kernel ``challenge`` prints
the message and lets the notebook run on (:func:`grading_mode`). The message, without a
traceback, says: what was checked, what the
student gave, what was expected (unless ``hidden=True``), the likely mistake when one matches,
and the next hint of the ladder. A passing challenge prints one line, e.g.
``✓ q1-power-rule: passed (2 checks).``. Nothing is written to stderr.

Partial credit: give the challenge the cell's points, run each part in ``q.part(...)`` and
end the cell with ``q.score`` (nbgrader takes a float result as the cell's grade)::

    with challenge("q3-gradient", hints=hints, points=2) as q:
        with q.part("df/dx"):
            check_number(grad[0], 6.0, name="df/dx at (1, 2)")
        with q.part("df/dy"):
            check_number(grad[1], 1.0, name="df/dy at (1, 2)")
    q.score

A number that must only lie in a range (a learning rate below 2/L, a loss under a threshold)
is checked with ``check_between(lr, 0, 0.1, name="lr")`` or ``check_less(loss, 1e-6)``.
Formulas typed as text are read without running them as code.

At the end of a notebook, ``progress([...every challenge id...])`` shows what passes so far.

A mistake in the test cell itself (a bad tolerance, domain or reference) raises
:class:`CheckSetupError`, not a ``CheckFailure``: the message names the argument and tells the
student it is not their mistake.

Introduced in 01-limits.
"""

from calclib.checking.challenge import Challenge, challenge, grading_mode
from calclib.checking.choices import check_choice
from calclib.checking.derivatives import check_derivative
from calclib.checking.expressions import check_expression
from calclib.checking.failures import CheckFailure, CheckSetupError
from calclib.checking.functions import check_function
from calclib.checking.implementations import check_autograd, check_implementation, check_order
from calclib.checking.numeric import check_array, check_between, check_less, check_number
from calclib.checking.progress import Progress, progress
from calclib.checking.unanswered import answered

__all__ = [
    "Challenge",
    "CheckFailure",
    "CheckSetupError",
    "Progress",
    "answered",
    "challenge",
    "check_array",
    "check_autograd",
    "check_between",
    "check_choice",
    "check_derivative",
    "check_expression",
    "check_function",
    "check_implementation",
    "check_less",
    "check_number",
    "check_order",
    "grading_mode",
    "progress",
]
