"""The computational-graph drawing and the backward-pass stepper render headless (Agg)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyBboxPatch
from student_engine import StudentValue

from calclib.engine import Value
from calclib.graph_walk import topological_order, trace_graph
from calclib.pictures.graphs import backward_stepper, draw_graph, layout_graph


def neuron(cls=Value):
    w, x, b = cls(-3.0, label="w"), cls(2.0, label="x"), cls(1.0, label="b")
    out = (w * x + b).tanh()
    out.label = "n"
    return out


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_layout_is_deterministic_and_edges_point_right() -> None:
    graph = trace_graph(neuron())
    positions = layout_graph(graph)
    assert layout_graph(trace_graph(neuron())) == positions
    for child, parent in graph.edges:
        assert positions[child][0] < positions[parent][0]
    assert len(set(positions)) == len(positions)  # no two nodes on one spot


def test_each_node_shows_label_value_and_gradient() -> None:
    out = neuron()
    out.backward()
    shown = texts(draw_graph(out))
    assert "n" in shown and "w" in shown
    assert "data -5" in shown  # w·x + b
    assert f"grad {out.grad:.4g}" in shown
    assert any(t.startswith("grad") and "0.0001" in t for t in shown)  # 1 − tanh²(−5) ≈ 1.8e-4


def boxes(fig) -> list[FancyBboxPatch]:
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, FancyBboxPatch)]


def test_step_highlights_done_nodes_and_the_next_one() -> None:
    out = neuron()
    n_nodes = len(topological_order(out))
    fig = draw_graph(out, step=2)
    faces = [matplotlib.colors.to_hex(p.get_facecolor()) for p in boxes(fig)]
    edges = [matplotlib.colors.to_hex(p.get_edgecolor()) for p in boxes(fig)]
    assert faces.count("#fdd49e") == 2  # two nodes done
    assert edges.count("#e34a33") == 1  # one acts next
    final = draw_graph(out, step=n_nodes)
    assert [matplotlib.colors.to_hex(p.get_edgecolor()) for p in boxes(final)].count("#e34a33") == 0


def test_draws_into_a_given_axes_and_a_students_engine() -> None:
    fig, ax = plt.subplots()
    assert draw_graph(neuron(StudentValue), step=1, ax=ax, title="student") is fig
    assert ax.get_title() == "student"


@pytest.mark.parametrize("cls", [Value, StudentValue])
def test_stepper_builds_and_follows_its_slider(cls) -> None:
    out = neuron(cls)
    stepper = backward_stepper(out)
    slider, status = stepper.children[0].children
    image = stepper.children[1]
    assert slider.max == len(topological_order(out))
    assert image.value[:4] == b"\x89PNG"
    first_status, first_image = status.value, image.value
    assert "n" in first_status and "tanh" in first_status
    slider.value = slider.max
    assert status.value != first_status and image.value != first_image
    assert "Done" in status.value and "w: 0.0003632" in status.value  # x·(1 − tanh²(−5))
    assert plt.get_fignums() == []  # the widget's figures are closed after rendering


def composition_04() -> Value:
    """The worked composition of 04-chain-rule: eight columns of nodes, the widest picture."""
    w, x, y, z = (Value(t, label=name) for t, name in zip((-1.0, 0.0, -2.0, 1.0), "wxyz"))
    a, b = (w + x + y + z) ** 2, (w + x - y - z) ** 2
    f = ((a + b) ** 2 + (a - b) ** 2) ** 2
    f.backward()
    return f


@pytest.mark.parametrize("make", [composition_04, neuron])
def test_node_text_is_readable_and_fits_its_box(make) -> None:
    # 04's pictures were 851×192 px with 6 px text: at 72 dpi the text must be >= 10 px tall,
    # the picture narrow enough that the browser does not scale it down, and every line inside
    # its box.
    fig = draw_graph(make(), step=3, title="a title")
    fig.set_dpi(72)
    assert fig.get_figwidth() * 72 <= 950
    renderer = fig.canvas.get_renderer()
    box_extents = [p.get_window_extent(renderer) for p in boxes(fig)]
    node_texts = [t for t in fig.axes[0].texts if t.get_bbox_patch() is None and t.get_text()]
    assert min(t.get_fontsize() for t in node_texts) >= 10
    for text in node_texts:
        extent = text.get_window_extent(renderer)
        assert any(
            box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 <= box.y1
            for box in box_extents
        ), text.get_text()


def test_stepper_caption_counts_like_the_slider() -> None:
    # The caption once said "Step 8" at slider 7: it must name the slider's own step.
    out = neuron()
    stepper = backward_stepper(out)
    slider, status = stepper.children[0].children
    n_nodes = len(topological_order(out))
    for k in range(n_nodes + 1):
        slider.value = k
        assert status.value.startswith(f"Step {k} of {n_nodes}:"), status.value
    slider.value = 0
    assert "seed" in status.value and "Next (red): <b>n</b>" in status.value
    slider.value = 1
    assert "<b>n</b> has acted" in status.value
