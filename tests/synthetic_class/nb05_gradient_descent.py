"""Synthetic students for 05-gradient-descent: a classic misconception, and right answers in odd forms."""

ASSIGNMENT = "05-gradient-descent"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # Gradient *ascent*: the step adds the gradient.
    "q1-gradient-descent-answer": (
        "def gradient_descent(grad, x0, lr, n_steps):\n"
        "    x = np.asarray(x0, dtype=float)\n"
        "    path = [x]\n"
        "    for _ in range(n_steps):\n"
        "        x = x + lr * grad(x)\n"
        "        path.append(x)\n"
        "    return np.array(path)\n"
    ),
    # "As large as possible below the bound 2/L": too slow in the steep direction.
    "q2-learning-rate-answer": "lr_budget = 0.099",
    # The sum instead of the mean.
    "q3-mse-gradient-answer": (
        "def mse_gradient(m, b, x, y):\n"
        "    r = m * x + b - y\n"
        "    return 2 * np.sum(r * x), 2 * np.sum(r)\n"
    ),
}
MISCONCEPTION_SCORE = 6.0  # 12 points in all; q1, q2 and q3 (2 points each) are lost
MISCONCEPTION_FEEDBACK = ["gradient *ascent*", "the steep direction", "divide by N"]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # A list of iterates built with a while loop, on plain floats when x0 is a float.
    "q1-gradient-descent-answer": (
        "def gradient_descent(grad, x0, lr, n_steps):\n"
        "    xs = [x0]\n"
        "    while len(xs) <= n_steps:\n"
        "        xs.append(xs[-1] - lr * grad(xs[-1]))\n"
        "    return np.array(xs, dtype=float)\n"
    ),
    # A numpy scalar.
    "q2-learning-rate-answer": "lr_budget = np.float64(0.09)",
    # A list from numpy's polynomial fit, highest power reversed to c0..c3.
    "q4-cubic-fit-answer": "cubic_coeffs = list(np.polyfit(x_cubic, y_cubic, 3)[::-1])",
    # An exact fraction.
    "q5-stable-bound-answer": "eta_max = 1 / 4",
    # The inverse Hessian formed explicitly, the result as a list.
    "q6-newton-step-answer": (
        "def newton_step(grad, hess, x):\n"
        "    return list(np.asarray(x) - np.linalg.inv(hess(x)) @ grad(x))\n"
    ),
}
