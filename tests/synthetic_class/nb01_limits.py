"""Synthetic students for 01-limits: classic misconceptions, and right answers in odd forms."""

ASSIGNMENT = "01-limits"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # The value of f at 1 (3 - 4) confused with the limit of its difference quotient.
    "q1-limit-value-answer": "limit_value = -1",
    # The central difference of lesson 02 written for the difference quotient.
    "q3-difference-quotient-answer": (
        "def difference_quotient(f, x, h):\n    return (f(x + h) - f(x - h)) / (2 * h)\n"
    ),
}
MISCONCEPTION_SCORE = 4.0  # 7 points in all; q1 (1) and q3 (2) are lost
MISCONCEPTION_FEEDBACK = ["the value of f, not the limit", "that is the central difference"]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # A numpy float instead of an int.
    "q1-limit-value-answer": "import numpy as np\nlimit_value = np.float64(2.0)",
    # sympy's own limit, an exact Rational.
    "q2-sqrt-limit-answer": "sqrt_limit = sp.limit((sp.sqrt(x + 9) - 3) / x, x, 0)",
    # A lambda instead of a def.
    "q3-difference-quotient-answer": "difference_quotient = lambda f, x, h: (f(x + h) - f(x)) / h",
    # sympy does the algebra: the quotient cancelled by sp.cancel, the limit as a sympy expression.
    "q4-quotient-algebra-answer": (
        "quotient_simplified = sp.cancel(((x + h)**2 + 5*(x + h) - x**2 - 5*x) / h)\n"
        "limit_formula = 5 + x * 2\n"
    ),
    # Floats, on one line.
    "q5-one-sided-answer": "left_slope, right_slope = -2.0, 2.0",
}
