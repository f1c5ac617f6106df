"""check_implementation, check_order and check_autograd: an algorithm case by case and by its
order of accuracy; a gradient that came from torch autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from calclib import gradient
from calclib.checking import (
    CheckFailure,
    CheckSetupError,
    check_autograd,
    check_implementation,
    check_order,
)
from calclib.checking.misconceptions import FORWARD_NOT_CENTRAL


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def forward(f, x, h):
    return (f(x + h) - f(x)) / h


CASES = [(np.sin, 0.5, 1e-3), (np.exp, 1.0, 1e-2), (math.cos, -1.0, 1e-1)]


def failure_of(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    return str(info.value)


class Scalar:
    """A two-line autograd value: enough to check a student's __mul__ backward."""

    def __init__(self, data, children=()):
        self.data, self.grad, self.children = data, 0.0, children
        self.backward_step = lambda: None

    def __mul__(self, other):
        out = Scalar(self.data * other.data, (self, other))

        def backward_step():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out.backward_step = backward_step
        return out


def product_grads(a, b):
    x, y = Scalar(a), Scalar(b)
    out = x * y
    out.grad = 1.0
    out.backward_step()
    return x.grad, y.grad


def test_a_right_implementation_passes(capsys):
    check_implementation(central, central, CASES)
    check_implementation(product_grads, lambda a, b: (b, a), [(2.0, 3.0), (-1.0, 0.5)])
    assert capsys.readouterr() == ("", "")


def test_the_first_failing_case_is_reported_with_its_arguments():
    message = failure_of(
        check_implementation,
        forward,
        central,
        CASES,
        name="central_difference",
        misconceptions={"a forward difference": forward},
    )
    assert message.split("\n")[:2] == [
        "✗ central_difference is not right yet.",
        "  Arguments:       (sin, 0.5, 0.001), case 1 of 3",
    ]
    assert "Likely mistake:  a forward difference" in message


def test_a_backward_pass_that_forgets_one_input_fails_on_its_gradient():
    def half_backward(a, b):
        return (b, 0.0)

    message = failure_of(check_implementation, half_backward, lambda a, b: (b, a), [(2.0, 3.0)])
    assert "Entries off:  1 of 2: [1] too small" in message


def test_bare_single_arguments_are_cases():
    check_implementation(abs, lambda v: math.fabs(v), [-1.0, 2.0])


def test_errors_missing_and_not_callable():
    def broken(f, x, h):
        return f(x + h) / undefined_name  # noqa: F821

    assert "raised NameError" in failure_of(check_implementation, broken, central, CASES)
    assert "is None, not a value" in failure_of(check_implementation, None, central, CASES)
    assert "should be a function" in failure_of(check_implementation, 3, central, CASES)


def test_wrong_shape_of_a_result():
    message = failure_of(
        check_implementation, lambda a, b: (b, a, 0.0), lambda a, b: (b, a), [(1.0, 2.0)]
    )
    assert "returned a value of the wrong shape" in message


def test_reference_must_be_defined_on_every_case():
    with pytest.raises(CheckSetupError, match="`reference`: gives no finite value for case 1"):
        check_implementation(math.log, np.log, [-1.0])


def test_order_of_a_central_difference_passes():
    check_order(central, 2)
    check_order(forward, 1)


def test_forward_instead_of_central_is_named_by_its_order():
    message = failure_of(check_order, forward, 2, name="central_difference")
    assert "You gave:        an error shrinking like h^1.0" in message
    assert "Expected:        an error shrinking like h^2 (halving h divides it by 4)" in message
    assert f"Likely mistake:  {FORWARD_NOT_CENTRAL[:40]}" in message


def test_an_error_that_does_not_shrink():
    def fixed_step(f, x, h):
        return (f(x + 0.1) - f(x - 0.1)) / 0.2  # h is ignored

    message = failure_of(check_order, fixed_step, 1)
    assert "the error does not shrink with h" in message


def test_a_scheme_that_is_exact_passes():
    check_order(lambda f, x, h: 2 * x, 2, f=lambda x: x**2, df=lambda x: 2 * x)


def test_a_scheme_with_infinite_values():
    message = failure_of(check_order, lambda f, x, h: f(x) / 0.0, 2)
    assert "gives no finite value for some h" in message


def test_an_implementation_that_changes_its_input_is_told_so():
    def shifts_in_place(v):
        v[0] += 1.0
        return v[0]

    message = failure_of(check_implementation, shifts_in_place, lambda v: v[0], [np.array([1.0])])
    assert "changed its argument 1 in place" in message


def autograd_failure(*args) -> str:
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
    assert "did not come from autograd" in autograd_failure(x, copied.sum())
    assert "x should be a torch tensor" in autograd_failure(np.array([1.0, 2.0]), copied)


def test_f_from_another_tensor_fails():
    x, _ = built()
    _other, f = built()
    assert "did not come from autograd" in autograd_failure(x, f)


def test_backward_not_called_and_no_requires_grad():
    x, f = built(backward=False)
    assert "x.grad is None" in autograd_failure(x, f)
    plain = torch.tensor([1.0, 2.0])
    assert "does not collect a gradient" in autograd_failure(plain, (plain**2).sum())


def test_f_must_be_one_number_and_missing_answers_say_so():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert "should be one number" in autograd_failure(x, x**2)
    assert "is None, not a value" in autograd_failure(None, None)
