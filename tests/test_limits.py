"""Limit tables: the three examples of lesson 01 and what a table can and cannot conclude."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calclib.limits import LimitRow, limit_table


def difference_quotient(h: float) -> float:
    """(f(1 + h) - f(1)) / h for f(x) = 3x^2 - 4x, whose slope at 1 is 2."""

    def f(x: float) -> float:
        return 3 * x**2 - 4 * x

    return (f(1 + h) - f(1)) / h


def test_difference_quotient_approaches_the_slope():
    table = limit_table(difference_quotient, 0.0)
    assert [row.h for row in table.rows] == [10.0**-k for k in range(1, 9)]
    assert table.rows[0] == LimitRow(0.1, pytest.approx(1.7), pytest.approx(2.3))
    assert table.sides_agree
    assert table.limit == 2.0
    assert table.verdict == "both sides approach 2: the limit is about 2"


def test_rounding_noise_at_tiny_h_does_not_spoil_the_estimate():
    table = limit_table(difference_quotient, 0.0, k=16)
    assert table.rows[-1].right == 0.0  # 1 + 1e-16 == 1: all digits cancelled
    assert table.limit == 2.0


def test_sides_that_disagree_give_no_limit():
    table = limit_table(lambda x: abs(x) / x, 0.0)
    assert (table.left, table.right) == (-1.0, 1.0)
    assert not table.sides_agree
    assert math.isnan(table.limit)
    assert table.verdict == (
        "the left side approaches -1 and the right side approaches 1: no limit is visible"
    )


def test_oscillation_never_settles():
    table = limit_table(lambda x: math.sin(1 / x), 0.0, k=12)
    assert math.isnan(table.left) and math.isnan(table.right)
    assert "the left side does not settle and the right side does not settle" in table.verdict


def test_blow_up_and_undefined_sides_are_named():
    assert "grows without bound" in limit_table(lambda x: 1 / x**2, 0.0).verdict
    one_over_x = limit_table(lambda x: 1 / x, 0.0)
    assert "falls without bound" in one_over_x.verdict
    assert "grows without bound" in one_over_x.verdict
    table = limit_table(math.sqrt, 0.0)
    assert all(math.isnan(row.left) for row in table.rows)
    assert table.verdict.startswith("the left side is undefined")


def test_a_limit_of_zero_is_reported_as_zero():
    assert limit_table(lambda x: x * math.sin(1 / x), 0.0, k=12).limit == 0.0


def test_numpy_functions_and_complex_powers_show_nan_without_warnings():
    assert math.isnan(limit_table(np.log, 0.0).rows[0].left)
    assert math.isnan(limit_table(lambda x: x**0.5, 0.0).rows[0].left)  # (-0.1)**0.5 is complex


def test_limit_away_from_zero():
    table = limit_table(lambda x: (x**2 - 4) / (x - 2), 2.0)
    assert table.limit == 4.0


def test_text_and_html_show_the_rows_and_the_verdict():
    table = limit_table(lambda x: abs(x) / x, 0.0, k=3)
    text = repr(table)
    assert text.splitlines()[0].split() == ["h", "g(x0", "-", "h)", "g(x0", "+", "h)"]
    assert text.splitlines()[1].split() == ["1e-01", "-1", "1"]
    assert text.endswith("x0 = 0: " + table.verdict)
    html = table._repr_html_()
    assert html.count("<tr>") == 4
    assert "<td>1e-03</td><td>-1</td><td>1</td>" in html
    assert table.verdict in html


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"g": 2.0}, TypeError, "g must be a function such as math.sin .* got 2.0 of type float"),
        ({"x0": math.nan}, ValueError, "x0 must be finite, got nan"),
        (
            {"x0": [0.0, 1.0]},
            TypeError,
            r"x0 must be a single number, got an array of shape \(2,\)",
        ),
        ({"k": 0}, ValueError, r"k \(the number of rows\) must be an integer from 1 to 20, got 0"),
        ({"k": 2.5}, ValueError, "got 2.5"),
        ({"rtol": 0}, ValueError, "rtol must be a positive number, got 0"),
        ({"g": lambda x: "big"}, TypeError, "g must return a single real number, got 'big'"),
        ({"g": lambda x: [x, x]}, TypeError, r"got \[-0.1, -0.1\] from g\(-0.1\)"),
    ],
)
def test_bad_input_is_named(kwargs, error, message):
    arguments = {"g": math.sin, "x0": 0.0} | kwargs
    with pytest.raises(error, match=message):
        limit_table(**arguments)
