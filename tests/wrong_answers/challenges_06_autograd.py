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

MLP_TEMPLATE = """class Neuron:
    def __init__(self, n_inputs, nonlin=True):
        self.w = [Micro(random.uniform(-1, 1)) for _ in range(n_inputs)]
        self.b = Micro(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        return z.tanh() if self.nonlin else z

    def parameters(self):
        return {neuron_params}


class Layer:
    def __init__(self, n_inputs, n_outputs, nonlin=True):
        self.neurons = [Neuron(n_inputs, nonlin) for _ in range(n_outputs)]

    def __call__(self, x):
        outs = [neuron(x) for neuron in self.neurons]
        return outs if len(outs) > 1 else outs[0]

    def parameters(self):
        return sum((neuron.parameters() for neuron in self.neurons), [])


class MLP:
    def __init__(self, n_inputs, layer_sizes):
        sizes, last = [n_inputs] + list(layer_sizes), len(layer_sizes) - 1
        self.layers = [Layer(sizes[k], sizes[k + 1], nonlin={last_nonlin}) for k in range(last + 1)]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return sum((layer.parameters() for layer in self.layers), [])
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
        "q3 gradient by hand, no tensors",
        "q3-torch-gradient",
        "torch_grad = [-0.68, -0.14, -1.84]  # by hand: 2x / (1 + |x|²) + (x1 x2, x0 x2, x0 x1)",
        "x_q3",
    ),
    Attempt(
        "q3 right in float32",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float32, requires_grad=True)\n"
        "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\nf_q3.backward()\n"
        "torch_grad = x_q3.grad",
    ),
    Attempt(
        "q3 forgot backward",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
        "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\ntorch_grad = x_q3.grad",
        "x.grad is None",
    ),
    Attempt(
        "q3 finite differences dressed as tensors",
        "q3-torch-gradient",
        "from calclib.multivariable import gradient\n"
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
        "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\n"
        "torch_grad = torch.tensor(gradient(\n"
        "    lambda p: np.log(1 + np.sum(np.asarray(p) ** 2)) + p[0] * p[1] * p[2], [1.0, -2.0, 0.5]\n"
        "))",
        "x.grad is None",
    ),
    Attempt(
        "q3 f built from a copy of x",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
        "copy = torch.tensor(x_q3.tolist(), requires_grad=True)\n"
        "f_q3 = torch.log(1 + (copy**2).sum()) + copy.prod()\nf_q3.backward()\n"
        "torch_grad = copy.grad",
        "did not come from autograd: f was not computed from x",
    ),
    Attempt(
        "q3 norm not squared",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
        "f_q3 = torch.log(1 + torch.linalg.norm(x_q3)) + x_q3.prod()\nf_q3.backward()\n"
        "torch_grad = x_q3.grad",
        "f_q3, the value of f",
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
    # q5: the topological sort
    Attempt(
        "q5 unanswered",
        "q5-topological-sort",
        "def topo_sort(root):\n    # YOUR CODE HERE\n    pass",
        "Not answered yet: `topo_sort` still has the placeholder",
    ),
    Attempt(
        "q5 the list built but never returned",
        "q5-topological-sort",
        "def topo_sort(root):\n"
        "    order, seen, stack = [], set(), [(root, False)]\n"
        "    while stack:\n"
        "        node, done = stack.pop()\n"
        "        if done:\n"
        "            order.append(node)\n"
        "        elif id(node) not in seen:\n"
        "            seen.add(id(node))\n"
        "            stack.append((node, True))\n"
        "            stack.extend((c, False) for c in node._prev if id(c) not in seen)",
        "without `return order`",
    ),
    Attempt(
        "q5 recursive depth-first search",
        "q5-topological-sort",
        "def topo_sort(root):\n"
        "    order, seen = [], set()\n"
        "    def visit(node):\n"
        "        if id(node) in seen:\n"
        "            return\n"
        "        seen.add(id(node))\n"
        "        for child in node._prev:\n"
        "            visit(child)\n"
        "        order.append(node)\n"
        "    visit(root)\n"
        "    return order",
        "recursion",
    ),
    Attempt(
        "q5 no memory of visited nodes",
        "q5-topological-sort",
        "def topo_sort(root):\n"
        "    order, stack = [], [(root, False)]\n"
        "    while stack:\n"
        "        node, done = stack.pop()\n"
        "        if done:\n"
        "            order.append(node)\n"
        "        else:\n"
        "            stack.append((node, True))\n"
        "            stack.extend((child, False) for child in node._prev)\n"
        "    return order",
        "a node appears twice",
    ),
    Attempt(
        "q5 root first (the backward order, not the topological one)",
        "q5-topological-sort",
        "def topo_sort(root):\n"
        "    order, seen, stack = [], set(), [(root, False)]\n"
        "    while stack:\n"
        "        node, done = stack.pop()\n"
        "        if done:\n"
        "            order.append(node)\n"
        "        elif id(node) not in seen:\n"
        "            seen.add(id(node))\n"
        "            stack.append((node, True))\n"
        "            stack.extend((c, False) for c in node._prev if id(c) not in seen)\n"
        "    return order[::-1]",
        "comes before one of its inputs",
    ),
    Attempt(
        "q5 right: Kahn's algorithm",
        "q5-topological-sort",
        "def topo_sort(root):\n"
        "    nodes, stack, users = {id(root): root}, [root], {}\n"
        "    while stack:\n"
        "        node = stack.pop()\n"
        "        for child in node._prev:\n"
        "            users.setdefault(id(child), []).append(node)\n"
        "            if id(child) not in nodes:\n"
        "                nodes[id(child)] = child\n"
        "                stack.append(child)\n"
        "    waiting = {key: len({id(c) for c in n._prev}) for key, n in nodes.items()}\n"
        "    ready = [n for key, n in nodes.items() if waiting[key] == 0]\n"
        "    order = []\n"
        "    while ready:\n"
        "        node = ready.pop()\n"
        "        order.append(node)\n"
        "        for user in {id(u): u for u in users.get(id(node), [])}.values():\n"
        "            waiting[id(user)] -= 1\n"
        "            if waiting[id(user)] == 0:\n"
        "                ready.append(user)\n"
        "    return order",
    ),
    # q6: the MLP on Micro
    Attempt(
        "q6 tanh on the output layer",
        "q6-mlp",
        MLP_TEMPLATE.format(last_nonlin="True", neuron_params="self.w + [self.b]"),
        "tanh on the last layer too",
    ),
    Attempt(
        "q6 biases missing from parameters()",
        "q6-mlp",
        MLP_TEMPLATE.format(last_nonlin="k < last", neuron_params="list(self.w)"),
        "the biases are missing from parameters()",
    ),
    Attempt(
        "q6 right, written another way",
        "q6-mlp",
        MLP_TEMPLATE.format(last_nonlin="k < last", neuron_params="[*self.w, self.b]"),
    ),
]
