"""Synthetic students for 04-chain-rule: a classic misconception, and right answers in odd forms."""

ASSIGNMENT = "04-chain-rule"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # The chain rule applied to the outer links only: the inner derivative 3 of 3x is missing.
    "q1-chain-expression-answer": 'dg_dx = "cos(3*x)*exp(sin(3*x))"',
    # Only one of the two paths from b to d is followed.
    "q3-backward-pass-answer": (
        'grad_d = 1.0 * local_partials["dL/dd"]\n'
        'grad_c = grad_d * local_partials["dd/dc"]\n'
        'grad_a = grad_c * local_partials["dc/da"]\n'
        'grad_b = grad_c * local_partials["dc/db"]\n'
    ),
    # The sigmoid's slope left out of the chain.
    "q4-neuron-gradient-answer": (
        "def neuron_grads(w, b, x, y):\n"
        "    y_hat = 1 / (1 + math.exp(-(w * x + b)))\n"
        "    return 2 * (y_hat - y) * x, 2 * (y_hat - y)\n"
    ),
}
MISCONCEPTION_SCORE = 7.0  # 13 points in all; q1, q3 and q4 (2 points each) are lost
MISCONCEPTION_FEEDBACK = ["inner derivative", "add both paths", "is missing from the chain"]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # A sympy expression, factors in another order.
    "q1-chain-expression-answer": "dg_dx = sp.exp(sp.sin(3 * x)) * sp.cos(3 * x) * 3",
    # Plain numbers typed in, one as a torch tensor.
    "q3-backward-pass-answer": "grad_a = torch.tensor(8.0)\ngrad_b = 4",
    # A lambda returning a list.
    "q4-neuron-gradient-answer": (
        "neuron_grads = lambda w, b, x, y: (lambda s: [2 * (s - y) * s * (1 - s) * x,\n"
        "                                              2 * (s - y) * s * (1 - s)])(\n"
        "    1 / (1 + math.exp(-(w * x + b))))\n"
    ),
    # Lists instead of arrays, and a loop instead of np.outer.
    "q5-two-layer-answer": (
        "def two_layer_grads(W1, b1, w2, b2, x, y):\n"
        "    hidden = [math.tanh(sum(wij * xj for wij, xj in zip(row, x)) + bi) for row, bi in zip(W1, b1)]\n"
        "    y_hat = sum(wi * hi for wi, hi in zip(w2, hidden)) + b2\n"
        "    g = 2 * (y_hat - y)\n"
        "    gz = [g * wi * (1 - hi * hi) for wi, hi in zip(w2, hidden)]\n"
        '    return {"W1": [[gzi * xj for xj in x] for gzi in gz], "b1": gz,\n'
        '            "w2": [g * hi for hi in hidden], "b2": g}\n'
    ),
    # functools.reduce over the layers, carrying (x, gradient) together.
    "q6-deep-chain-answer": (
        "import functools\n"
        "\n"
        "\n"
        "def chain_gradient(weights, x0):\n"
        "    def layer(state, w):\n"
        "        x, grad = state\n"
        "        x_next = math.tanh(w * x)\n"
        "        return x_next, grad * w * (1 - x_next * x_next)\n"
        "\n"
        "    return functools.reduce(layer, weights, (x0, 1.0))[1]\n"
    ),
}
