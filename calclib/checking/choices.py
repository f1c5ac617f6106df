"""Check a choice among a few words, e.g. the kind of a critical point.

Introduced in 03-partial-derivatives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from calclib.checking.challenge import count_check
from calclib.checking.failures import CheckFailure, CheckSetupError, judging, short
from calclib.checking.unanswered import not_answered
from calclib.checking.values import is_missing


def check_choice(
    answer: object,
    expected: str,
    *,
    choices: Sequence[str],
    name: str = "your choice",
    hidden: bool = False,
    misconceptions: Mapping[str, str] | None = None,
) -> None:
    """Check that ``answer`` is the word ``expected`` among ``choices`` (case and spaces aside).

    Parameters
    ----------
    answer : str
        The student's choice, e.g. ``"Saddle "``.
    expected : str
        The right choice; one of ``choices``.
    choices : sequence of str
        Every valid choice; an answer outside them is told the list.
    name : str
        What is checked, e.g. ``"kind_00"``.
    hidden : bool
        A hidden check (said in the headline). The right choice is never shown: with a few
        choices it would be the answer itself.
    misconceptions : mapping of str to str, optional
        A wrong choice → why it is wrong (the likely mistake behind it).

    Raises
    ------
    CheckFailure
        When the answer is missing, not one of the choices, or not the right one.
    CheckSetupError
        When ``expected`` or a misconception is not one of ``choices``.

    Examples
    --------
    >>> check_choice(" Saddle", "saddle", choices=["minimum", "maximum", "saddle"])
    >>> check_choice("minimum", "saddle", choices=["minimum", "saddle"], name="kind_00",
    ...              misconceptions={"minimum": "det H < 0 means a saddle"})
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ kind_00 is not right yet.
      You gave:        'minimum'
      Likely mistake:  det H < 0 means a saddle

    Introduced in 03-partial-derivatives.
    """
    count_check()
    with judging(name):
        if isinstance(choices, str) or not all(isinstance(c, str) for c in choices):
            raise CheckSetupError("choices", f"give a list of words, got {choices!r}")
        options = [c.strip().lower() for c in choices]
        if not isinstance(expected, str) or expected.strip().lower() not in options:
            raise CheckSetupError(
                "expected", f"{expected!r} is not one of the choices {list(choices)}"
            )
        explanations = {k.strip().lower(): v for k, v in (misconceptions or {}).items()}
        unknown = sorted(set(explanations) - set(options))
        if unknown:
            raise CheckSetupError("misconceptions", f"{unknown} are not among the choices")
        if is_missing(answer):
            raise not_answered(name, answer)
        given = answer.strip().lower() if isinstance(answer, str) else None
        if given not in options:
            raise CheckFailure(
                f"{name} should be one of: {', '.join(choices)}.", [("You gave", short(answer))]
            )
        if given == expected.strip().lower():
            return
        details = [("You gave", short(answer))]
        if given in explanations:
            details.append(("Likely mistake", explanations[given]))
        suffix = " (expected value not shown)" if hidden else ""
        raise CheckFailure(f"{name} is not right yet{suffix}.", details)
