"""Wrong answers students give in 02-derivatives, and right ones in forms the tests must accept."""

from challenge_runner import Attempt

ASSIGNMENT = "02-derivatives"

ATTEMPTS = [
    # q1: d/dx x**3 as a formula
    Attempt(
        "q1 stub",
        "q1-power-rule-expression",
        "# YOUR CODE HERE\npass",
        "Not answered yet",
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
    Attempt(
        "q2 returns the text of a formula",
        "q2-power-rule-function",
        'def dcube_at(t):\n    return "3*t**2"',
        "should be a number, not text",
    ),
    Attempt(
        "q2 the formula of q1 instead of a function",
        "q2-power-rule-function",
        "dcube_at = dcube",
        "should be a Python function here, not a formula",
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
    Attempt(
        "q3 quotient of the derivatives",
        "q3-quotient-rule",
        'dq = "1 / (2*x)"',
        "the quotient of the derivatives f'/g' is not the derivative of the quotient",
    ),
    Attempt("q3 right by sympy", "q3-quotient-rule", "dq = sp.diff(x / (1 + x**2), x)"),
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
    Attempt("q4 log base 10", "q4-exponential-slope", "slope_3x = 9 * math.log10(3)", "log10(3)"),
    Attempt("q4 rounded", "q4-exponential-slope", "slope_3x = 9.8875", "(exact, not rounded)"),
    Attempt("q4 right with numpy", "q4-exponential-slope", "slope_3x = 3**2 * np.log(3)"),
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
    Attempt(
        "q5 precedence of / 2*h",
        "q5-central-difference",
        "def central_diff(f, x, h):\n    return (f(x + h) - f(x - h)) / 2*h",
        "/ 2*h divides by 2 and then multiplies by h",
    ),
    Attempt(
        "q5 sin instead of f",
        "q5-central-difference",
        "def central_diff(f, x, h):\n    return (np.sin(x + h) - np.sin(x - h)) / (2 * h)",
        "use the function f you are given",
    ),
    # q6: the best step of the central difference of sin at 1
    Attempt(
        "q6 forward differences",
        "q6-best-step",
        "hs = 10.0 ** -np.arange(1, 13)\n"
        "errors = np.abs((np.sin(1 + hs) - np.sin(1.0)) / hs - np.cos(1.0))\n"
        "best_h = hs[np.argmin(errors)]",
        "forward differences",
    ),
    Attempt(
        "q6 absolute value missing",
        "q6-best-step",
        "hs = 10.0 ** -np.arange(1, 13)\n"
        "errors = central_diff(np.sin, 1.0, hs) - np.cos(1.0)\n"
        "best_h = hs[np.argmin(np.abs(errors))]",
        "the absolute value is missing",
    ),
    Attempt(
        "q6 the index, not the step",
        "q6-best-step",
        "hs = 10.0 ** -np.arange(1, 13)\n"
        "errors = np.abs(central_diff(np.sin, 1.0, hs) - np.cos(1.0))\n"
        "best_h = np.argmin(errors)",
        "that is the index of the smallest error",
    ),
    Attempt(
        "q6 the smallest error, not its step",
        "q6-best-step",
        "hs = 10.0 ** -np.arange(1, 13)\n"
        "errors = np.abs(central_diff(np.sin, 1.0, hs) - np.cos(1.0))\n"
        "best_h = errors.min()",
        "that is the smallest error itself",
    ),
    Attempt(
        "q6 right as a list with math",
        "q6-best-step",
        "hs = 10.0 ** -np.arange(1, 13)\n"
        "errors = [abs(central_diff(math.sin, 1.0, s) - math.cos(1.0)) for s in hs]\n"
        "best_h = float(hs[errors.index(min(errors))])",
    ),
    Attempt(
        "q2 right only near the visible points",
        "q2-power-rule-function",
        "def dcube_at(t):\n    return 3 * t**2 if abs(t) < 3 else 3 * abs(t)",
        "dcube_at",
    ),
    Attempt(
        "q3 the quotient rule with g not squared, written out",
        "q3-quotient-rule",
        'dq = "(1*(1 + x**2) - x*2*x) / (1 + x**2)"',
        "the denominator g must be squared",
    ),
    Attempt(
        "q4 a numeric derivative is not exact",
        "q4-exponential-slope",
        "slope_3x = derivative(lambda t: 3.0**t, 2.0).value",
        "the slope (exact, not a numeric derivative)",
    ),
    Attempt(
        "q4 ten digits are not exact",
        "q4-exponential-slope",
        "slope_3x = 9.887510598",
        "(exact, not rounded)",
    ),
    Attempt("q4 right as exp(2 ln 3) ln 3", "q4-exponential-slope", "slope_3x = math.log(3**9)"),
    Attempt(
        "q5 right only for positive x (abs)",
        "q5-central-difference",
        "def central_diff(f, x, h):\n    return (f(abs(x) + h) - f(abs(x) - h)) / (2 * h)",
        "central_diff",
    ),
    Attempt(
        "q6 broken central_diff names challenge 5",
        "q6-best-step",
        "def central_diff(f, x, h):\n    return (f(x + h) - f(x)) / h\n"
        "hs = 10.0 ** -np.arange(1, 13)\nerrors = np.abs(central_diff(np.sin, 1.0, hs) - np.cos(1.0))\n"
        "best_h = hs[np.argmin(errors)]",
        "q5-central-difference",
    ),
    # q7: ReLU's derivative and the subdifferential of |x|
    Attempt(
        "q7 stub",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    # YOUR CODE HERE\n    pass\n\n\n# YOUR CODE HERE\npass",
        "Not answered yet",
    ),
    Attempt(
        "q7 x >= 0",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.where(np.asarray(x) >= 0, 1.0, 0.0)\n"
        "abs_subdifferential = (-1, 1)",
        "x >= 0 gives 1 at 0",
    ),
    Attempt(
        "q7 relu itself",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.maximum(x, 0.0)\nabs_subdifferential = (-1, 1)",
        "that is ReLU itself",
    ),
    Attempt(
        "q7 heaviside one half",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.heaviside(x, 0.5)\nabs_subdifferential = (-1, 1)",
        "0.5 at 0 is a subgradient too",
    ),
    Attempt(
        "q7 sign",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.sign(x)\nabs_subdifferential = (-1, 1)",
        "ReLU is flat (slope 0) for x < 0",
    ),
    Attempt(
        "q7 ReLU's subdifferential",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.heaviside(x, 0.0)\nabs_subdifferential = (0, 1)",
        "those are ReLU's subgradients at 0",
    ),
    Attempt(
        "q7 reversed pair",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.heaviside(x, 0.0)\nabs_subdifferential = [1, -1]",
        "the pair is reversed",
    ),
    Attempt(
        "q7 right only for 1-d arrays",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return np.array([1.0 if v > 0 else 0.0 for v in np.ravel(x)])\n"
        "abs_subdifferential = (-1, 1)",
        "relu_grad",
    ),
    Attempt(
        "q7 right with a comparison cast",
        "q7-relu-subgradient",
        "def relu_grad(x):\n    return (np.asarray(x) > 0).astype(float)\nabs_subdifferential = (-1.0, 1.0)",
    ),
]
