"""Synthetic students for 01-limits: a classic misconception, and right answers in odd forms."""

ASSIGNMENT = "01-limits"

# The slope of f itself at 1 confused with f(1) = -1, or the sign of the -4x term dropped.
MISCONCEPTION = {"q1-limit-value-answer": "limit_value = -1"}
MISCONCEPTION_SCORE = 0.0
MISCONCEPTION_FEEDBACK = ["limit_value"]

# Right answers in unusual forms: full marks.
UNUSUAL = {"q1-limit-value-answer": "import numpy as np\nlimit_value = np.float64(2.0)"}
