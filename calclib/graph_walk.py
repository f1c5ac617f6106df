"""Walk the computational graph of a scalar autograd value: list it, order it, replay backward.

Works for calclib's :class:`~calclib.engine.Value` and for any engine of the same shape
(micrograd's, or one a student writes): a node has ``data`` and ``grad``, its inputs in
``_prev`` (or ``_children``), the name of its operation in ``_op``, optionally a ``label``, and
``_backward()`` pushes the node's ``grad`` to its inputs with the chain rule

.. math:: \\bar{x}_i \\mathrel{+}= \\bar{y}\\,\\frac{\\partial y}{\\partial x_i}.

:func:`trace_graph` is the one listing of a graph's nodes and edges; the drawing in
:mod:`calclib.pictures.graphs` is made from it.

Introduced in 04-chain-rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "Graph",
    "GraphNode",
    "backward_order",
    "gradients_after_steps",
    "node_inputs",
    "node_label",
    "push_gradient",
    "topological_order",
    "trace_graph",
]


def node_inputs(node: Any) -> list[Any]:
    """Return a node's inputs in a reproducible order (micrograd keeps them in a set).

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> node_inputs(a * b) == [a, b], node_inputs(a)
    (True, [])
    """
    for name in ("_prev", "_children"):
        if hasattr(node, name):
            inputs = getattr(node, name)
            if isinstance(inputs, (set, frozenset)):
                return sorted(
                    inputs, key=lambda n: (node_label(n), str(getattr(n, "_op", "")), n.data)
                )
            return list(inputs)
    raise TypeError(
        f"{type(node).__name__} has no '_prev' or '_children' attribute: graph helpers need "
        "nodes shaped like micrograd's Value (data, grad, _prev, _op)."
    )


def node_label(node: Any) -> str:
    """A node's ``label``, or ``""`` when it has none (micrograd's nodes have none)."""
    return str(getattr(node, "label", "") or "")


def topological_order(root: Any) -> list[Any]:
    """List the nodes of ``root``'s graph so that every node comes after all its inputs.

    Iterative depth-first search (no recursion limit); inputs are visited in their stored order,
    so the result is the same on every run, and for calclib's ``Value`` it is the order
    ``Value.backward()`` uses.

    Parameters
    ----------
    root : Value-like
        The output node.

    Returns
    -------
    list
        Nodes from the inputs to ``root`` (``root`` last).

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> [n.data for n in topological_order(a * b + a)]
    [2.0, 3.0, 6.0, 8.0]
    """
    order: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend(
            (child, False) for child in reversed(node_inputs(node)) if id(child) not in seen
        )
    return order


def backward_order(root: Any) -> list[Any]:
    """Return the order in which the backward pass visits the nodes: ``root`` first.

    It is the reverse of :func:`topological_order`, so a node is visited only after every node
    that uses it has pushed its gradient into it.

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> [n.data for n in backward_order(a * b + a)]
    [8.0, 6.0, 3.0, 2.0]
    """
    return topological_order(root)[::-1]


@dataclass(frozen=True)
class GraphNode:
    """One node of a traced graph: its index in the listing, label, operation, value, gradient."""

    index: int
    label: str
    op: str
    data: float
    grad: float


@dataclass(frozen=True)
class Graph:
    """Nodes in topological order and edges ``(input index, output index)``, one per use."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[tuple[int, int], ...]

    def inputs_of(self, index: int) -> list[int]:
        """Indices of the inputs of node ``index`` (an input used twice appears twice)."""
        return [child for child, parent in self.edges if parent == index]


def trace_graph(root: Any) -> Graph:
    """List the nodes and edges of the graph that computed ``root``.

    Nodes come in :func:`topological_order` (the root last), each with its label, operation,
    ``data`` and ``grad`` at the time of the call; edges run from an input to the node computed
    from it. A node used twice (``x * x``) has two edges.

    Examples
    --------
    >>> from calclib.engine import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.backward()
    >>> graph = trace_graph(y)
    >>> [(n.label, n.op, n.data, n.grad) for n in graph.nodes]
    [('x', '', 3.0, 6.0), ('', '*', 9.0, 1.0)]
    >>> graph.edges
    ((0, 1), (0, 1))

    Introduced in 04-chain-rule.
    """
    order = topological_order(root)
    index = {id(node): i for i, node in enumerate(order)}
    nodes = tuple(
        GraphNode(i, node_label(v), str(getattr(v, "_op", "") or ""), float(v.data), float(v.grad))
        for i, v in enumerate(order)
    )
    edges = tuple((index[id(child)], i) for i, v in enumerate(order) for child in node_inputs(v))
    return Graph(nodes, edges)


def _local_grads(node: Any) -> tuple[float, ...] | None:
    """∂node/∂input for each of the node's inputs, in order, if the node stores them."""
    for name in ("local_grads", "_local_grads"):
        if hasattr(node, name):
            return tuple(getattr(node, name))
    return None


def push_gradient(node: Any) -> None:
    """One step of the backward pass: add ``node.grad`` times each local derivative to its inputs.

    Uses the local derivatives stored beside the inputs (calclib's engine) or the node's own
    ``_backward()`` (micrograd's closures, or a student's engine).

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> y = a * b
    >>> y.grad = 1.0
    >>> push_gradient(y)
    >>> a.grad, b.grad
    (3.0, 2.0)
    """
    local = _local_grads(node)
    if local is not None:
        for child, local_grad in zip(node._prev, local):
            child.grad += local_grad * node.grad
    elif callable(getattr(node, "_backward", None)):
        node._backward()
    else:
        raise TypeError(
            f"{type(node).__name__} stores no local derivatives and has no '_backward' method, so "
            "its backward pass cannot be replayed: give each node a _backward() like micrograd's."
        )


def gradients_after_steps(root: Any, k: int) -> list[float]:
    """Replay the first ``k`` steps of the backward pass and return every node's gradient then.

    Step 0 seeds ``root.grad = 1``; step ``i`` applies :func:`push_gradient` to the ``i``-th
    node of :func:`backward_order`. The gradients stored on the graph are restored afterwards.

    Parameters
    ----------
    root : Value-like
        The output node.
    k : int
        Number of steps, ``0 <= k <= number of nodes``.

    Returns
    -------
    list of float
        Gradients in :func:`topological_order` (the order of :func:`trace_graph`'s nodes).

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> y = a * b
    >>> gradients_after_steps(y, 0), gradients_after_steps(y, 1)
    ([0.0, 0.0, 1.0], [3.0, 2.0, 1.0])
    """
    nodes = topological_order(root)
    if not 0 <= k <= len(nodes):
        raise ValueError(f"k={k} is not a step of this backward pass: use 0 <= k <= {len(nodes)}.")
    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = 0.0
        root.grad = 1.0
        for node in nodes[::-1][:k]:
            push_gradient(node)
        return [float(node.grad) for node in nodes]
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad
