"""Wrong answers students give in 03-partial-derivatives, and right ones in unusual forms."""

from challenge_runner import Attempt

ASSIGNMENT = "03-partial-derivatives"

SOFTMAX_NAIVE = (
    "def grad_logsumexp(z):\n"
    "    z = np.asarray(z, dtype=float)\n"
    "    return np.exp(z) / np.sum(np.exp(z))"
)

ATTEMPTS = [
    # q1: partial derivatives of 2a - b + c**2
    Attempt(
        "q1 other variables not held constant",
        "q1-partials-abc",
        'df_db = "-1"\ndf_dc = "2*a - b + 2*c"',
        "the other variables were not held constant",
    ),
    Attempt(
        "q1 sign of -b",
        "q1-partials-abc",
        'df_db = "1"\ndf_dc = "2*c"',
        "its partial derivative is -1, not 1",
    ),
    Attempt(
        "q1 right as numbers and ^",
        "q1-partials-abc",
        'df_db = -1\ndf_dc = "2c^1"',
        "write multiplication with *",
    ),
    Attempt(
        "q1 right as an int and a sympy expression",
        "q1-partials-abc",
        'df_db = -1\ndf_dc = 2 * sp.Symbol("c")',
    ),
    # q2: numeric gradient
    Attempt(
        "q2 forward difference",
        "q2-numeric-gradient",
        "def numeric_gradient(f, v, h):\n"
        "    v = np.asarray(v, dtype=float)\n"
        "    return np.array([(f(v + s) - f(v)) / h for s in h * np.eye(v.size)])",
        "a forward difference, not a central one",
    ),
    Attempt(
        "q2 changes the point in place",
        "q2-numeric-gradient",
        "def numeric_gradient(f, v, h):\n"
        "    grad = np.zeros(len(v))\n"
        "    for i in range(len(v)):\n"
        "        v[i] += h\n"
        "        up = f(v)\n"
        "        v[i] -= 2 * h\n"
        "        grad[i] = (up - f(v)) / (2 * h)\n"
        "    return grad",
        "changed its argument 2 in place",
    ),
    Attempt(
        "q2 right as a list",
        "q2-numeric-gradient",
        "def numeric_gradient(f, v, h):\n"
        "    v = np.asarray(v, dtype=float)\n"
        "    return [(f(v + e) - f(v - e)) / (2 * h) for e in h * np.eye(len(v))]",
    ),
    # q3: softmax
    Attempt(
        "q3 not normalised",
        "q3-softmax",
        "def grad_logsumexp(z):\n    return np.exp(np.asarray(z, dtype=float))",
        "exp(z) alone is not normalised",
    ),
    Attempt("q3 overflows on large inputs", "q3-softmax", SOFTMAX_NAIVE, "not right yet"),
    # q4: Jacobian
    Attempt(
        "q4 transposed",
        "q4-jacobian",
        "J_F = np.array([[4.0, 5.0], [1.0, np.cos(2.0)]])",
        "the matrix is transposed",
    ),
    Attempt("q4 right as nested lists", "q4-jacobian", "J_F = [[4, 1], [5, math.cos(2)]]"),
    # q5: Hessian and classification
    Attempt(
        "q5 mixed partial missing",
        "q5-classify",
        'H_11 = np.diag([6.0, 6.0])\nkind_11 = "minimum"\nkind_00 = "saddle"',
        "the mixed partial h_xy = -3 is missing",
    ),
    Attempt(
        "q5 inconclusive at the origin",
        "q5-classify",
        'H_11 = np.array([[6.0, -3.0], [-3.0, 6.0]])\nkind_11 = "minimum"\n'
        'kind_00 = "inconclusive"',
        "the mixed partial h_xy = -3 is not",
    ),
    Attempt(
        "q5 right with capitals",
        "q5-classify",
        'H_11 = [[6, -3], [-3, 6]]\nkind_11 = "Minimum"\nkind_00 = " saddle"',
    ),
]
