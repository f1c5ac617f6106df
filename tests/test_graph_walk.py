"""Listing, ordering and replaying a computational graph, on several engines (calclib.graph_walk)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import evaluate, expressions, input_values
from student_engine import StudentValue

from calclib.engine import Value, _topological_order
from calclib.graph_walk import (
    Graph,
    GraphNode,
    backward_order,
    gradients_after_steps,
    node_inputs,
    push_gradient,
    topological_order,
    trace_graph,
)


def composition(cls=Value):
    w, x, y = cls(-1.0, label="w"), cls(0.5, label="x"), cls(2.0, label="y")
    return (w * x + y * w).tanh() * y, (w, x, y)


@pytest.mark.parametrize("cls", [Value, StudentValue])
def test_topological_order_puts_inputs_first(cls) -> None:
    root, _ = composition(cls)
    order = topological_order(root)
    position = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is root
    for node in order:
        for child in node_inputs(node):
            assert position[id(child)] < position[id(node)]
    assert backward_order(root) == order[::-1]


def test_order_is_the_same_on_every_run() -> None:
    labels = []
    for _ in range(3):
        root, _ = composition(StudentValue)  # inputs kept in a set, as micrograd does
        labels.append([(n._op, n.data) for n in topological_order(root)])
    assert labels[0] == labels[1] == labels[2]


def test_deep_chain_needs_no_recursion() -> None:
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0
    assert len(topological_order(y)) == 5001  # 5000 products and x (a number is no node)


@pytest.mark.parametrize("cls", [Value, StudentValue])
def test_replay_ends_with_the_gradients_of_backward(cls) -> None:
    root, _ = composition(cls)
    n = len(topological_order(root))
    replayed = gradients_after_steps(root, n)
    if cls is Value:
        root.backward()
    else:
        root.grad = 1.0
        for node in backward_order(root):
            node._backward()
    assert replayed == pytest.approx([node.grad for node in topological_order(root)])


def test_replay_starts_from_the_seed_and_restores_stored_gradients() -> None:
    root, _ = composition()
    root.backward()
    stored = [node.grad for node in topological_order(root)]
    start = gradients_after_steps(root, 0)
    assert start[-1] == 1.0 and set(start[:-1]) == {0.0}
    assert [node.grad for node in topological_order(root)] == stored


def test_gradients_grow_one_step_at_a_time() -> None:
    a, b = Value(2.0), Value(3.0)
    y = a * b
    assert gradients_after_steps(y, 1) == [3.0, 2.0, 1.0]


def test_bad_step_is_refused_with_the_range() -> None:
    root, _ = composition()
    with pytest.raises(ValueError, match=r"k=99 .* 0 <= k <= 8"):
        gradients_after_steps(root, 99)


def test_push_gradient_uses_a_students_backward() -> None:
    a, b = StudentValue(2.0), StudentValue(5.0)
    y = a * b
    y.grad = 2.0
    push_gradient(y)
    assert (a.grad, b.grad) == (10.0, 4.0)


def test_objects_that_are_not_nodes_are_refused() -> None:
    class Bare:
        data, grad, _prev = 1.0, 0.0, ()

    with pytest.raises(TypeError, match="no local derivatives"):
        push_gradient(Bare())
    with pytest.raises(TypeError, match="'_prev' or '_children'"):
        node_inputs(3.0)


def neuron(cls=Value):
    w, x, b = cls(-0.5, label="w"), cls(2.0, label="x"), cls(1.0, label="b")
    out = (w * x + b).tanh()
    out.label = "out"
    return out


@pytest.mark.parametrize("cls", [Value, StudentValue])
def test_trace_graph_lists_nodes_and_edges_in_a_fixed_order(cls) -> None:
    out = neuron(cls)
    if cls is Value:
        out.backward()
    else:
        out.grad = 1.0
        for node in backward_order(out):
            node._backward()
    graph = trace_graph(out)
    assert [(n.index, n.label, n.op) for n in graph.nodes] == [
        (0, "w", ""),
        (1, "x", ""),
        (2, "", "*"),
        (3, "b", ""),
        (4, "", "+"),
        (5, "out", "tanh"),
    ]
    assert graph.edges == ((0, 2), (1, 2), (2, 4), (3, 4), (4, 5))
    assert graph.inputs_of(4) == [2, 3] and graph.inputs_of(0) == []
    assert [n.data for n in graph.nodes] == pytest.approx([-0.5, 2.0, -1.0, 1.0, 0.0, 0.0])
    assert [n.grad for n in graph.nodes] == pytest.approx([2.0, -0.5, 1.0, 1.0, 1.0, 1.0])
    assert trace_graph(out) == graph  # a snapshot: equal on every call


def test_a_value_used_twice_has_two_edges_and_one_node() -> None:
    x = Value(3.0)
    graph = trace_graph(x * x)
    assert graph == Graph(
        (GraphNode(0, "", "", 3.0, 0.0), GraphNode(1, "", "*", 9.0, 0.0)), ((0, 1), (0, 1))
    )


def test_trace_graph_reads_micrograd() -> None:
    engine = pytest.importorskip("micrograd.engine")
    a, b = engine.Value(2.0), engine.Value(-3.0)
    out = (a * b + a).relu()
    out.backward()
    graph = trace_graph(out)
    assert [n.op for n in graph.nodes][-2:] == ["+", "ReLU"]
    assert sorted(n.data for n in graph.nodes if not n.op) == [-3.0, 2.0]
    assert len(graph.edges) == 5 and all(n.label == "" for n in graph.nodes)
    replayed = gradients_after_steps(out, len(graph.nodes))
    assert replayed == [n.grad for n in graph.nodes]


@given(expressions(3), st.lists(input_values, min_size=3, max_size=3))
def test_the_listing_follows_the_order_of_value_backward(expr: tuple, xs: list[float]) -> None:
    root = evaluate(expr, [Value(x) for x in xs])
    walked = [id(n) for n in topological_order(root)]
    assert walked == [id(n) for n in _topological_order(root)]
