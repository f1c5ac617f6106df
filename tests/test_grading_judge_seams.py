"""What calclib's checker lets a grader tell it when the test cell runs outside the kernel.

The judge (grading/judge.py) cannot show the checker the student's answer cell, the source of
a student's function or the student's tensors: it tells them through these seams instead.
"""

from typing import ClassVar

import pytest
import torch

from calclib.checking import CheckFailure, check_autograd
from calclib.checking.functions import student_value
from calclib.checking.implementations import is_tensor
from calclib.checking.unanswered import answered, previous_cell, previous_cell_told

STUB = "def topo_sort(root):\n    # YOUR CODE HERE\n    pass\n"


class StandIn:
    """A stand-in for an object elsewhere, as the judge's proxies are: one per object, every
    attribute read forwarded, objects read through it stand-ins too."""

    made: ClassVar[dict[int, "StandIn"]] = {}

    def __init__(self, obj: object) -> None:
        self._obj = obj

    def __getattr__(self, name: str):
        return stand_in(getattr(self._obj, name))

    def __call__(self, *args):
        return stand_in(self._obj(*args))

    def __iter__(self):
        return iter([stand_in(item) for item in self._obj])

    def __repr__(self) -> str:
        return repr(self._obj)


class TensorStandIn(StandIn):
    stands_for_tensor = True


def stand_in(obj: object) -> object:
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if type(obj) is tuple:
        return tuple(stand_in(item) for item in obj)
    kind = TensorStandIn if isinstance(obj, torch.Tensor) else StandIn
    return StandIn.made.setdefault(id(obj), kind(obj))


def test_check_autograd_reads_a_stand_in_as_it_reads_the_tensor():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    f = (x**2).sum()
    f.backward()
    assert (
        is_tensor(stand_in(x)) and not is_tensor([1.0, 2.0]) and not is_tensor(stand_in(f.grad_fn))
    )
    check_autograd(stand_in(x), stand_in(f))
    typed = torch.tensor([2.0, 4.0], requires_grad=True)
    with pytest.raises(CheckFailure, match="x.grad is None"):
        check_autograd(stand_in(typed), stand_in((typed * 1).sum()))


def stand_in_for(source: str):
    def student_function(*args):
        return None

    student_function.__source_elsewhere__ = lambda: source
    return student_function


def test_a_function_standing_for_a_stub_is_not_answered():
    stand_in = stand_in_for(STUB)
    assert not answered(stand_in)
    with pytest.raises(CheckFailure, match="Not answered yet: `student_function` still has"):
        student_value(stand_in, (1.0,), "topo_sort", "x = 1")
    assert answered(stand_in_for("def topo_sort(root):\n    return [root]\n"))


def test_a_function_whose_other_side_cannot_tell_reads_as_written():
    def student_function(*args):
        return None

    def cannot_tell():
        raise ConnectionError("gone")

    student_function.__source_elsewhere__ = cannot_tell
    with pytest.raises(CheckFailure, match="returned None"):
        student_value(student_function, (1.0,), "f", "x = 1")


def test_a_told_answer_cell_is_read_like_the_kernels_history():
    assert previous_cell().source == ""
    with previous_cell_told(STUB):
        cell = previous_cell()
    assert cell.placeholders == ["line 3 (in topo_sort)"]
    with previous_cell_told("def f(x):\n    # YOUR CODE HERE\n"):
        assert "expected an indented block" in previous_cell().syntax_error
    with previous_cell_told("%matplotlib inline\nslope = print(3)"):
        assert previous_cell().printed == ["slope"]
    assert previous_cell().source == ""
