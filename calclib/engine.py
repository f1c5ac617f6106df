"""Reverse-mode automatic differentiation on scalars: the ``Value`` engine.

Each operation ``out = a ∘ b`` (or ``out = f(a)``) computes its output and, right beside
it, the local derivatives ∂out/∂a and ∂out/∂b, stored on ``out`` with its inputs.
``backward()`` then applies the chain rule once per edge,

    ∂L/∂a += ∂out/∂a · ∂L/∂out,

sweeping the graph from the output back to the inputs in reverse topological order.
The API follows micrograd (``Value(data)``, ``.data``, ``.grad``, ``.backward()``,
``+ - * / **``, ``relu``) and adds ``tanh``, ``exp``, ``log`` and ``sigmoid``.

Introduced in 04-chain-rule; 06-autograd has students build one like it.
"""

from __future__ import annotations

import math
from numbers import Real


class Value:
    """A scalar that records how it was computed, so gradients can flow back to it.

    Parameters
    ----------
    data : float
        The number held (ints and numpy floats are converted to ``float``).
    label : str, optional
        A name shown when the graph is drawn, e.g. ``"x"``.

    Notes
    -----
    Calling ``backward()`` twice behaves as in PyTorch: *leaves* (Values you created,
    such as parameters) accumulate, so their gradients double; Values computed by
    operations get the gradient of the latest call. Reset leaves with ``x.grad = 0.0``
    (``MLP.zero_grad()``) before each training step.

    Examples
    --------
    >>> x = Value(3.0, label="x")
    >>> y = x * x + 2 * x
    >>> y.backward()
    >>> y.data, x.grad
    (15.0, 8.0)

    Introduced in 04-chain-rule.
    """

    # out = a ∘ b keeps its inputs a, b (None if absent) and the local derivatives
    # _da = ∂out/∂a, _db = ∂out/∂b. Plain slots, no closures: no reference cycles.
    # A plain number in an operation (x * 2.0) is no node of its own, as in PyTorch: it is
    # kept in _const, for drawing, and only its effect on ∂out/∂a is stored.
    __slots__ = ("_a", "_b", "_const", "_da", "_db", "_opname", "data", "grad", "label")

    def __init__(
        self,
        data: float,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        *,
        label: str = "",
    ) -> None:
        self.data = _as_float(data)
        self.grad = 0.0
        self.label = label
        self._opname = _op
        self._const: float | None = None
        self._a, self._b = _inputs_of(_children)
        self._da = self._db = 0.0

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{name})"

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The inputs of the operation that made this Value (micrograd's name)."""
        return tuple(v for v in (self._a, self._b) if v is not None)

    @property
    def _op(self) -> str:
        """The operation that made this Value, with its number if one took part: ``"*2"``."""
        if self._const is None:
            return self._opname
        c = self._const
        return self._opname.replace("{}", repr(int(c)) if c.is_integer() else repr(c))

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂input for each input in ``_prev``, in the same order (what backward uses).

        >>> a, b = Value(2.0), Value(3.0)
        >>> (a * b).local_grads
        (3.0, 2.0)
        """
        pairs = ((self._a, self._da), (self._b, self._db))
        return tuple(d for v, d in pairs if v is not None)

    # Binary operations: output, then ∂out/∂a and ∂out/∂b. With a plain number c instead of
    # a Value, only ∂out/∂a is kept (c needs no gradient) and c is no node of its own. A float
    # is tested for first: it is the commonest number, and it needs no conversion.
    def __add__(self, other: Value | float) -> Value:
        if type(other) is not float:
            if isinstance(other, Value):
                return _node(self.data + other.data, "+", self, 1.0, other, 1.0)
            other = _as_float(other, "+")
        return _with_constant(self.data + other, "+{}", other, self, 1.0)

    def __sub__(self, other: Value | float) -> Value:
        if type(other) is not float:
            if isinstance(other, Value):
                return _node(self.data - other.data, "-", self, 1.0, other, -1.0)
            other = _as_float(other, "-")
        return _with_constant(self.data - other, "-{}", other, self, 1.0)

    def __mul__(self, other: Value | float) -> Value:
        if type(other) is not float:
            if isinstance(other, Value):
                return _node(self.data * other.data, "*", self, other.data, other, self.data)
            other = _as_float(other, "*")
        return _with_constant(self.data * other, "*{}", other, self, other)

    def __truediv__(self, other: Value | float) -> Value:
        if type(other) is not float:
            if isinstance(other, Value):
                out = self.data / other.data  # ∂/∂a = 1/b, ∂/∂b = −a/b² = −out/b
                return _node(out, "/", self, 1.0 / other.data, other, -out / other.data)
            other = _as_float(other, "/")
        return _with_constant(self.data / other, "/{}", other, self, 1.0 / other)

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):  # ∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂(aᵇ)/∂b = aᵇ·ln a
            a, b = self.data, exponent.data
            if a <= 0:
                raise ValueError(f"a ** b with a Value exponent b needs a > 0, got a = {a!r}")
            out = a**b
            return _node(out, "**", self, b * a ** (b - 1.0), exponent, out * math.log(a))
        p = _as_float(exponent, "**")
        if self.data < 0 and not p.is_integer():
            raise ValueError(
                f"a negative number to a non-integer power is not real: {self.data!r} ** {p!r}"
            )
        # ∂(aᵖ)/∂a = p·aᵖ⁻¹ (0 when p = 0; +inf at a = 0 when 0 < p < 1, as in torch)
        if p == 0.0:
            local = 0.0
        elif self.data == 0.0 and p < 1.0:
            local = math.inf
        else:
            local = p * self.data ** (p - 1.0)
        return _with_constant(self.data**p, "**{}", p, self, local)

    def __neg__(self) -> Value:
        return _node(-self.data, "neg", self, -1.0)

    # Reflected operations, for `2 * x` and friends: c ∘ x with the number c on the left.
    def __radd__(self, other: float) -> Value:
        c = other if type(other) is float else _as_float(other, "+")
        return _with_constant(c + self.data, "{}+", c, self, 1.0)

    def __rsub__(self, other: float) -> Value:
        c = other if type(other) is float else _as_float(other, "-")
        return _with_constant(c - self.data, "{}-", c, self, -1.0)

    def __rmul__(self, other: float) -> Value:
        c = other if type(other) is float else _as_float(other, "*")
        return _with_constant(c * self.data, "{}*", c, self, c)

    def __rtruediv__(self, other: float) -> Value:
        c = other if type(other) is float else _as_float(other, "/")
        out = c / self.data  # ∂(c/x)/∂x = −c/x² = −out/x
        return _with_constant(out, "{}/", c, self, -out / self.data)

    def __rpow__(self, base: float) -> Value:
        c = base if type(base) is float else _as_float(base, "**")
        if c <= 0:
            raise ValueError(f"c ** x with a Value exponent x needs c > 0, got c = {c!r}")
        out = c**self.data  # ∂(cˣ)/∂x = cˣ·ln c
        return _with_constant(out, "{}**", c, self, out * math.log(c))

    # Functions of one Value: output, then its derivative.
    def exp(self) -> Value:
        """eˣ, with d(eˣ)/dx = eˣ."""
        out = math.exp(self.data)
        return _node(out, "exp", self, out)

    def log(self) -> Value:
        """ln x for x > 0, with d(ln x)/dx = 1/x."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data!r}")
        return _node(math.log(self.data), "log", self, 1.0 / self.data)

    def tanh(self) -> Value:
        """tanh x, with d(tanh x)/dx = 1 − tanh² x."""
        out = math.tanh(self.data)
        return _node(out, "tanh", self, 1.0 - out * out)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e⁻ˣ), with σ'(x) = σ(x)(1 − σ(x))."""
        out = _sigmoid(self.data)
        return _node(out, "sigmoid", self, out * (1.0 - out))

    def relu(self) -> Value:
        """max(0, x), with derivative 1 for x > 0 and 0 otherwise (0 at the kink, as torch)."""
        positive = self.data > 0
        return _node(self.data if positive else 0.0, "relu", self, 1.0 if positive else 0.0)

    def backward(self) -> None:
        """Compute ∂self/∂v for every Value ``v`` that ``self`` depends on, into ``v.grad``.

        Visits the graph in reverse topological order, so a node's gradient is complete
        before it is passed on: ``a.grad += ∂out/∂a · out.grad`` for each input ``a``.
        Leaves accumulate across calls; computed Values are reset first.
        """
        order = _topological_order(self)
        for node in order:
            if node._a is not None:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            a, b = node._a, node._b
            if a is not None:
                a.grad += node._da * node.grad
            if b is not None:
                b.grad += node._db * node.grad


def _node(
    data: float, op: str, a: Value, da: float, b: Value | None = None, db: float = 0.0
) -> Value:
    """The result ``out`` of operation ``op`` on inputs a (and b) with ∂out/∂a = da, ∂out/∂b = db."""
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._opname = op
    out._const = None
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    return out


def _with_constant(data: float, op: str, c: float, a: Value, da: float) -> Value:
    """The result of ``op`` on the Value a and the number c, with ∂out/∂a = da.

    ``op`` shows where c goes, e.g. ``"{}-"`` for c − a.
    """
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._opname = op
    out._const = c
    out._a = a
    out._da = da
    out._b = None
    out._db = 0.0
    return out


def _inputs_of(children: object) -> tuple[Value | None, Value | None]:
    """micrograd's ``_children`` argument as the (a, b) input slots (at most two Values)."""
    if isinstance(children, str):
        raise TypeError(
            f"the second argument of Value is micrograd's _children (a tuple of Values), got "
            f"the string {children!r}; to name a Value write Value(data, label={children!r})"
        )
    inputs: tuple[object, ...] = tuple(children)  # type: ignore[arg-type]
    if len(inputs) > 2 or not all(isinstance(v, Value) for v in inputs):
        raise TypeError(
            f"_children must hold at most two Values (the inputs of one operation), got {inputs!r}"
        )
    a, b, *_ = (*inputs, None, None)
    return a, b  # type: ignore[return-value]


_new_value = object.__new__  # builds a Value without the input checks of Value.__init__


def _as_float(number: object, op: str = "") -> float:
    if type(number) is float:
        return number
    if type(number) is int or isinstance(number, Real):  # int, float, bool and numpy's scalar types
        return float(number)
    kind = type(number).__name__
    if op:
        problem = f"unsupported operand for Value {op}: {kind} {number!r}"
    else:
        problem = f"Value() needs a real number, got {kind} {number!r}"
    raise TypeError(
        f"{problem}; a Value holds one int or float (for arrays use calclib.Dual "
        "or a list of Values)"
    )


def _sigmoid(x: float) -> float:
    """σ(x) without overflow: e⁻ˣ is only formed for x ≥ 0."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _topological_order(root: Value) -> list[Value]:
    """Every Value that ``root`` depends on, inputs before the Values computed from them.

    The hot path of ``backward()``: it reads the input slots directly. Depth-first search
    with an explicit stack (no recursion limit: a graph 100,000 operations deep works);
    input a is explored before b, so the order is the same on every run and equals
    :func:`calclib.graph_walk.topological_order`, which lists and draws any engine's graph.

    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> [v.label or v._op for v in _topological_order(a * b + a)]
    ['a', 'b', '*', '+']
    """
    order: list[Value] = []
    visited = {root}
    path = [root]  # the chain of Values from root down to the one being explored
    # A visited Value is either in `order` already or on `path` (being explored); an input
    # is never on `path`, since the graph has no cycles, so "not visited" means "explore".
    while path:
        node = path[-1]
        a, b = node._a, node._b
        if a is not None and a not in visited:  # explore input a first
            visited.add(a)
            path.append(a)
        elif b is not None and b not in visited:
            visited.add(b)
            path.append(b)
        else:  # every input is already in `order`, so the node can follow them
            order.append(path.pop())
    return order
