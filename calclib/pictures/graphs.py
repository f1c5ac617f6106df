"""Draw the computational graph of a scalar autograd value and step through its backward pass.

Works for calclib's :class:`~calclib.engine.Value` and for any engine of the same shape (see
:mod:`calclib.graph_walk`). Each node is a box with its label, value and gradient; the operation
that made it is a circle on its left. Only matplotlib is used (no system graphviz), and the layout
is deterministic: columns by depth (inputs on the left, the output on the right), each input just
left of its first use, rows ordered to keep edges short.

Introduced in 04-chain-rule.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from calclib.graph_walk import Graph, gradients_after_steps, trace_graph
from calclib.pictures.figure_image import figure_png

__all__ = ["backward_stepper", "draw_graph", "layout_graph"]

BOX_W, BOX_H, COL_GAP, ROW_GAP, OP_DX = 1.5, 0.95, 2.2, 1.25, 1.1
MAX_WIDTH_IN, MAX_FONT_PT = 12.5, 11.0  # about 900 px at 72 dpi: no browser scaling
OP_SYMBOLS = {"*": "×", "-": "−", "neg": "−x", "sigmoid": "σ", "**2": "x²", "**-1": "1/x"}
DONE, NEXT, TODO = "#fdd49e", "#e34a33", "#f0f0f0"


def layout_graph(graph: Graph) -> list[tuple[float, float]]:
    """The ``(x, y)`` centre of each node of ``graph``, in the order of ``graph.nodes``.

    Columns by depth (an input sits just left of its first use); rows ordered by the mean row
    of each node's neighbours, so that edges stay short.

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0), Value(3.0)
    >>> [x for x, _ in layout_graph(trace_graph(a * b))]
    [0.0, 0.0, 2.2]

    Introduced in 04-chain-rule.
    """
    n_nodes, edges = len(graph.nodes), graph.edges
    column = [0] * n_nodes
    for child, parent in edges:  # edges are listed in topological order of the parent
        column[parent] = max(column[parent], column[child] + 1)
    inputs_of: list[list[int]] = [[] for _ in range(n_nodes)]
    users_of: list[list[int]] = [[] for _ in range(n_nodes)]
    for child, parent in edges:
        inputs_of[parent].append(child)
        users_of[child].append(parent)
    for i in range(n_nodes):  # an input sits just left of its first user: shorter edges
        if users_of[i] and not inputs_of[i]:
            column[i] = min(column[p] for p in users_of[i]) - 1
    columns: dict[int, list[int]] = {}
    for i, c in enumerate(column):
        columns.setdefault(c, []).append(i)
    y = [0.0] * n_nodes

    def place(rows: list[int], neighbours: list[list[int]] | None) -> None:
        if neighbours is not None:  # stable sort: highest mean neighbour first
            rows.sort(key=lambda i: -sum(y[j] for j in neighbours[i]) / max(len(neighbours[i]), 1))
        for row, i in enumerate(rows):
            y[i] = ((len(rows) - 1) / 2 - row) * ROW_GAP

    for c in sorted(columns):
        place(columns[c], None)
    for c in sorted(columns)[1:]:
        place(columns[c], inputs_of)
    for c in sorted(columns, reverse=True)[1:]:
        place(columns[c], users_of)
    return [(column[i] * COL_GAP, y[i]) for i in range(n_nodes)]


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def draw_graph(
    root: Any, step: int | None = None, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Draw ``root``'s graph: each node's label, value and gradient; operations in circles.

    With ``step=k`` the drawing shows the backward pass after ``k`` steps
    (:func:`~calclib.graph_walk.gradients_after_steps`): the first ``k`` nodes the backward pass
    visits are shaded, the next one is outlined in red. With ``step=None`` it shows the gradients
    stored on the graph.

    Parameters
    ----------
    root : Value-like
        The output node.
    step : int, optional
        Backward-pass step to show, ``0 <= step <= number of nodes``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the graph is made when omitted.
    title : str, optional
        Title above the drawing.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> fig = draw_graph(a * b, step=1)
    >>> len(fig.axes)
    1
    """
    graph = trace_graph(root)
    positions = layout_graph(graph)
    n_nodes = len(graph.nodes)
    if step is None:
        grads = [node.grad for node in graph.nodes]
        shade = [TODO] * n_nodes
    else:
        grads = gradients_after_steps(root, step)
        done = [n_nodes - 1 - i for i in range(n_nodes)]  # backward steps before node i acts
        shade = [DONE if d < step else NEXT if d == step else TODO for d in done]
    xs, ys = [x for x, _ in positions], [y for _, y in positions]
    span_x, span_y = max(xs) - min(xs) + BOX_W + 0.4, max(ys) - min(ys) + 2 * BOX_H
    if ax is None:
        inch = min(1.0, MAX_WIDTH_IN / span_x)  # inches per unit; wide graphs get smaller
        fig, ax = plt.subplots(figsize=(span_x * inch, span_y * inch + (0.4 if title else 0.1)))
        fig.subplots_adjust(
            left=0.0, right=1.0, bottom=0.0, top=1 - (0.4 if title else 0.1) / fig.get_figheight()
        )
    axes_width_in = ax.get_position().width * ax.figure.get_figwidth()  # type: ignore[union-attr]
    inch = axes_width_in / span_x
    lines_of = [
        [
            (node.label, 0.27, "bold"),
            (f"data {_fmt(node.data)}", 0.0, "normal"),
            (f"grad {_fmt(grad)}", -0.27, "normal"),
        ]
        for node, grad in zip(graph.nodes, grads)
    ]
    longest = max(len(text) for lines in lines_of for text, _, _ in lines)
    box_pt = BOX_W * inch * 72  # a digit is about 0.65 of the font size wide
    fontsize = min(MAX_FONT_PT, 0.85 * box_pt / (0.65 * max(longest, 8)))
    for child, parent in graph.edges:  # input box -> operation of the node that uses it
        (x0, y0), (x1, y1) = positions[child], positions[parent]
        ax.plot([x0 + BOX_W / 2, x1 - OP_DX], [y0, y1], color="0.5", lw=1.0, zorder=1)
    for node, (x, y), lines, color in zip(graph.nodes, positions, lines_of, shade):
        next_one = color == NEXT
        ax.add_patch(
            FancyBboxPatch(
                (x - BOX_W / 2, y - BOX_H / 2),
                BOX_W,
                BOX_H,
                boxstyle="round,pad=0.02",
                fc=TODO if next_one else color,
                ec=NEXT if next_one else "0.3",
                lw=2.2 if next_one else 1.0,
                zorder=2,
            )
        )
        for text, dy, weight in lines:
            ax.text(
                x,
                y + dy,
                text,
                ha="center",
                va="center",
                fontsize=fontsize,
                fontweight=weight,
                zorder=3,
            )
        if node.op:
            ax.annotate(
                "",
                xy=(x - BOX_W / 2, y),
                xytext=(x - OP_DX, y),
                zorder=1,
                arrowprops={"arrowstyle": "-|>", "color": "0.5", "shrinkA": 0, "shrinkB": 0},
            )
            ax.text(
                x - OP_DX,
                y,
                OP_SYMBOLS.get(node.op, node.op),
                ha="center",
                va="center",
                fontsize=0.9 * fontsize,
                zorder=3,
                bbox={"boxstyle": "circle,pad=0.25", "fc": "white", "ec": "0.3"},
            )
    ax.set_xlim(min(xs) - BOX_W / 2 - 0.2, max(xs) + BOX_W / 2 + 0.2)
    ax.set_ylim(min(ys) - BOX_H, max(ys) + BOX_H)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure  # type: ignore[return-value]


def _node_name(node: Any) -> str:
    return f"<b>{node.label}</b>" if node.label else f"the '{node.op}' node"


def _action(graph: Graph, grads: list[float], node: Any) -> str:
    """What ``node`` does when the backward pass reaches it, with the gradient it holds then."""
    grad, n_inputs = _fmt(grads[node.index]), len(graph.inputs_of(node.index))
    if not n_inputs:
        return f"{_node_name(node)} is an input: its gradient {grad} is final"
    return f"{_node_name(node)} pushes its gradient {grad} through '{node.op}' to its {n_inputs} input(s)"


def _describe(graph: Graph, grads: list[float], k: int) -> str:
    """The stepper's status line at slider value ``k``: ``k`` nodes have acted (as drawn).

    Step 0 is the seed alone (the output's gradient set to 1); step ``k`` is the picture after
    the ``k``-th node of the backward order has pushed its gradient, so the caption's number is
    always the slider's.
    """
    n_nodes = len(graph.nodes)
    head = f"Step {k} of {n_nodes}: "
    if k == 0:
        head += "the seed, the output's gradient set to 1. "
    else:  # the backward pass visits the nodes in reverse order
        acted = graph.nodes[n_nodes - k]
        head += f"{_node_name(acted)} has acted. "
    if k == n_nodes:
        leaves = [n for n in graph.nodes if n.label and not graph.inputs_of(n.index)]
        done = ", ".join(f"{n.label}: {_fmt(grads[n.index])}" for n in leaves[::-1])
        return head + f"<b>Done.</b> Gradients of the inputs: {done}"
    return head + "Next (red): " + _action(graph, grads, graph.nodes[n_nodes - 1 - k]) + "."


def backward_stepper(root: Any) -> Any:
    """A widget that replays the backward pass of ``root``'s graph one node at a time.

    One slider chooses the step; the status line says which node acts next and the picture is
    :func:`draw_graph` with that ``step`` (its static counterpart).

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> from calclib.engine import Value
    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> stepper = backward_stepper(a * b)
    >>> slider = stepper.children[0].children[0]
    >>> slider.max
    3

    Introduced in 04-chain-rule.
    """
    import ipywidgets as widgets

    graph = trace_graph(root)
    slider = widgets.IntSlider(
        value=0, min=0, max=len(graph.nodes), description="step", continuous_update=False
    )
    status = widgets.HTML()
    image = widgets.Image(format="png")

    def show(_: object = None) -> None:
        k = slider.value
        status.value = _describe(graph, gradients_after_steps(root, k), k)
        image.value = figure_png(draw_graph(root, step=k))

    slider.observe(show, names="value")
    show()
    return widgets.VBox([widgets.HBox([slider, status]), image])
