"""as_array accepts every numeric form a student may give and explains the rest."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch

from calclib.checking.failures import CheckFailure, short
from calclib.checking.values import as_array, is_missing


@pytest.mark.parametrize(
    "value",
    [
        3,
        3.0,
        np.float32(3.0),
        np.int64(3),
        np.array(3.0),
        torch.tensor(3.0),
        torch.tensor(3.0, requires_grad=True) * 1,
        sympy.Integer(3),
        sympy.Rational(6, 2),
        sympy.sqrt(9),
    ],
)
def test_numbers_in_any_form_become_a_float_array(value):
    array = as_array(value)
    assert array.dtype == float
    assert array.shape == ()
    assert array == 3.0


def test_fractions_and_decimals_are_numbers():
    assert as_array(Fraction(1, 4)) == 0.25
    assert as_array(Decimal("0.5")) == 0.5


def test_a_function_or_a_value_node_says_what_to_give():
    def slope():
        return 2.0

    class Value:
        data = 2.0

    with pytest.raises(CheckFailure, match="give the number it computes"):
        as_array(slope)
    with pytest.raises(CheckFailure, match=r"its number is in \.data"):
        as_array(Value())


def test_lists_of_tensors_and_sympy_numbers_become_arrays():
    array = as_array([torch.tensor(1.0), sympy.Rational(1, 2), 2])
    np.testing.assert_array_equal(array, [1.0, 0.5, 2.0])


def test_complex_stays_complex():
    assert as_array(1 + 2j).dtype.kind == "c"


@pytest.mark.parametrize("value", [None, ...])
def test_missing_answers_say_not_answered_yet(value):
    with pytest.raises(CheckFailure) as info:
        as_array(value, "the limit")
    assert str(info.value).startswith(("✗ Not answered yet: the limit", "✗ the limit is None"))
    assert "in place of the `pass`" in str(info.value)


def test_none_explains_where_none_comes_from():
    with pytest.raises(CheckFailure) as info:
        as_array(None, "the gradient")
    assert str(info.value).startswith("✗ the gradient is None, not a value.")
    assert "a tensor's .grad holds before .backward() runs" in " ".join(str(info.value).split())


def test_text_is_rejected_with_what_to_do():
    with pytest.raises(CheckFailure) as info:
        as_array("3.5")
    assert str(info.value) == (
        "✗ your answer should be a number, not text.\n"
        "  You gave:    '3.5'\n"
        "  What to do:  remove the quotes"
    )


def test_booleans_are_not_numbers():
    with pytest.raises(CheckFailure, match="not True or False"):
        as_array(True)


def test_a_formula_with_a_symbol_is_not_a_number():
    with pytest.raises(CheckFailure) as info:
        as_array(3 * sympy.Symbol("x"))
    assert "still contains a symbol" in str(info.value)
    assert "substitute a value for x" in str(info.value)


def test_other_objects_name_their_type():
    with pytest.raises(CheckFailure, match=r"of type dict"):
        as_array({"a": 1})


def test_ragged_lists_are_rejected():
    with pytest.raises(CheckFailure, match="should be a number"):
        as_array([1.0, [2.0, 3.0]])


def test_is_missing():
    assert is_missing(None) and is_missing(...) and not is_missing(0.0)


def test_short_shows_floats_as_floats_and_cuts_long_text():
    assert short(12.0) == "12.0"
    assert short(1e-20) == "1e-20"
    assert short(np.float64("nan")) == "nan"
    assert short("x" * 200, width=10) == "'xxxxxxxx…"


def test_a_sympy_matrix_is_an_array_of_numbers():
    assert as_array(sympy.Matrix([[1, sympy.Rational(1, 2)]])).tolist() == [[1.0, 0.5]]
    with pytest.raises(CheckFailure, match="still contains a symbol"):
        as_array(sympy.Matrix([sympy.Symbol("x")]))


def test_sympy_objects_that_are_not_numbers_are_the_students_to_fix():
    assert np.isnan(as_array(sympy.nan))
    with pytest.raises(CheckFailure, match="of type BooleanTrue"):
        as_array(sympy.true)


def test_short_never_prints_two_different_arrays_alike():
    near_answer, expected = np.array([-1.9999999, 2.0000001]), np.array([-2.0, 2.0])
    assert short(near_answer) != short(expected)
    assert short(near_answer) == "[-1.9999999 2.0000001]"


def test_an_object_that_never_converts_is_stopped_with_a_message(monkeypatch):
    from calclib.checking import values

    class Endless:
        def __float__(self):
            while True:
                pass

    monkeypatch.setattr(values, "CONVERSION_SECONDS", 0.2)
    with pytest.raises(CheckFailure, match="took more than 0.2 s"):
        as_array(Endless(), "the limit")
