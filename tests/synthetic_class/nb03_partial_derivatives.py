"""Synthetic students for 03-partial-derivatives: classic misconceptions, right answers in odd forms."""

ASSIGNMENT = "03-partial-derivatives"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # "Partial" read as "differentiate every term": the other variables not held constant.
    "q1-partials-abc-answer": 'df_db = "-1"\ndf_dc = "2*a - b + 2*c"',
    # The Jacobian written with one column (not one row) per output.
    "q4-jacobian-answer": "J_F = np.array([[4.0, 5.0], [1.0, np.cos(2.0)]])",
}
MISCONCEPTION_SCORE = 8.0  # 11 points in all; q1 (1) and q4 (2) are lost
MISCONCEPTION_FEEDBACK = [
    "the other variables were not held constant",
    "the matrix is transposed",
]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # A plain number and a sympy expression instead of strings.
    "q1-partials-abc-answer": "df_db = -1\ndf_dc = c + c",
    # A list comprehension returning a list, with h times a row of the identity.
    "q2-numeric-gradient-answer": (
        "def numeric_gradient(f, v, h):\n"
        "    v = np.array(v, dtype=float)\n"
        "    return [(f(v + h * e) - f(v - h * e)) / (2 * h) for e in np.eye(len(v))]\n"
    ),
    # A lambda using numpy's logaddexp to normalise in log space.
    "q3-softmax-answer": "grad_logsumexp = lambda z: np.exp(z - np.logaddexp.reduce(z))",
    # Nested lists, with math instead of numpy.
    "q4-jacobian-answer": "J_F = [[4, 1], [5, math.cos(2)]]",
    # Capitalised kinds and a Hessian from sympy.
    "q5-classify-answer": (
        "H_11 = np.array(sp.hessian(x**3 + y**3 - 3*x*y, (x, y)).subs({x: 1, y: 1}), dtype=float)\n"
        'kind_11 = "Minimum"\n'
        'kind_00 = "Saddle "\n'
    ),
    # p - y with softmax computed in log space, as a lambda.
    "q6-cross-entropy-gradient-answer": (
        "cross_entropy_grad = lambda z, y: np.exp(z - np.logaddexp.reduce(z)) - np.asarray(y)\n"
    ),
}
