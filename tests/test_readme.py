"""The README shows students real checker output: keep it true to the code."""

from __future__ import annotations

import re

import pytest
import sympy
from conftest import COURSE_ROOT

from calclib.checking import CheckFailure, challenge, check_derivative, check_number

README = (COURSE_ROOT / "README.md").read_text()

HINTS = [
    "The power rule: d/dx x**n = n * x**(n - 1). Here n = 3.",
    "Bring the exponent down as a factor and lower it by one: 3 * x**(3 - 1).",
]
MISTAKES = {"the exponent came down but was not lowered: n * x**(n - 1), not n * x**n": "3*x**3"}


def _code_blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", README, re.DOTALL | re.MULTILINE)


def test_readme_shows_the_real_passing_message(capsys):
    with challenge("q1-power-rule-expression", hints=HINTS):
        check_derivative("3*x**2", "x**3", name="d/dx x**3", misconceptions=MISTAKES)
    assert capsys.readouterr().out.strip() in [block.strip() for block in _code_blocks()]


def test_readme_shows_the_real_failing_message():
    with (
        pytest.raises(CheckFailure) as failure,
        challenge("q1-power-rule-expression-readme", hints=HINTS),
    ):
        check_derivative("3*x**3", "x**3", name="d/dx x**3", misconceptions=MISTAKES)
    message = str(failure.value).replace("-readme", "")
    assert message.strip() in [block.strip() for block in _code_blocks()]


def test_readme_shows_the_real_message_for_a_rounded_exact_answer():
    with pytest.raises(CheckFailure) as failure, challenge("q2-sqrt-limit-readme"):
        check_number(0.1666666667, sympy.Rational(1, 6), exact=True, name="sqrt_limit")
    message = str(failure.value).replace("-readme", "")
    assert message.strip() in [block.strip() for block in _code_blocks()]


def test_readme_tells_students_the_stub_they_replace():
    config = (COURSE_ROOT / "nbgrader_config.py").read_text()
    assert 'code_stub = {"python": "# YOUR CODE HERE\\npass"}' in config
    assert "in place of the `pass` under it" in README


def test_readme_names_the_two_commands_first():
    first_block = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1)
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "lab"],
        ["make", "test"],
    ]
