"""Synthetic students for 07-integrals-and-expectation: classic misconceptions, odd right forms."""

ASSIGNMENT = "07-integrals-and-expectation"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # The right ends of the slices instead of the left ones.
    "q1-left-sum-answer": "left_sum_4 = (0.25**2 + 0.5**2 + 0.75**2 + 1**2) * 0.25",
    # The expectation without the density: the plain integral of x**3 over [0, 3].
    "q5-expectation-answer": "expected_cube = 3**4 / 4",
    # The gradient of the summed, not the mean, batch loss.
    "q7-minibatch-gradient-answer": (
        "def minibatch_gradient(w, x_batch, y_batch):\n"
        "    return np.sum(2 * (w * x_batch - y_batch) * x_batch)\n"
    ),
}
MISCONCEPTION_SCORE = 7.0  # 11 points in all; q1 (1), q5 (1) and q7 (2) are lost
MISCONCEPTION_FEEDBACK = [
    "that is the right sum",
    "the density p(x) = 1/3 is missing",
    "that is the sum over the batch",
]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # An exact fraction from the standard library.
    "q1-left-sum-answer": "from fractions import Fraction\nleft_sum_4 = Fraction(7, 32)",
    # sympy does the integral.
    "q2-exact-area-answer": "area_q2 = sp.integrate(x**2 - 2*x + 3, (x, 1, 3))",
    # A for loop that stops at the first n that is good enough.
    "q4-simpson-n-answer": (
        "for simpson_n in range(2, 1000, 2):\n"
        "    if abs(simpson(np.exp, 0.0, 1.0, simpson_n) - (math.e - 1)) < 1e-10:\n"
        "        break\n"
    ),
    # A numpy integer.
    "q6-samples-needed-answer": "samples_needed = np.int64(400) * 100",
    # A plain loop over the batch.
    "q7-minibatch-gradient-answer": (
        "def minibatch_gradient(w, x_batch, y_batch):\n"
        "    total = 0.0\n"
        "    for xj, yj in zip(x_batch, y_batch):\n"
        "        total += 2 * (w * xj - yj) * xj\n"
        "    return total / len(x_batch)\n"
    ),
    # The estimator rearranged: 2 mu + 2 mean(eps).
    "q8-reparam-gradient-answer": (
        "def reparam_gradient(mu, eps):\n    return 2 * mu + 2 * float(np.mean(eps))\n"
    ),
}
