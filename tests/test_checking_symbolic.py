"""sympy helpers: time-limited proofs and formulas as numpy functions."""

import pytest
import sympy

from calclib.checking import CheckSetupError
from calclib.checking.parsing import to_expr
from calclib.checking.symbolic import as_function, proven_equal, symbols_of


def test_proven_equal():
    x = sympy.Symbol("x", real=True)
    assert proven_equal(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), 2.0)
    assert not proven_equal(x, x + 1, 2.0)


def test_a_sympy_error_is_no_proof():
    # a matrix minus a number is an error in sympy: "not proven", the numbers decide
    assert not proven_equal(sympy.Matrix([1]), sympy.Integer(1), 2.0)


def test_as_function_uses_sorted_symbols():
    assert as_function("y - x")(1.0, 3.0) == 2.0


def test_as_function_of_a_bad_reference_is_a_setup_error():
    with pytest.raises(CheckSetupError, match="`expected`: expected a function or a formula"):
        as_function(3, argument="expected")
    with pytest.raises(CheckSetupError, match="`exact`: Python cannot read"):
        as_function("3*x**", argument="exact")


def test_variables_must_cover_the_formula():
    with pytest.raises(CheckSetupError, match=r"`variables`: \['x'\] leaves out \['y'\]"):
        symbols_of(to_expr("x*y"), ["x"])
    with pytest.raises(CheckSetupError, match="a list of names"):
        symbols_of(to_expr("x*y"), "xy")
