"""Every graded challenge rejects its bank of wrong answers and accepts right ones in odd forms.

Each ``challenges_<NN-name>.py`` bank runs through its notebook's real test cells (hidden tests
included) in one Jupyter kernel; see ``challenge_runner.py``.
"""

import importlib
from pathlib import Path

import pytest
from challenge_runner import SOLUTIONS, Attempt, Outcome, run_attempts

pytestmark = pytest.mark.slow

BANKS = {
    importlib.import_module(p.stem).ASSIGNMENT: importlib.import_module(p.stem).ATTEMPTS
    for p in sorted(Path(__file__).parent.glob("challenges_*.py"))
}
CASES = [(assignment, attempt) for assignment, bank in BANKS.items() for attempt in bank]
_RESULTS: dict[str, dict[str, Outcome]] = {}


def outcome(assignment: str, attempt: Attempt) -> Outcome:
    """Run the assignment's whole bank once, on first use."""
    if assignment not in _RESULTS:
        _RESULTS[assignment] = run_attempts(assignment, BANKS[assignment])
    return _RESULTS[assignment][attempt.name]


@pytest.mark.parametrize(("assignment", "attempt"), CASES, ids=[f"{a}: {t.name}" for a, t in CASES])
def test_attempt(assignment: str, attempt: Attempt):
    if not (SOLUTIONS / assignment).is_dir():
        pytest.skip(f"{assignment} has no solution notebook yet")
    result = outcome(assignment, attempt)
    assert result.stderr == ""
    if attempt.rejected_with is None:
        assert result.error is None, f"a right answer was rejected:\n{result.error}"
    else:
        assert result.error is not None, "a wrong answer passed"
        assert attempt.rejected_with in " ".join(result.error.split())
