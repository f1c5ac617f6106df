"""Wrong answers students give in 06-autograd, and right ones in unusual forms."""

from challenge_runner import Attempt

ASSIGNMENT = "06-autograd"


def micro_with(mul: str, tanh: str = "(1 - out.data**2) * out.grad") -> str:
    """The Micro class of 06 with the given backward lines for * and tanh."""
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
            self.grad += out.data * out.grad

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

ATTEMPTS = [
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
        "the parameters after your function (restored?)",
    ),
]
