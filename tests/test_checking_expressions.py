"""check_expression: symbolic equivalence, numeric fallback, notes, misconceptions."""

import numpy as np
import pytest
import sympy

from calclib.checking import CheckFailure, CheckSetupError, check_expression
from calclib.checking.formulas import as_function, proven_equal, to_expr


def failure_of(*args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check_expression(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    "answer",
    ["3*x**2", "3*x*x", "x**2*3", sympy.Integer(3) * sympy.Symbol("x") ** 2, lambda x: 3 * x * x],
)
def test_equivalent_forms_pass(answer, capsys):
    check_expression(answer, "3*x**2")
    assert capsys.readouterr() == ("", "")


def test_unsimplified_answer_passes_with_a_note(capsys):
    check_expression("2*x*cos(x)**2 + 2*x*sin(x)**2", "2*x")
    assert capsys.readouterr().out == "Note: right, and it simplifies to 2*x.\n"


def test_hidden_unsimplified_note_does_not_reveal_the_answer(capsys):
    check_expression("x + x + x", "3*x", hidden=True)
    assert capsys.readouterr().out == "Note: right, and it simplifies.\n"


def test_a_wrong_formula_shows_it_and_the_values_at_the_smallest_input():
    message = failure_of("3*x**2 + 1", "3*x**2", name="f'(x)")
    lines = message.split("\n")
    assert lines[:2] == ["✗ f'(x) is not right yet.", "  You gave:        3*x**2 + 1"]
    assert lines[2].startswith("  At:              x = ")
    assert lines[3] == "  Failing inputs:  12 of 12 sample points"
    assert lines[4].startswith("  Your value:      ")
    assert lines[5].startswith("  Expected value:  ")
    assert "3*x**2\n" not in message  # the expected formula would give the answer away


def test_notes_are_kept_on_failure():
    assert "Note:            ^ was read as **" in failure_of("x^3", "x**2")


def test_a_foreign_variable_is_named():
    assert failure_of("3*t**2", "3*x**2") == (
        "✗ your formula uses a variable that does not belong here.\n"
        "  You gave:   3*t**2\n"
        "  Unknown:    t\n"
        "  Variables:  x"
    )


def test_variables_allow_symbols_the_expected_formula_lacks():
    check_expression("x**2 + 0*y", "x**2", variables=["x", "y"], domain=[(-1, 1), (-1, 1)])
    with pytest.raises(CheckSetupError, match="`variables`: .* leaves out"):
        check_expression("x", "x*y", variables=["x"])


def test_domain_must_match_the_variables():
    with pytest.raises(CheckSetupError, match="one \\(low, high\\) interval per variable"):
        check_expression("x*y", "x*y")


def test_a_constant_answer():
    check_expression(5, "5")
    check_expression("5*sin(x)**2 + 5*cos(x)**2", 5)
    assert failure_of(4, "5").split("\n")[1] == "  You gave:        4"


def test_misconception_formulas_are_named():
    message = failure_of("cos(x**2)", "2*x*cos(x**2)", misconceptions={"no chain": "cos(x**2)"})
    assert "Likely mistake:  no chain" in message


def test_reference_undefined_points_do_not_fail_the_student():
    check_expression("log(x**2)/2", "log(Abs(x))", domain=(0.1, 3))
    assert np.isfinite(as_function("log(x)")(2.0))


def test_proof_failure_falls_back_to_numbers():
    # simplify cannot prove this within a microsecond; the numeric fallback decides.
    assert not proven_equal(to_expr("sin(x)**2 + cos(x)**2"), sympy.Integer(1), 1e-6)
    check_expression("sin(x)**2 + cos(x)**2", "1", time_limit=1e-6)
    assert "not right yet" in failure_of("sin(x)**2 + cos(x)", "1", time_limit=1e-6)


def test_a_misconception_with_a_variable_the_answer_may_not_use():
    mistakes = {"h must go to 0: the limit no longer contains h": "2*x + h + 5"}
    message = failure_of("5 + h + 2*x", "2*x + 5", misconceptions=mistakes)
    assert message.startswith("✗ your formula uses a variable that does not belong here.")
    assert "Likely mistake:  h must go to 0" in message
    # a wrong answer without h is compared with the numbers; the h formula is left out
    assert "Likely mistake" not in failure_of("2*x", "2*x + 5", misconceptions=mistakes)


def test_misconceptions_are_read_as_the_test_cells_own():
    with pytest.raises(CheckSetupError, match=r"`misconceptions\['m'\]`: Python cannot read"):
        check_expression("x", "x", misconceptions={"m": "2*x +"})
