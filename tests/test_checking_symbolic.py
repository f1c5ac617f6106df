"""sympy helpers: time-limited proofs and formulas as numpy functions."""

import pytest
import sympy

from calclib.checking.symbolic import _OutOfTime, as_function, proven_equal, time_limit


def test_time_limit_interrupts_long_work():
    with pytest.raises(_OutOfTime), time_limit(0.05) as limited:
        assert limited
        while True:
            pass


def test_proven_equal():
    x = sympy.Symbol("x", real=True)
    assert proven_equal(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), 2.0)
    assert not proven_equal(x, x + 1, 2.0)


def test_as_function_uses_sorted_symbols():
    assert as_function("y - x")(1.0, 3.0) == 2.0
    with pytest.raises(TypeError, match="function or a formula"):
        as_function(3)
