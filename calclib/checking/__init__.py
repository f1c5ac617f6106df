"""Instant, teaching feedback on exercises; the same checks run as nbgrader autograde tests.

A graded test cell runs its checks inside ``challenge``::

    with challenge("q2-power-rule", hints=["Use the power rule: d/dx x**n = n*x**(n-1)."]):
        check_derivative(df, lambda x: x**3, exact=lambda x: 3 * x**2)
        ### BEGIN HIDDEN TESTS
        check_derivative(df, lambda x: x**3, exact=lambda x: 3 * x**2,
                         domain=(-50, 50), hidden=True)
        ### END HIDDEN TESTS

A failing check raises :class:`CheckFailure` (an ``AssertionError``, so nbgrader scores the
cell 0) whose message says what was checked, what the student gave, what was expected and,
when it recognises it, the likely mistake; Jupyter shows it without a traceback.

Introduced in 01-limits.
"""

from calclib.checking.challenge import Challenge, challenge
from calclib.checking.derivatives import check_derivative
from calclib.checking.expressions import check_expression
from calclib.checking.failures import CheckFailure
from calclib.checking.functions import check_function
from calclib.checking.implementations import check_implementation, check_order
from calclib.checking.numbers import check_array, check_number
from calclib.checking.progress import Progress, progress

__all__ = [
    "Challenge",
    "CheckFailure",
    "Progress",
    "challenge",
    "check_array",
    "check_derivative",
    "check_expression",
    "check_function",
    "check_implementation",
    "check_number",
    "check_order",
    "progress",
]
