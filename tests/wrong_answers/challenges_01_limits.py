"""Wrong answers students give in 01-limits, and right ones in forms the tests must accept."""

from challenge_runner import Attempt

ASSIGNMENT = "01-limits"

ATTEMPTS = [
    # q1: the limit of the difference quotient of 3x**2 - 4x at 1
    Attempt(
        "q1 stub",
        "q1-limit-value",
        "# YOUR CODE HERE\npass",
        "Not answered yet",
    ),
    Attempt(
        "q1 the value of f", "q1-limit-value", "limit_value = -1", "the value of f, not the limit"
    ),
    Attempt(
        "q1 the quotient at h = 0.1",
        "q1-limit-value",
        "limit_value = 2.3",
        "not its limit as h -> 0",
    ),
    Attempt(
        "q1 a value read off the table",
        "q1-limit-value",
        "limit_value = 2.0000003",
        "close, but not exact",
    ),
    Attempt("q1 sign", "q1-limit-value", "limit_value = -2", "a sign error"),
    Attempt("q1 right as text (exact answers may be typed)", "q1-limit-value", 'limit_value = "2"'),
    Attempt("q1 right as a numpy float", "q1-limit-value", "limit_value = np.float64(2.0)"),
    Attempt("q1 right as sympy's limit", "q1-limit-value", "limit_value = limit_at_1"),
    # q2: the exact limit of (sqrt(x + 9) - 3) / x at 0
    Attempt("q2 zero", "q2-sqrt-limit", "sqrt_limit = 0", "0/0 is not 0"),
    Attempt("q2 denominator 3", "q2-sqrt-limit", "sqrt_limit = 1 / 3", "at x = 0 both terms count"),
    Attempt(
        "q2 a rounded decimal",
        "q2-sqrt-limit",
        "sqrt_limit = 0.166667",
        "close, but not exact",
    ),
    Attempt("q2 right as a float fraction", "q2-sqrt-limit", "sqrt_limit = 1 / 6"),
    Attempt("q2 right as a Rational", "q2-sqrt-limit", "sqrt_limit = sp.Rational(1, 6)"),
    Attempt(
        "q2 right by sympy",
        "q2-sqrt-limit",
        "sqrt_limit = sp.limit((sp.sqrt(x + 9) - 3) / x, x, 0)",
    ),
    # q3: difference_quotient(f, x, h)
    Attempt(
        "q3 not divided by h",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    return f(x + h) - f(x)",
        "the difference is not divided by h",
    ),
    Attempt(
        "q3 brackets missing",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    return f(x + h) - f(x) / h",
        "only f(x) is divided by h",
    ),
    Attempt(
        "q3 central difference",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    return (f(x + h) - f(x - h)) / (2 * h)",
        "that is the central difference",
    ),
    Attempt(
        "q3 order reversed",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    return (f(x) - f(x + h)) / h",
        "f(x) - f(x + h) has the wrong sign",
    ),
    Attempt(
        "q3 missing return",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    (f(x + h) - f(x)) / h",
        "a missing `return`",
    ),
    Attempt(
        "q3 right as a lambda",
        "q3-difference-quotient",
        "difference_quotient = lambda f, x, h: (f(x + h) - f(x)) / h",
    ),
    Attempt(
        "q3 right in two steps",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    rise = f(x + h) - f(x)\n    return rise / h",
    ),
    # q4: the quotient of x**2 + 5x simplified, and its limit
    Attempt(
        "q4 the limit for the quotient",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + 5"\nlimit_formula = "2*x + 5"',
        "that is already the limit",
    ),
    Attempt(
        "q4 the 5h term lost",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + h"\nlimit_formula = "2*x"',
        "the term 5x contributes 5h",
    ),
    Attempt(
        "q4 not simplified",
        "q4-quotient-algebra",
        'quotient_simplified = "((x + h)**2 + 5*(x + h) - x**2 - 5*x) / h"\n'
        'limit_formula = "2*x + 5"',
        "h is still in a denominator",
    ),
    Attempt(
        "q4 h left in the limit",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + h + 5"\nlimit_formula = "2*x + h + 5"',
        "limit_formula still contains h",
    ),
    Attempt(
        "q4 5x forgotten in the limit",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + h + 5"\nlimit_formula = "2*x"',
        "the derivative of 5x is 5",
    ),
    Attempt(
        "q4 implicit multiplication",
        "q4-quotient-algebra",
        'quotient_simplified = "2x + h + 5"\nlimit_formula = "2x + 5"',
        "write multiplication with *",
    ),
    Attempt(
        "q4 right as sympy expressions",
        "q4-quotient-algebra",
        "quotient_simplified = h + 2 * x + 5\nlimit_formula = sp.limit(quotient_simplified, h, 0)",
    ),
    Attempt(
        "q4 right, cancelled by sympy",
        "q4-quotient-algebra",
        "quotient_simplified = sp.cancel(((x + h)**2 + 5*(x + h) - x**2 - 5*x) / h)\n"
        'limit_formula = "5 + 2*x"',
    ),
    # q5: one-sided slopes of |x**2 - 1| at 1
    Attempt(
        "q5 swapped",
        "q5-one-sided",
        "left_slope = 2\nright_slope = -2",
        "left and right are swapped",
    ),
    Attempt(
        "q5 absolute value ignored",
        "q5-one-sided",
        "left_slope = 2\nright_slope = 2",
        "without the absolute value both sides would be the same",
    ),
    Attempt(
        "q5 values read off the table",
        "q5-one-sided",
        "left_slope = -1.9999999\nright_slope = 2.0000001",
        "close, but not exact",
    ),
    Attempt(
        "q5 right as floats on one line", "q5-one-sided", "left_slope, right_slope = -2.0, 2.0"
    ),
    Attempt(
        "q5 right as numpy integers",
        "q5-one-sided",
        "left_slope, right_slope = np.int64(-2), np.int64(2)",
    ),
    Attempt(
        "q1 ten digits are not exact",
        "q1-limit-value",
        "limit_value = 2.0000000001",
        "close, but not exact",
    ),
    Attempt(
        "q2 ten digits are not exact",
        "q2-sqrt-limit",
        "sqrt_limit = 0.1666666667",
        "close, but not exact",
    ),
    Attempt(
        "q2 right as a Fraction",
        "q2-sqrt-limit",
        "from fractions import Fraction\nsqrt_limit = Fraction(1, 6)",
    ),
    Attempt(
        "q3 right only for h = 0.1 and 0.01 (hard-coded step)",
        "q3-difference-quotient",
        "def difference_quotient(f, x, h):\n    return (f(x + abs(h)) - f(x)) / abs(h)",
        "difference_quotient",
    ),
    Attempt(
        "q4 right with a term times 0",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + h + 5 + (x - 1)*(x + 1)*h*(h - 1)*0"\nlimit_formula = "2*x + 5"',
    ),
    Attempt(
        "q4 limit right only near the sample range",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + h + 5"\nlimit_formula = "2*x + 5 + x**9 / 1e12"',
        "limit_formula",
    ),
    Attempt(
        "q4 limit given in h's place",
        "q4-quotient-algebra",
        'quotient_simplified = "2*x + h + 5"\nlimit_formula = "2*x + 5 - 5"',
        "the derivative of 5x is 5",
    ),
    Attempt(
        "q5 values read off a table",
        "q5-one-sided",
        "left_slope, right_slope = -2.000001, 2.000001",
        "close, but not exact",
    ),
    Attempt("q2 right as the text of a fraction", "q2-sqrt-limit", 'sqrt_limit = "1/6"'),
    Attempt(
        "q5 right as Fractions",
        "q5-one-sided",
        "from fractions import Fraction\nleft_slope, right_slope = Fraction(-2), Fraction(2)",
    ),
]
