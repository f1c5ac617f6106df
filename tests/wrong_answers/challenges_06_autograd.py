"""Wrong answers students give in 06-autograd, and right ones in unusual forms."""

from challenge_runner import Attempt

ASSIGNMENT = "06-autograd"


def micro_with(
    mul: str, tanh: str = "(1 - out.data**2) * out.grad", exp: str = "out.data * out.grad"
) -> str:
    """The Micro class of 06 with the given backward lines for *, tanh and exp."""
    return f"""class Micro:
    def __init__(self, data, _children=(), _op="", label=""):
        self.data, self.grad = float(data), 0.0
        self._prev, self._op, self.label = tuple(_children), _op, label
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Micro) else Micro(other)
        out = Micro(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Micro) else Micro(other)
        out = Micro(self.data * other.data, (self, other), "*")

        def _backward():
{mul}

        out._backward = _backward
        return out

    __rmul__ = __mul__

    def tanh(self):
        out = Micro(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += {tanh}

        out._backward = _backward
        return out

    def exp(self):
        out = Micro(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += {exp}

        out._backward = _backward
        return out

    def backward(self):
        self.grad = 1.0
        for node in reversed(topological_order(self)):
            node._backward()
"""


RIGHT_MUL = (
    "            self.grad += other.data * out.grad\n            other.grad += self.data * out.grad"
)
OWN_VALUE_MUL = (
    "            self.grad += self.data * out.grad\n            other.grad += other.data * out.grad"
)
ASSIGNING_MUL = (
    "            self.grad = other.data * out.grad\n            other.grad = self.data * out.grad"
)
NO_OUT_GRAD_MUL = "            self.grad += other.data\n            other.grad += self.data"
MYDUAL = """class MyDual:
    def __init__(self, val, dot=0.0):
        self.val, self.dot = float(val), float(dot)

    def __add__(self, other):
        other = other if isinstance(other, MyDual) else MyDual(other)
        return MyDual(self.val + other.val, self.dot + other.dot)

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, MyDual) else MyDual(other)
        return MyDual(self.val * other.val, self.val * other.dot + self.dot * other.val)

    __rmul__ = __mul__

    def sin(self):
        return MyDual(math.sin(self.val), math.cos(self.val) * self.dot)

    def exp(self):
        return MyDual(math.exp(self.val), {exp_dot})


def dual_derivative(f, x):
    return f(MyDual(x, 1.0)).dot
"""

ATTEMPTS = [
    Attempt(
        "q1 exp without the inner factor",
        "q1-dual-operations",
        MYDUAL.format(exp_dot="math.exp(self.val)"),
        "the inner factor self.dot is missing",
    ),
    Attempt(
        "q1 exp of the ε part",
        "q1-dual-operations",
        MYDUAL.format(exp_dot="math.exp(self.dot)"),
        "exp of the ε part",
    ),
    Attempt(
        "q2 out.grad left out of *",
        "q2-engine-backward",
        micro_with(NO_OUT_GRAD_MUL),
        "out.grad is missing",
    ),
    Attempt(
        "q2 = instead of +=",
        "q2-engine-backward",
        micro_with(ASSIGNING_MUL),
        "= instead of +=",
    ),
    Attempt(
        "q2 out.grad left out of exp",
        "q2-engine-backward",
        micro_with(RIGHT_MUL, exp="out.data"),
        "out.grad is missing",
    ),
    Attempt(
        "q2 each input its own value",
        "q2-engine-backward",
        micro_with(OWN_VALUE_MUL),
        "each input got its own value",
    ),
    Attempt(
        "q2 tanh' from the input",
        "q2-engine-backward",
        micro_with(RIGHT_MUL, tanh="(1 - self.data**2) * out.grad"),
        "1 − x² instead of 1 − tanh²(x)",
    ),
    Attempt("q2 right", "q2-engine-backward", micro_with(RIGHT_MUL)),
    Attempt(
        "q3 gradient as a list",
        "q3-torch-gradient",
        "torch_grad = [-0.68, -0.14, -1.84]  # by hand: 2x / (1 + |x|²) + (x1 x2, x0 x2, x0 x1)",
    ),
    Attempt(
        "q3 right in float32",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float32, requires_grad=True)\n"
        "(torch.log(1 + (x_q3**2).sum()) + x_q3.prod()).backward()\ntorch_grad = x_q3.grad",
    ),
    Attempt(
        "q3 forgot backward",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\ntorch_grad = x_q3.grad",
        "before .backward() runs",
    ),
    Attempt(
        "q4 forward difference",
        "q4-gradient-check",
        "def numeric_param_grads(loss_fn, params, h=1e-5):\n"
        "    base, out = loss_fn().data, []\n"
        "    for p in params:\n"
        "        old = p.data\n"
        "        p.data = old + h\n"
        "        out.append((loss_fn().data - base) / h)\n"
        "        p.data = old\n"
        "    return out",
        "a forward difference (error ∝ h) instead of a central one",
    ),
    Attempt(
        "q4 parameters not restored",
        "q4-gradient-check",
        "def numeric_param_grads(loss_fn, params, h=1e-5):\n"
        "    out = []\n"
        "    for p in params:\n"
        "        old = p.data\n"
        "        p.data = old + h\n"
        "        plus = loss_fn().data\n"
        "        p.data = old - h\n"
        "        out.append((plus - loss_fn().data) / (2 * h))\n"
        "    return out",
        "each p.data set back to old?",
    ),
    Attempt(
        "q4 += h then -= h",
        "q4-gradient-check",
        "def numeric_param_grads(loss_fn, params, h=1e-5):\n"
        "    out = []\n"
        "    for p in params:\n"
        "        p.data += h\n"
        "        plus = loss_fn().data\n"
        "        p.data -= h\n"
        "        out.append((plus - loss_fn().data) / (2 * h))\n"
        "    return out",
        "p.data -= h goes back to old",
    ),
]
