"""One entry of the wrong-answer bank: an answer, the check it meets, and what must happen.

A wrong answer must be rejected with a message containing ``rejected_with``; a right answer
in an unusual form (``rejected_with=None``) must pass. Bank modules (``bank_*.py`` in this
folder) list their entries in ``CASES``; ``test_wrong_answers.py`` runs them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """``check(*args, **kwargs)`` must pass, or fail with ``rejected_with`` in its message."""

    name: str
    check: Callable[..., None]
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    rejected_with: str | None = None


def wrong(
    name: str, check: Callable[..., None], /, *args: Any, message: str, **kwargs: Any
) -> Case:
    """A plausible wrong answer that must be rejected with ``message`` in the failure."""
    return Case(name, check, args, kwargs, rejected_with=message)


def right(name: str, check: Callable[..., None], /, *args: Any, **kwargs: Any) -> Case:
    """A right answer (often in an unusual form) that must pass."""
    return Case(name, check, args, kwargs)
