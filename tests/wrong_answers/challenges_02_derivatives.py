"""Wrong answers students give in 02-derivatives, and right ones in forms the tests must accept."""

from challenge_runner import Attempt

ASSIGNMENT = "02-derivatives"

ATTEMPTS = [
    # q1: d/dx x**3 as a formula
    Attempt(
        "q1 stub",
        "q1-power-rule-expression",
        "raise NotImplementedError()",
        "`dcube` is not defined yet",
    ),
    Attempt(
        "q1 exponent not lowered",
        "q1-power-rule-expression",
        'dcube = "3*x**3"',
        "the exponent came down but was not lowered",
    ),
    Attempt(
        "q1 factor missing", "q1-power-rule-expression", 'dcube = "x**2"', "the factor n is missing"
    ),
    Attempt(
        "q1 the function itself",
        "q1-power-rule-expression",
        'dcube = "x**3"',
        "the function itself instead of its derivative",
    ),
    Attempt(
        "q1 3x**2 without *",
        "q1-power-rule-expression",
        'dcube = "3x**2"',
        "write multiplication with *",
    ),
    Attempt("q1 right as 3*x*x", "q1-power-rule-expression", 'dcube = "3*x*x"'),
    Attempt("q1 right with ^", "q1-power-rule-expression", 'dcube = "3*x^2"'),
    Attempt(
        "q1 right as sympy",
        "q1-power-rule-expression",
        'import sympy\nx = sympy.Symbol("x")\ndcube = sympy.diff(x**3, x)',
    ),
    # q2: the derivative as a function
    Attempt(
        "q2 missing return",
        "q2-power-rule-function",
        "def dcube_at(t):\n    3 * t**2",
        "a missing `return`",
    ),
    Attempt(
        "q2 lowered by two",
        "q2-power-rule-function",
        "def dcube_at(t):\n    return 3 * t",
        "the exponent went down by 2",
    ),
    Attempt("q2 right as lambda", "q2-power-rule-function", "dcube_at = lambda t: 3 * t * t"),
    Attempt(
        "q2 right with numpy",
        "q2-power-rule-function",
        "import numpy as np\ndef dcube_at(t):\n    return np.float32(3) * np.square(t)",
    ),
    # q3: quotient rule
    Attempt(
        "q3 swapped numerator",
        "q3-quotient-rule",
        'dq = "(x**2 - 1) / (1 + x**2)**2"',
        "the two terms of the numerator are swapped",
    ),
    Attempt(
        "q3 denominator not squared",
        "q3-quotient-rule",
        'dq = "(1 - x**2) / (1 + x**2)"',
        "the denominator g must be squared",
    ),
    Attempt(
        "q3 right unsimplified",
        "q3-quotient-rule",
        'dq = "(1*(1 + x**2) - x*(2*x)) / (1 + x**2)**2"',
    ),
    # q4: slope of 3**x at 2
    Attempt(
        "q4 power rule on an exponential",
        "q4-exponential-slope",
        "slope_3x = 2 * 3**1",
        "the power rule does not apply to 3**x",
    ),
    Attempt(
        "q4 ln missing", "q4-exponential-slope", "slope_3x = 9.0", "the factor ln 3 is missing"
    ),
    Attempt("q4 text", "q4-exponential-slope", 'slope_3x = "9 ln 3"', "remove the quotes"),
    Attempt(
        "q4 right as a tensor",
        "q4-exponential-slope",
        "import torch\nslope_3x = torch.tensor(9.0, dtype=torch.float64) * torch.log(torch.tensor(3.0, dtype=torch.float64))",
    ),
    # q5: central difference
    Attempt(
        "q5 forward difference",
        "q5-central-difference",
        "def central_diff(f, x, h):\n    return (f(x + h) - f(x)) / h",
        "a forward difference (f(x+h) - f(x)) / h, not a central one",
    ),
    Attempt(
        "q5 divided by h",
        "q5-central-difference",
        "def central_diff(f, x, h):\n    return (f(x + h) - f(x - h)) / h",
        "divide by 2h, not h",
    ),
    Attempt(
        "q5 right as a lambda",
        "q5-central-difference",
        "central_diff = lambda f, x, h: (f(x + h) - f(x - h)) / (h + h)",
    ),
]
