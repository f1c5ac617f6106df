"""check_autograd: a gradient must come from torch autograd, not from a copied reference."""

import numpy as np
import pytest
import torch

from calclib import gradient
from calclib.checking import CheckFailure, check_autograd


def failure_of(*args) -> str:
    with pytest.raises(CheckFailure) as info:
        check_autograd(*args, name="∇f")
    return str(info.value)


def built(backward: bool = True):
    x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    f = torch.log(1 + (x**2).sum()) + x[0] * x[1] * x[2]
    if backward:
        f.backward()
    return x, f


def test_a_gradient_by_backward_passes():
    check_autograd(*built())


def test_a_copied_numeric_gradient_fails():
    x, _ = built()
    copied = torch.tensor(
        gradient(lambda p: np.log(1 + np.sum(p**2)) + p[0] * p[1] * p[2], [1.0, -2.0, 0.5])
    )
    assert "did not come from autograd" in failure_of(x, copied.sum())
    assert "x should be a torch tensor" in failure_of(np.array([1.0, 2.0]), copied)


def test_f_from_another_tensor_fails():
    x, _ = built()
    _other, f = built()
    assert "did not come from autograd" in failure_of(x, f)


def test_backward_not_called_and_no_requires_grad():
    x, f = built(backward=False)
    assert "x.grad is None" in failure_of(x, f)
    plain = torch.tensor([1.0, 2.0])
    assert "does not collect a gradient" in failure_of(plain, (plain**2).sum())


def test_f_must_be_one_number_and_missing_answers_say_so():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert "should be one number" in failure_of(x, x**2)
    assert "is None, not a value" in failure_of(None, None)
