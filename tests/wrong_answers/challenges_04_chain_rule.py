"""Wrong answers students give in 04-chain-rule, and right ones in forms the tests must accept."""

from challenge_runner import Attempt

ASSIGNMENT = "04-chain-rule"

PARTIALS = (
    "local_partials = {{'dc/da': {dc_da}, 'dc/db': a_val, 'dd/dc': 1.0, "
    "'dd/db': {dd_db}, 'dL/dd': 2 * d_val}}"
)
VALUES = "a_val, b_val = 3.0, -2.0\nc_val = a_val * b_val\nd_val = c_val + b_val**2\n"

ATTEMPTS = [
    # q1: d/dx exp(sin(3x))
    Attempt(
        "q1 inner 3 missing",
        "q1-chain-expression",
        'dg_dx = "cos(3*x)*exp(sin(3*x))"',
        "the inner derivative 3 of 3x is missing",
    ),
    Attempt(
        "q1 outer only",
        "q1-chain-expression",
        'dg_dx = "exp(sin(3*x))"',
        "only the outer derivative",
    ),
    Attempt(
        "q1 sign error",
        "q1-chain-expression",
        'dg_dx = "-3*cos(3*x)*exp(sin(3*x))"',
        "a sign error",
    ),
    Attempt(
        "q1 exponent differentiated inside exp",
        "q1-chain-expression",
        'dg_dx = "exp(3*cos(3*x))"',
        "the exponent was differentiated inside exp",
    ),
    Attempt(
        "q1 right, factors reordered",
        "q1-chain-expression",
        'dg_dx = "exp(sin(3*x)) * 3 * cos(3*x)"',
    ),
    Attempt(
        "q1 right as a callable",
        "q1-chain-expression",
        "import numpy as np\ndg_dx = lambda x: 3 * np.cos(3 * x) * np.exp(np.sin(3 * x))",
    ),
    # q2: local partials
    Attempt(
        "q2 derivative of b**2 taken as b",
        "q2-local-partials",
        VALUES + PARTIALS.format(dc_da="b_val", dd_db="b_val"),
        "the derivative of b² is 2b, not b",
    ),
    Attempt(
        "q2 dc/da with the wrong factor",
        "q2-local-partials",
        VALUES + PARTIALS.format(dc_da="a_val", dd_db="2 * b_val"),
        "not right yet",
    ),
    Attempt(
        "q2 derivative of d**2 taken as d",
        "q2-local-partials",
        VALUES + PARTIALS.format(dc_da="b_val", dd_db="2 * b_val").replace("2 * d_val", "d_val"),
        "the derivative of d² is 2d, not d",
    ),
    Attempt(
        "q2 keys spelled differently",
        "q2-local-partials",
        "local_partials = {'dc_da': -2.0, 'dc_db': 3.0, 'dd_dc': 1.0, 'dd_db': -4.0, 'dL_dd': -4.0}",
        "missing: ['dc/da'",
    ),
    Attempt(
        "q2 right with numpy numbers",
        "q2-local-partials",
        "import numpy as np\n"
        + VALUES
        + PARTIALS.format(dc_da="np.float64(b_val)", dd_db="np.float32(2 * b_val)"),
    ),
    # q3: backward pass
    Attempt(
        "q3 one path only",
        "q3-backward-pass",
        "grad_d = local_partials['dL/dd']\ngrad_c = grad_d\ngrad_a = grad_c * -2.0\n"
        "grad_b = grad_c * local_partials['dc/db']",
        "only the path b → c → d was followed",
    ),
    Attempt(
        "q3 dL/da as the local partial alone",
        "q3-backward-pass",
        "grad_a = -2.0\ngrad_b = 4.0",
        "that is only the local partial dc/da",
    ),
    Attempt("q3 right as plain numbers", "q3-backward-pass", "grad_a = 8.0\ngrad_b = 4.0"),
    # q4: one neuron
    Attempt(
        "q4 sigmoid slope missing",
        "q4-neuron-gradient",
        "import math\ndef neuron_grads(w, b, x, y):\n"
        "    y_hat = 1 / (1 + math.exp(-(w * x + b)))\n"
        "    return 2 * (y_hat - y) * x, 2 * (y_hat - y)",
        "the sigmoid's derivative σ(z)(1 − σ(z)) is missing",
    ),
    Attempt(
        "q4 pair in the wrong order",
        "q4-neuron-gradient",
        "import math\ndef neuron_grads(w, b, x, y):\n"
        "    y_hat = 1 / (1 + math.exp(-(w * x + b)))\n"
        "    dz = 2 * (y_hat - y) * y_hat * (1 - y_hat)\n"
        "    return dz, dz * x",
        "the pair is in the wrong order",
    ),
    Attempt(
        "q4 returns None",
        "q4-neuron-gradient",
        "def neuron_grads(w, b, x, y):\n    pass",
        "a missing `return`",
    ),
    Attempt(
        "q4 right with torch",
        "q4-neuron-gradient",
        "import torch\ndef neuron_grads(w, b, x, y):\n"
        "    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)\n"
        "    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)\n"
        "    ((torch.sigmoid(wt * x + bt) - y) ** 2).backward()\n"
        "    return wt.grad, bt.grad",
    ),
    # q5: two-layer network
    Attempt(
        "q5 tanh derivative missing",
        "q5-two-layer",
        "import numpy as np\ndef two_layer_grads(W1, b1, w2, b2, x, y):\n"
        "    h = np.tanh(W1 @ x + b1)\n"
        "    g = 2 * (w2 @ h + b2 - y)\n"
        "    gz = g * w2\n"
        "    return {'W1': np.outer(gz, x), 'b1': gz, 'w2': g * h, 'b2': g}",
        "the tanh derivative 1 − h² is missing",
    ),
    Attempt(
        "q5 dL/dw2 times w2",
        "q5-two-layer",
        "import numpy as np\ndef two_layer_grads(W1, b1, w2, b2, x, y):\n"
        "    h = np.tanh(W1 @ x + b1)\n"
        "    g = 2 * (w2 @ h + b2 - y)\n"
        "    gz = g * w2 * (1 - h**2)\n"
        "    return {'W1': np.outer(gz, x), 'b1': gz, 'w2': g * w2, 'b2': g}",
        "not times w2",
    ),
    # q6: the gradient through a deep chain
    Attempt(
        "q6 inner factor w missing",
        "q6-deep-chain",
        "def chain_gradient(weights, x0):\n"
        "    x, grad = x0, 1.0\n"
        "    for w in weights:\n"
        "        x = math.tanh(w * x)\n"
        "        grad *= 1 - x**2\n"
        "    return grad",
        "the inner factor w_k of tanh(w_k x_k) is missing",
    ),
    Attempt(
        "q6 tanh' at the layer's input",
        "q6-deep-chain",
        "def chain_gradient(weights, x0):\n"
        "    x, grad = x0, 1.0\n"
        "    for w in weights:\n"
        "        grad *= w * (1 - x**2)\n"
        "        x = math.tanh(w * x)\n"
        "    return grad",
        "tanh' taken at the layer's input",
    ),
    Attempt(
        "q6 a sum of the factors",
        "q6-deep-chain",
        "def chain_gradient(weights, x0):\n"
        "    x, total = x0, 0.0\n"
        "    for w in weights:\n"
        "        x = math.tanh(w * x)\n"
        "        total += w * (1 - x**2)\n"
        "    return total",
        "chain_gradient is not right yet",
    ),
    Attempt(
        "q6 right with numpy and a product at the end",
        "q6-deep-chain",
        "def chain_gradient(weights, x0):\n"
        "    xs = [x0]\n"
        "    for w in weights:\n"
        "        xs.append(np.tanh(w * xs[-1]))\n"
        "    factors = [w * (1 - x_next**2) for w, x_next in zip(weights, xs[1:])]\n"
        "    return float(np.prod(factors))",
    ),
]
