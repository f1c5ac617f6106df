"""Sample points and safe calls of student functions."""

import warnings

import numpy as np
import pytest

from calclib.checking import CheckSetupError
from calclib.checking.failures import CheckFailure
from calclib.checking.sampling import (
    argument_names,
    intervals,
    point_text,
    reference_value,
    sample_points,
    student_value,
)


def test_points_are_seeded_rounded_and_smallest_first():
    first = sample_points((-2, 2), n_points=8, seed=3)
    assert first == sample_points((-2, 2), n_points=8, seed=3)
    assert first != sample_points((-2, 2), n_points=8, seed=4)
    norms = [abs(p[0]) for p in first]
    assert norms == sorted(norms)
    assert all(round(p[0], 3) == p[0] for p in first)


def test_several_arguments_and_extra_points():
    points = sample_points([(0, 1), (10, 11)], n_points=4, points=[(0.0, 0.0)])
    assert points[0] == (0.0, 0.0)
    assert all(len(p) == 2 and 10 <= p[1] <= 11 for p in points[1:])


def test_a_bad_domain_is_a_setup_error():
    with pytest.raises(CheckSetupError, match="`domain`: each interval needs low < high"):
        intervals((1, 0))
    with pytest.raises(CheckSetupError, match="`domain`: give \\(low, high\\)"):
        intervals(5)
    with pytest.raises(CheckSetupError, match="`domain`: each interval needs low < high"):
        intervals([(0, 1, 2)])


def test_extra_points_must_match_the_domain():
    with pytest.raises(CheckSetupError, match="`points`: \\(1.0, 2.0\\) has 2 coordinates"):
        sample_points((0, 1), points=[(1.0, 2.0)])
    with pytest.raises(CheckSetupError, match="`n_points`: is 0 and no points"):
        sample_points((0, 1), n_points=0)
    with pytest.raises(CheckSetupError, match="`n_points`: must be a whole number"):
        sample_points((0, 1), n_points=2.5)


def test_a_broken_reference_is_a_setup_error_not_undefined():
    with pytest.raises(CheckSetupError, match="`reference`: raised NameError"):
        reference_value(lambda x: undefined_helper(x), (1.0,))  # noqa: F821


def test_argument_names_fall_back_to_xyz():
    assert argument_names(lambda w, b: 0, 2) == ["w", "b"]
    assert argument_names(lambda *args: 0, 3) == ["x", "y", "z"]
    assert argument_names(lambda *args: 0, 5)[-1] == "x5"


def test_point_text():
    assert point_text((0.25,), ["t"]) == "t = 0.25"


def test_reference_value_is_none_where_undefined():
    assert reference_value(np.log, (-1.0,)) is None
    assert reference_value(lambda x: 1 / x, (0.0,)) is None
    assert reference_value(np.exp, (0.0,)) == 1.0


def test_student_warnings_never_reach_stderr(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping would raise here
        value = student_value(lambda x: np.log(x), (-1.0,), "f", "x = -1")
    assert np.isnan(value)
    assert capsys.readouterr().err == ""


def test_student_error_message_has_input_and_line():
    def f(x):
        return {}[x]

    with pytest.raises(CheckFailure) as info:
        student_value(f, (1.0,), "your f", "x = 1")
    assert str(info.value) == (
        "✗ your f raised KeyError: 1.0\n  At:     x = 1\n  Where:  in f: return {}[x]"
    )


def test_student_none_suggests_a_missing_return():
    with pytest.raises(CheckFailure) as info:
        student_value(lambda x: None, (1.0,), "your f", "x = 1")
    assert "a missing `return`" in str(info.value)


def test_non_numeric_result_says_where():
    with pytest.raises(CheckFailure) as info:
        student_value(lambda x: "one", (1.0,), "your f", "x = 1")
    assert str(info.value).split("\n")[1] == "  At:          x = 1"
