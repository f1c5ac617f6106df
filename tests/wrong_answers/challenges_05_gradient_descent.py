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
        "learning rate that is too large",
    ),
    Attempt("q2 too timid", "q2-learning-rate", "lr_budget = 0.01", "not right yet"),
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
    # q5: the stable learning-rate bound
    Attempt("q5 smallest eigenvalue", "q5-stable-bound", "eta_max = 2 / 4", "too large"),
    Attempt("q5 right as a fraction", "q5-stable-bound", "eta_max = 1 / 4"),
]
