"""The judge's wire (grading/judge_wire.py): values, proxies and a hostile other side.

Both peers run in this process (``pair()``: the kernel's side in a thread, every message
through JSON text), so these tests are fast; tests/test_grading_integrity.py drives a real kernel.
"""

from __future__ import annotations

import doctest
import json
import linecache
import math

import numpy as np
import pytest
import sympy as sp
import torch

from grading import judge, judge_probe, judge_wire
from grading.judge import JudgePeer, observing
from grading.judge_wire import (
    MAX_ITEMS,
    Remote,
    RemoteError,
    RemoteFunction,
    WireError,
    pair,
)


@pytest.fixture
def peers():
    return pair()


def shared(peers, name, value):
    judge, kernel = peers
    kernel.share(name, value)
    return judge.fetch(name)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        -3,
        2.5,
        "x**2 + 1",
        1 + 2j,
        [1, [2.0, "a"]],
        (1, 2),
        {"dL/dd": -4.0, 3: "three"},
    ],
)
def test_plain_data_comes_back_equal_and_of_its_type(peers, value):
    back = shared(peers, "v", value)
    assert back == value and type(back) is type(value)


def test_non_finite_floats_and_huge_integers_survive(peers):
    back = shared(peers, "v", [math.nan, math.inf, -math.inf, 10**5000])
    assert math.isnan(back[0]) and back[1:] == [math.inf, -math.inf, math.inf]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "complex128"])
def test_arrays_keep_dtype_shape_and_values(peers, dtype):
    array = (np.arange(6).reshape(2, 3) - 2).astype(dtype)
    back = shared(peers, "a", array)
    assert back.dtype == array.dtype and back.shape == (2, 3) and np.array_equal(back, array)


def test_numpy_scalars_torch_tensors_and_sympy_numbers(peers):
    assert type(shared(peers, "s", np.float64(0.25))) is np.float64
    tensor = shared(peers, "t", torch.tensor([1.0, -2.0], dtype=torch.float64))
    assert isinstance(tensor, torch.Tensor) and tensor.dtype == torch.float64
    assert tensor.tolist() == [1.0, -2.0]
    assert shared(peers, "r", sp.Rational(1, 6)) == sp.Rational(1, 6)
    assert shared(peers, "e", sp.sympify("3*x**2")) == sp.sympify("3*x**2")


def test_tensors_in_autograd_stay_in_the_kernel_with_their_graph(peers):
    """A tensor that requires grad is a proxy: its leafness, grad_fn and .grad are the kernel's."""
    x = torch.tensor([1.0, -2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    x_seen, y_seen = shared(peers, "x", x), shared(peers, "y", y)
    assert isinstance(x_seen, Remote) and x_seen.is_leaf and not y_seen.is_leaf
    assert y_seen.grad_fn.next_functions[0][0].next_functions[0][0].variable is x_seen
    assert x_seen.grad.tolist() == [2.0, -4.0]  # the gradient itself comes back as numbers
    assert plain_value(peers, x_seen).tolist() == [1.0, -2.0]


def plain_value(peers, remote):
    judge, _ = peers
    return judge.request("observe", target=remote)


def test_tensors_sent_to_the_kernel_keep_requires_grad_and_grad(peers):
    leaf = torch.tensor([3.0], requires_grad=True)
    (2 * leaf).sum().backward()
    described = shared(peers, "describe", lambda t: [t.requires_grad, t.is_leaf, t.grad.tolist()])
    assert described(leaf) == [True, True, [2.0]]


def test_sympy_text_is_read_safely_not_evaluated(peers):
    """A forged 'sympy' value carrying Python code stays text; nothing runs."""
    judge, _ = peers
    assert judge.decode({"$": "sympy", "v": "__import__('os').system('false')"}) == (
        "__import__('os').system('false')"
    )


def test_student_functions_are_called_with_the_judges_inputs_and_callbacks(peers):
    def difference_quotient(f, x, h):
        return (f(x + h) - f(x)) / h

    remote = shared(peers, "dq", difference_quotient)
    assert isinstance(remote, RemoteFunction)
    # a judge lambda travels as a handle and is called back; numpy's sin as a library reference
    assert remote(lambda t: t * t, 3.0, 1e-3) == pytest.approx(6.001)
    assert remote(np.sin, 0.0, 1e-6) == pytest.approx(1.0)


def test_library_functions_go_as_references_not_handles(peers):
    judge, _ = peers
    received = shared(peers, "identity_type", lambda obj: repr(obj))(np.sin)
    assert received == repr(np.sin)
    assert judge.encode(np.sin) == {"$": "lib", "v": "numpy:sin"}


def test_in_place_changes_to_array_arguments_come_back(peers):
    def scale_first(v):
        v[0] = 99.0
        return float(v.sum())

    point = np.zeros(3)
    assert shared(peers, "f", scale_first)(point) == 99.0
    assert point.tolist() == [99.0, 0.0, 0.0]


def test_objects_are_proxied_with_attributes_methods_and_operators(peers):
    class Dual:
        def __init__(self, val, dot=0.0):
            self.val, self.dot = val, dot

        def __mul__(self, other):
            other = other if isinstance(other, Dual) else Dual(other)
            return Dual(self.val * other.val, self.val * other.dot + self.dot * other.val)

        __rmul__ = __mul__

        def sin(self):
            return Dual(math.sin(self.val), math.cos(self.val) * self.dot)

    dual = shared(peers, "Dual", Dual)
    x = dual(2.0, 1.0)
    assert isinstance(x, Remote) and not isinstance(x, RemoteFunction)
    assert (x * x).dot == 4.0 and (3 * x).dot == 3.0 and x.sin().val == math.sin(2.0)
    x.dot = 5.0
    assert x.dot == 5.0


def test_comparisons_of_student_objects_never_send_the_other_operand(peers):
    seen = []

    class Spy:
        def __eq__(self, other):
            seen.append(other)
            return True

        def __lt__(self, other):
            seen.append(other)
            return True

        __hash__ = object.__hash__

    spy = shared(peers, "spy", Spy())
    assert (spy == 2.0) is False
    with pytest.raises(TypeError, match="not compared directly"):
        _ = spy < 2.0
    assert seen == []


def test_checks_receive_plain_data_not_proxies(peers):
    class Number:
        def __float__(self):
            return 2.0

    received = []
    check = observing(lambda value, f: received.append((value, f(3.0))))
    check(shared(peers, "n", Number()), shared(peers, "f", lambda t: t + 1))
    assert received == [(2.0, 4.0)] and type(received[0][0]) is float


@pytest.mark.parametrize(
    ("student_error", "judge_type"),
    [(ZeroDivisionError, ZeroDivisionError), (NotImplementedError, NotImplementedError)],
)
def test_the_students_errors_come_back_as_their_type(peers, student_error, judge_type):
    def broken(x):
        raise student_error("from the student")

    with pytest.raises(judge_type, match="from the student"):
        shared(peers, "f", broken)(1.0)


def test_errors_of_unknown_or_dangerous_kinds_are_not_raised_as_themselves(peers):
    class Custom(Exception):
        pass

    def custom(x):
        raise Custom("mine")

    def stop(x):
        raise AssertionError("a check passes?")

    with pytest.raises(RemoteError, match="mine"):
        shared(peers, "f", custom)(1.0)
    with pytest.raises(RemoteError, match="a check passes"):  # never an AssertionError here
        shared(peers, "g", stop)(1.0)


def test_a_missing_name_is_a_name_error(peers):
    judge, _ = peers
    with pytest.raises(NameError) as caught:
        judge.fetch("limit_value")
    assert caught.value.name == "limit_value"


class Hostile:
    """An answer object whose every special method fails."""

    def __repr__(self):
        raise RuntimeError("no repr")

    def __float__(self):
        raise RuntimeError("no float")

    def __getattr__(self, name):
        raise RuntimeError(f"no {name}")


def test_objects_whose_repr_float_and_getattr_raise(peers):
    hostile = shared(peers, "h", Hostile())
    assert isinstance(hostile, Remote)
    with pytest.raises(RuntimeError, match="no repr"):
        repr(hostile)
    with pytest.raises(RuntimeError, match="no float"):
        float(hostile)
    with pytest.raises(RuntimeError, match="no anything"):
        _ = hostile.anything


def test_recursive_and_huge_values_are_refused_not_hung(peers):
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="nested more than"):
        shared(peers, "loop", loop)
    with pytest.raises(ValueError, match="more than"):
        shared(peers, "big", np.zeros(MAX_ITEMS + 1))


def test_the_kernel_cannot_reach_the_judges_internals(peers):
    """A kernel handed a judge function or generator gets no globals, frames or code."""
    secret = {"expected": 42.0}

    def reference(t):
        return secret["expected"] * t

    probe_results = {}

    def probe(f, gen):
        for name in ("__globals__", "__code__", "__closure__"):
            try:
                probe_results[name] = getattr(f, name)
            except AttributeError as exc:
                probe_results[name] = f"refused: {exc}"
        try:
            probe_results["gi_frame"] = gen.gi_frame
        except AttributeError as exc:
            probe_results["gi_frame"] = f"refused: {exc}"
        return f(1.0)

    assert shared(peers, "probe", probe)(reference, (t for t in range(3))) == 42.0
    assert all(str(v).startswith("refused") for v in probe_results.values()), probe_results


def test_the_kernel_cannot_make_the_judge_compute_for_it():
    """Only operators of the judge's own objects: no 10 ** 10**9 on plain numbers."""
    judge = JudgePeer(lambda message: {})
    power = {"t": "req", "op": "binop", "name": "pow", "left": 10, "right": 10**9}
    length = {"t": "req", "op": "len", "target": {"$": "list", "v": [1]}}
    for request in (power, length):
        reply = judge.serve(request)
        assert reply["t"] == "err" and reply["type"] == "WireError"


@pytest.mark.parametrize(
    "forged",
    [
        {"$": "array", "d": "object", "s": [1], "v": [1]},
        {"$": "array", "d": "float64", "s": [10**9], "v": []},
        {"$": "array", "d": "float64", "s": [2], "v": [1.0, [2.0]]},
        {"$": "yours", "id": 12345},
        {"$": "lib", "v": "os:system"},
        {"$": "pickle", "v": "gASVAAAAAAAAAA=="},
        [1, 2],
    ],
)
def test_forged_values_from_the_kernel_are_refused_and_recorded(forged):
    judge = JudgePeer(lambda message: {})
    with pytest.raises(WireError):
        judge.decode(forged)
    assert judge.violations


@pytest.mark.parametrize("cut", [0, 1, 17, -1])
def test_a_probe_answer_flushed_in_pieces_reads_as_one(cut):
    """A busy kernel flushed the JSON line and its newline apart: an honest cell is not flagged."""
    state = {"functions": {"numpy.isclose": "1:ab"}, "names": {"check_limit": True}, "hooks": {}}
    line = json.dumps(state) + "\n"
    pieces = [line[:cut], line[cut:]]
    answer = judge_probe.read_probe_answer("".join(pieces))
    assert answer == state and judge_probe.probe_differences(state, answer) == []
    assert judge_probe.probe_differences(state, judge_probe.read_probe_answer(pieces[-1][-1:]))


@pytest.mark.parametrize("module", [judge_wire, judge, judge_probe])
def test_the_docstring_examples_hold(module):
    """grading/ is not among pytest's doctest paths: its examples are run here."""
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


def test_check_autograd_reads_the_kernels_graph_through_the_proxies(peers):
    """The judge's check_autograd passes a real backward pass and refuses a typed-in gradient."""
    from calclib.checking import CheckFailure, check_autograd

    x = torch.tensor([1.0, -2.0], requires_grad=True)
    f = (x * x).sum()
    f.backward()
    check_autograd(shared(peers, "x", x), shared(peers, "f", f))
    other = torch.tensor([1.0, -2.0], requires_grad=True)
    with pytest.raises(CheckFailure, match="f was not computed from x"):
        check_autograd(shared(peers, "x", x), shared(peers, "g", (other * other).sum()))
    with pytest.raises(CheckFailure, match="does not collect a gradient"):
        check_autograd(shared(peers, "typed", torch.tensor([1.0, -2.0])), torch.tensor(5.0))


def test_a_students_function_source_comes_from_the_kernel_the_judges_never_goes(peers):
    judge, kernel = peers
    namespace: dict = {}
    cell = "def stub(x):\n    # YOUR CODE HERE\n    pass\n"
    linecache.cache["<cell 1>"] = (len(cell), None, cell.splitlines(True), "<cell 1>")
    exec(compile(cell, "<cell 1>", "exec"), namespace)  # noqa: S102 - as IPython keeps a cell
    kernel.share("stub", namespace["stub"])
    kernel.share("builtin", abs)
    assert "# YOUR CODE HERE" in judge.fetch("stub")._source_text()
    assert judge.fetch("builtin")._source_text() is None

    def reference(t):
        return 2 * t

    asks_for_source = shared(peers, "ask", lambda f: f._source_text())
    with pytest.raises(RemoteError, match="does not give out source"):
        asks_for_source(reference)


def test_judged_results_reach_the_kernels_registry_for_progress():
    from calclib.checking import progress
    from calclib.checking.challenge import forget

    forget()
    judge_wire.remember(
        [
            {"challenge_id": "q1", "attempts": 1, "passed": True, "answered": True},
            {"challenge_id": "q2", "attempts": 1, "failures": 1, "answered": False},
            {"challenge_id": 3, "passed": True},  # malformed: ignored
            "q4",
        ]
    )
    assert repr(progress(["q1", "q2"])).splitlines() == [
        "1 of 2 challenges pass.",
        "q1  ✓ passed",
        "q2  not answered yet",
    ]
    forget()


class Node:
    """A student's engine node: plain attributes, a property, a method that changes them."""

    def __init__(self, data, children=()):
        self.data, self.grad, self._prev = data, 0.0, tuple(children)
        self.reads = 0

    @property
    def doubled(self):
        self.reads += 1
        return 2 * self.data

    def backward(self):
        self.grad = 1.0
        for child in self._prev:
            child.grad += self.data


def counting(judge):
    sent = []
    exchange = judge.exchange

    def counted(message):
        sent.append(message.get("op", message.get("t")))
        return exchange(message)

    judge.exchange = counted
    return sent


def test_plain_attributes_travel_with_their_object_and_never_go_stale(peers):
    judge, _ = peers
    a, b = Node(2.0), Node(-3.0)
    root = shared(peers, "root", Node(6.0, (a, b)))
    sent = counting(judge)
    children = root._prev
    assert [child.data for child in children] == [2.0, -3.0] and root.grad == 0.0
    assert sent == []  # read from the snapshots that came with the handles
    root.backward()
    assert [child.grad for child in root._prev] == [6.0, 6.0]  # after a call: read afresh
    assert root.doubled == 12.0 and root.doubled == 12.0  # a property runs every time
    # root.backward, its call, one renewal of the snapshots read before, doubled twice
    assert sent == ["getattr", "call", "snapshots", "getattr", "getattr"]
    assert root.reads == 2
