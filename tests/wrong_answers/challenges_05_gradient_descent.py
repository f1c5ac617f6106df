"""Wrong answers students give in 05-gradient-descent, and right ones in unusual forms."""

from challenge_runner import Attempt

ASSIGNMENT = "05-gradient-descent"

ATTEMPTS = [
    # q1: gradient descent itself
    Attempt(
        "q1 gradient ascent",
        "q1-gradient-descent",
        "def gradient_descent(grad, x0, lr, n_steps):\n"
        "    x, path = np.asarray(x0, dtype=float), [np.asarray(x0, dtype=float)]\n"
        "    for _ in range(n_steps):\n"
        "        x = x + lr * np.asarray(grad(x))\n"
        "        path.append(x)\n"
        "    return np.array(path)",
        "gradient *ascent*",
    ),
    Attempt(
        "q1 start point left out",
        "q1-gradient-descent",
        "def gradient_descent(grad, x0, lr, n_steps):\n"
        "    x, path = np.asarray(x0, dtype=float), []\n"
        "    for _ in range(n_steps):\n"
        "        x = x - lr * np.asarray(grad(x))\n"
        "        path.append(x)\n"
        "    return np.array(path)",
        "wrong shape",
    ),
    Attempt(
        "q1 in-place update of the stored array",
        "q1-gradient-descent",
        "def gradient_descent(grad, x0, lr, n_steps):\n"
        "    x = np.array(x0, dtype=float)\n"
        "    path = [x]\n"
        "    for _ in range(n_steps):\n"
        "        x -= lr * grad(x)\n"
        "        path.append(x)\n"
        "    return np.array(path)",
        "changed in place the one array the list holds",
    ),
    Attempt(
        "q1 right as a list of floats",
        "q1-gradient-descent",
        "def gradient_descent(grad, x0, lr, n_steps):\n"
        "    path = [x0]\n"
        "    for _ in range(n_steps):\n"
        "        path.append(path[-1] - lr * grad(np.asarray(path[-1], dtype=float)))\n"
        "    return [np.asarray(p, dtype=float) for p in path]",
    ),
    # q2: a learning rate for a badly scaled bowl
    Attempt(
        "q2 diverging rate",
        "q2-learning-rate",
        "lr_budget = 0.2",
        "at or above the bound 2/L = 0.1 it never shrinks",
    ),
    Attempt(
        "q2 just below the bound",
        "q2-learning-rate",
        "lr_budget = 0.099",
        "too slow in the steep direction y",
    ),
    Attempt(
        "q2 too timid", "q2-learning-rate", "lr_budget = 0.01", "too slow in the flat direction x"
    ),
    Attempt("q2 right as a numpy scalar", "q2-learning-rate", "lr_budget = np.float32(0.09)"),
    # q3: gradient of the mean squared error
    Attempt(
        "q3 sum instead of mean",
        "q3-mse-gradient",
        "def mse_gradient(m, b, x, y):\n"
        "    r = m * np.asarray(x) + b - np.asarray(y)\n"
        "    return 2 * np.sum(r * x), 2 * np.sum(r)",
        "a sum instead of a mean",
    ),
    Attempt(
        "q3 factor 2 missing",
        "q3-mse-gradient",
        "def mse_gradient(m, b, x, y):\n"
        "    r = m * np.asarray(x) + b - np.asarray(y)\n"
        "    return np.mean(r * x), np.mean(r)",
        "a factor of ½",
    ),
    Attempt(
        "q3 right with torch",
        "q3-mse-gradient",
        "def mse_gradient(m, b, x, y):\n"
        "    mt = torch.tensor(float(m), requires_grad=True)\n"
        "    bt = torch.tensor(float(b), requires_grad=True)\n"
        "    ((mt * torch.tensor(x) + bt - torch.tensor(y)) ** 2).mean().backward()\n"
        "    return torch.stack([mt.grad, bt.grad])",
    ),
    # q4: a cubic fit
    Attempt(
        "q4 np.polyfit order kept",
        "q4-cubic-fit",
        "cubic_coeffs = np.polyfit(x_cubic, y_cubic, 3)",
        "np.polyfit lists the highest power first",
    ),
    Attempt(
        "q4 the generating coefficients",
        "q4-cubic-fit",
        "cubic_coeffs = [0.5, -1.0, 0.25, 0.8]",
        "the coefficients the data were made from",
    ),
    Attempt(
        "q4 descent stopped early",
        "q4-cubic-fit",
        "X4 = np.vander(x_cubic, 4, increasing=True)\ncubic_coeffs = np.zeros(4)\n"
        "for _ in range(300):\n"
        "    cubic_coeffs = cubic_coeffs - 0.2 * X4.T @ (X4 @ cubic_coeffs - y_cubic) / 13",
        "the MSE of your fit is not right yet",
    ),
    Attempt(
        "q4 right as a tensor",
        "q4-cubic-fit",
        "cubic_coeffs = torch.tensor(np.polyfit(x_cubic, y_cubic, 3)[::-1].copy())",
    ),
    # q5: the stable learning-rate bound
    Attempt(
        "q5 smallest eigenvalue",
        "q5-stable-bound",
        "eta_max = 2 / 4",
        "2 over the smallest eigenvalue",
    ),
    Attempt(
        "q5 a diagonal entry", "q5-stable-bound", "eta_max = 2 / 6", "2 over a diagonal entry of A"
    ),
    Attempt(
        "q5 one over L", "q5-stable-bound", "eta_max = 1 / 8", "1/L is where the zig-zag starts"
    ),
    Attempt(
        "q5 right as a sympy number",
        "q5-stable-bound",
        "import sympy\neta_max = sympy.Rational(1, 4)",
    ),
    Attempt("q5 right as a fraction", "q5-stable-bound", "eta_max = 1 / 4"),
    # q4: a learning rate that makes the fit diverge is named as such
    Attempt(
        "q4 diverging learning rate",
        "q4-cubic-fit",
        "X4 = np.vander(x_cubic, 4, increasing=True)\ncubic_coeffs = np.zeros(4)\n"
        "with np.errstate(all='ignore'):\n"
        "    for _ in range(3000):\n"
        "        cubic_coeffs = cubic_coeffs - 1.0 * 2 * X4.T @ (X4 @ cubic_coeffs - y_cubic) / 13",
        "gradient descent diverged. The learning rate is too large",
    ),
    # q6: a Newton step
    Attempt(
        "q6 plus instead of minus",
        "q6-newton-step",
        "def newton_step(grad, hess, x):\n    return x + np.linalg.solve(hess(x), grad(x))",
        "the step went uphill",
    ),
    Attempt(
        "q6 Hessian times gradient",
        "q6-newton-step",
        "def newton_step(grad, hess, x):\n    return x - hess(x) @ grad(x)",
        "H times the gradient",
    ),
    Attempt(
        "q6 a gradient step",
        "q6-newton-step",
        "def newton_step(grad, hess, x):\n    return x - grad(x)",
        "a gradient step x - ∇f",
    ),
    Attempt(
        "q6 right with the inverse, as a list",
        "q6-newton-step",
        "def newton_step(grad, hess, x):\n"
        "    return list(np.asarray(x) - np.linalg.inv(hess(x)).dot(grad(x)))",
    ),
    Attempt(
        "q5 rounded decimal is not exact",
        "q5-stable-bound",
        "eta_max = 0.2500000001",
        "η_max, exactly",
    ),
]
