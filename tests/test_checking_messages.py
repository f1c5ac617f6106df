"""Messages that never mislead (issue 10, item 3): each kind of misleading message, now right."""

import numpy as np
import pytest

from calclib.checking import (
    CheckFailure,
    check_expression,
    check_function,
    check_implementation,
    check_less,
)


def failure_of(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check(*args, **kwargs)
    return " ".join(str(info.value).split())


def reference(a, b):
    return a + b


def test_a_mistake_is_named_only_when_every_failing_case_supports_it():
    def sign_in_first_case_only(a, b):
        return -(a + b) if a == 1.0 else a + b + 1

    cases = [(1.0, 2.0), (3.0, 4.0)]
    message = failure_of(check_implementation, sign_in_first_case_only, reference, cases)
    assert "Failing cases: 2 of 2" in message
    assert "Likely mistake" not in message

    def sign_everywhere(a, b):
        return -(a + b)

    assert "a sign error" in failure_of(check_implementation, sign_everywhere, reference, cases)


def test_a_diverging_iteration_names_its_learning_rate():
    def descent(grad, x0, lr, n_steps):
        x = x0
        for _ in range(n_steps):
            x = x - lr * grad(x)
        return x

    def blows_up(grad, x0, lr, n_steps):
        return descent(grad, x0, lr, n_steps) * np.inf - np.inf  # the nan of inf - inf

    message = failure_of(check_implementation, blows_up, descent, [(lambda x: 2 * x, 1.0, 0.9, 5)])
    assert "with the learning rate 0.9 the iteration diverges" in message
    assert "with the learning rate 1.2" in failure_of(
        check_less, float("nan"), 1e-6, learning_rate=1.2
    )


def test_you_gave_is_what_the_student_typed_not_sympys_reordering():
    message = failure_of(check_expression, "x*3*x + 1", "3*x**2")
    assert "You gave: x*3*x + 1" in message


def test_an_expected_value_is_printed_at_the_checks_precision():
    message = failure_of(check_function, lambda x: 2.0, lambda x: -2.9999999996, points=[1.0])
    assert "Expected: -3.0 (within" in message


def test_print_instead_of_return_is_explained():
    def f(x):
        return print(2 * x)

    assert "`return print(...)`" in failure_of(check_function, f, lambda x: 2 * x, n_points=1)


def test_the_e_of_a_number_is_not_eulers_number(capsys):
    check_expression("3*x**2 + 1e-12", "3*x**2")
    assert "Euler" not in capsys.readouterr().out
