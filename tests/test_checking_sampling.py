"""Sample points of a domain, and the options the function checks share."""

import pytest

from calclib.checking import CheckSetupError
from calclib.checking.sampling import (
    Sampling,
    argument_names,
    check_arity,
    intervals,
    point_text,
    sample_points,
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


def test_argument_names_fall_back_to_xyz():
    assert argument_names(lambda w, b: 0, 2) == ["w", "b"]
    assert argument_names(lambda *args: 0, 3) == ["x", "y", "z"]
    assert argument_names(lambda *args: 0, 5)[-1] == "x5"


def test_point_text():
    assert point_text((0.25,), ["t"]) == "t = 0.25"


def test_sampling_options_check_their_tolerances_and_sample():
    options = Sampling("f", (0, 1), n_points=3, points=(0.5,))
    assert options.sample() == sample_points((0, 1), 3, 0, [0.5])
    with pytest.raises(CheckSetupError, match="`rtol`"):
        Sampling("f", (0, 1), rtol=-1.0)


def test_arity_of_the_test_cells_function_must_match_the_domain():
    check_arity(lambda w, b: w, 2, "reference")
    check_arity(max, 3, "reference")  # no readable signature: not checked
    with pytest.raises(CheckSetupError, match="`domain`: has 1 interval.*takes \\(w, b\\)"):
        check_arity(lambda w, b: w, 1, "reference")
