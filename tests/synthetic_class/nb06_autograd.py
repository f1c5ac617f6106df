"""Synthetic students for 06-autograd: a classic misconception, and right answers in odd forms."""

ASSIGNMENT = "06-autograd"

_MYDUAL_HEAD = (
    "class MyDual:\n"
    "    def __init__(self, val, dot=0.0):\n"
    "        self.val, self.dot = float(val), float(dot)\n"
    "\n"
    "    def __add__(self, other):\n"
    "        other = other if isinstance(other, MyDual) else MyDual(other)\n"
    "        return MyDual(self.val + other.val, self.dot + other.dot)\n"
    "\n"
    "    __radd__ = __add__\n"
    "\n"
)
_MYDUAL_TAIL = (
    "    __rmul__ = __mul__\n"
    "\n"
    "    def sin(self):\n"
    "        return MyDual(math.sin(self.val), math.cos(self.val) * self.dot)\n"
    "\n"
    "    def exp(self):\n"
    "        return MyDual(math.exp(self.val), math.exp(self.val) * self.dot)\n"
    "\n"
    "\n"
    "def dual_derivative(f, x):\n"
    "    return f(MyDual(x, 1.0)).dot\n"
)

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # The ε parts multiplied together: the product rule forgotten.
    "q1-dual-operations-answer": _MYDUAL_HEAD
    + (
        "    def __mul__(self, other):\n"
        "        other = other if isinstance(other, MyDual) else MyDual(other)\n"
        "        return MyDual(self.val * other.val, self.dot * other.dot)\n"
        "\n"
    )
    + _MYDUAL_TAIL,
    # A forward difference instead of a central one in the gradient check.
    "q4-gradient-check-answer": (
        "def numeric_param_grads(loss_fn, params, h=1e-5):\n"
        "    base = loss_fn().data\n"
        "    estimates = []\n"
        "    for p in params:\n"
        "        old = p.data\n"
        "        p.data = old + h\n"
        "        estimates.append((loss_fn().data - base) / h)\n"
        "        p.data = old\n"
        "    return estimates\n"
    ),
}
MISCONCEPTION_SCORE = 10.0  # 15 points in all; q1 (3) and q4 (2) are lost
MISCONCEPTION_FEEDBACK = ["the product rule is a·d + b·c", "a forward difference"]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # The product written through a helper, and operands in another order.
    "q1-dual-operations-answer": _MYDUAL_HEAD
    + (
        "    def __mul__(self, other):\n"
        "        other = other if isinstance(other, MyDual) else MyDual(other)\n"
        "        value, slope = other.val * self.val, other.dot * self.val + other.val * self.dot\n"
        "        return type(self)(value, slope)\n"
        "\n"
    )
    + _MYDUAL_TAIL,
    # The leaf made with requires_grad_(), f from torch's fused helpers, the gradient as numpy.
    "q3-torch-gradient-answer": (
        "x_q3 = torch.tensor([1.0, -2.0, 0.5]).requires_grad_()\n"
        "f_q3 = torch.log1p(x_q3 @ x_q3) + torch.prod(x_q3)\n"
        "f_q3.backward()\n"
        "torch_grad = x_q3.grad.numpy()\n"
    ),
    # A list comprehension with a nested helper; returns a numpy array.
    "q4-gradient-check-answer": (
        "def numeric_param_grads(loss_fn, params, h=1e-5):\n"
        "    def at(p, value):\n"
        "        old, p.data = p.data, value\n"
        "        try:\n"
        "            return loss_fn().data\n"
        "        finally:\n"
        "            p.data = old\n"
        "    return np.array([(at(p, p.data + h) - at(p, p.data - h)) / (2 * h) for p in params])\n"
    ),
}
