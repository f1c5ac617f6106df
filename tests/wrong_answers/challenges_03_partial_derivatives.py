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
        "its partial derivative carries that minus sign",
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
    Attempt(
        "q1 -b treated as a constant",
        "q1-partials-abc",
        'df_db = "0"\ndf_dc = "2*c"',
        "its partial derivative is not 0",
    ),
    Attempt(
        "q1 the term, not its derivative",
        "q1-partials-abc",
        'df_db = "-1"\ndf_dc = "c**2"',
        "that is the term c**2 itself",
    ),
    Attempt(
        "q1 the value at c = 3",
        "q1-partials-abc",
        'df_db = "-1"\ndf_dc = 6',
        "the challenge asks for the formula in c",
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
    Attempt(
        "q2 divided by h",
        "q2-numeric-gradient",
        "def numeric_gradient(f, v, h):\n"
        "    v = np.asarray(v, dtype=float)\n"
        "    return np.array([(f(v + e) - f(v - e)) / h for e in h * np.eye(v.size)])",
        "divide by 2h, not h",
    ),
    Attempt(
        "q2 every coordinate moved",
        "q2-numeric-gradient",
        "def numeric_gradient(f, v, h):\n"
        "    v = np.asarray(v, dtype=float)\n"
        "    return np.array([(f(v + h) - f(v - h)) / (2 * h) for i in range(v.size)])",
        "v + h moves every coordinate at once",
    ),
    # q3: softmax
    Attempt(
        "q3 not normalised",
        "q3-softmax",
        "def grad_logsumexp(z):\n    return np.exp(np.asarray(z, dtype=float))",
        "exp(z) alone is not normalised",
    ),
    Attempt(
        "q3 overflows on large inputs",
        "q3-softmax",
        SOFTMAX_NAIVE,
        "nan comes from an undefined step",
    ),
    Attempt(
        "q3 shifted but not normalised",
        "q3-softmax",
        "def grad_logsumexp(z):\n    z = np.asarray(z, dtype=float)\n    return np.exp(z - np.max(z))",
        "exp(z - max z) still has to be divided by its sum",
    ),
    Attempt(
        "q3 right on a list, with the builtin max",
        "q3-softmax",
        "def grad_logsumexp(z):\n    w = np.exp(z - max(z))\n    return w / w.sum()",
    ),
    # q4: Jacobian
    Attempt(
        "q4 transposed",
        "q4-jacobian",
        "J_F = np.array([[4.0, 5.0], [1.0, np.cos(2.0)]])",
        "the matrix is transposed",
    ),
    Attempt("q4 right as nested lists", "q4-jacobian", "J_F = [[4, 1], [5, math.cos(2)]]"),
    Attempt(
        "q4 sin for its derivative",
        "q4-jacobian",
        "J_F = np.array([[4.0, 1.0], [5.0, np.sin(2.0)]])",
        "sin 2 is the value, not the slope",
    ),
    Attempt(
        "q4 y dropped from 2xy",
        "q4-jacobian",
        "J_F = np.array([[2.0, 1.0], [5.0, np.cos(2.0)]])",
        "y is held constant, not dropped",
    ),
    # q5: Hessian and classification
    Attempt(
        "q5 mixed partial missing",
        "q5-classify",
        'H_11 = np.diag([6.0, 6.0])\nkind_11 = "minimum"\nkind_00 = "saddle"',
        "the mixed partial q_xy is missing",
    ),
    Attempt(
        "q5 inconclusive at the origin",
        "q5-classify",
        'H_11 = np.array([[6.0, -3.0], [-3.0, 6.0]])\nkind_11 = "minimum"\n'
        'kind_00 = "inconclusive"',
        "zeros on the diagonal are not enough, the mixed partial counts too",
    ),
    Attempt(
        "q5 right with capitals",
        "q5-classify",
        'H_11 = [[6, -3], [-3, 6]]\nkind_11 = "Minimum"\nkind_00 = " saddle"',
    ),
    Attempt(
        "q5 Hessian at the origin",
        "q5-classify",
        'H_11 = np.array([[0.0, -3.0], [-3.0, 0.0]])\nkind_11 = "minimum"\nkind_00 = "saddle"',
        "that is the Hessian at (0, 0)",
    ),
    Attempt(
        "q5 sign of the mixed partial",
        "q5-classify",
        'H_11 = np.array([[6.0, 3.0], [3.0, 6.0]])\nkind_11 = "minimum"\nkind_00 = "saddle"',
        "the mixed partial of -3xy has the sign of its -3",
    ),
    Attempt(
        "q5 a minimum at the origin",
        "q5-classify",
        'H_11 = np.array([[6.0, -3.0], [-3.0, 6.0]])\nkind_11 = "minimum"\nkind_00 = "minimum"',
        "kind_00 is not right yet.",
    ),
    Attempt(
        "q3 numeric gradient copied is not exact",
        "q3-softmax",
        "def grad_logsumexp(z):\n    z = np.asarray(z, dtype=float)\n"
        "    return gradient(lambda v: np.max(v) + np.log(np.sum(np.exp(v - np.max(v)))), z)",
        "grad_logsumexp",
    ),
    Attempt(
        "q4 numeric Jacobian is not exact",
        "q4-jacobian",
        "J_F = jacobian(lambda v: np.array([v[0] ** 2 * v[1], 5 * v[0] + np.sin(v[1])]), [1.0, 2.0])",
        "J_F (exact, not a numeric Jacobian)",
    ),
    Attempt(
        "q4 rounded entries",
        "q4-jacobian",
        "J_F = np.array([[4.0, 1.0], [5.0, -0.4161468]])",
        "J_F (exact, not a numeric Jacobian)",
    ),
    Attempt(
        "q5 maximum at (1, 1)",
        "q5-classify",
        'H_11 = np.array([[6.0, -3.0], [-3.0, 6.0]])\nkind_11 = "maximum"\nkind_00 = "saddle"',
        "a maximum needs every eigenvalue of the Hessian there to be < 0",
    ),
    Attempt(
        "q5 right as a numeric Hessian (H_11 need not be exact)",
        "q5-classify",
        'H_11 = hessian(lambda v: v[0]**3 + v[1]**3 - 3*v[0]*v[1], [1.0, 1.0])\nkind_11 = "minimum"\n'
        'kind_00 = "saddle"',
    ),
    # q6: the gradient of the cross-entropy
    Attempt(
        "q6 y - p",
        "q6-cross-entropy-gradient",
        "def cross_entropy_grad(z, y):\n    return y - grad_logsumexp(z)",
        "the sign is reversed",
    ),
    Attempt(
        "q6 p alone",
        "q6-cross-entropy-gradient",
        "def cross_entropy_grad(z, y):\n    return grad_logsumexp(z)",
        "that is p alone",
    ),
    Attempt(
        "q6 z - y",
        "q6-cross-entropy-gradient",
        "def cross_entropy_grad(z, y):\n    return np.asarray(z) - y",
        "not from the logits z",
    ),
    Attempt(
        "q6 overflows on large logits",
        "q6-cross-entropy-gradient",
        "def cross_entropy_grad(z, y):\n    return np.exp(z) / np.sum(np.exp(z)) - y",
        "cross_entropy_grad for large logits (compute p without overflow)",
    ),
    Attempt(
        "q6 right only for one-hot targets",
        "q6-cross-entropy-gradient",
        "def cross_entropy_grad(z, y):\n    g = grad_logsumexp(z)\n    g[int(np.argmax(y))] -= 1\n    return g",
        "cross_entropy_grad",
    ),
    Attempt(
        "q6 broken softmax names challenge 3",
        "q6-cross-entropy-gradient",
        "def grad_logsumexp(z):\n    return np.exp(z)\n"
        "def cross_entropy_grad(z, y):\n    return grad_logsumexp(z) - y",
        "q3-softmax",
    ),
    Attempt(
        "q6 right written out",
        "q6-cross-entropy-gradient",
        "def cross_entropy_grad(z, y):\n    z = np.asarray(z, dtype=float)\n    e = np.exp(z - z.max())\n"
        "    return e / e.sum() - np.asarray(y)",
    ),
    Attempt(
        "q3 overflows on large entries",
        "q3-softmax",
        "def grad_logsumexp(z):\n    return np.exp(z) / np.sum(np.exp(z))",
        "grad_logsumexp for large entries (np.exp(1000.0) overflows: shift first)",
    ),
]
