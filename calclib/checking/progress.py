"""``progress()``: which challenges of this notebook pass so far, in this kernel.

Introduced in 01-limits.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from calclib.checking.challenge import RECORDS, Record


def _status(rec: Record | None) -> str:
    if rec is None or rec.attempts == 0:
        return "not attempted"
    if rec.passed:
        return "✓ passed"
    tries = f"{rec.attempts} attempt{'s' if rec.attempts != 1 else ''}"
    if rec.total:
        return f"◐ {rec.earned:g} of {rec.total:g} points ({tries})"
    if not rec.answered:
        return "not answered yet"
    return f"✗ not yet ({tries})"


@dataclass
class Progress:
    """A table of challenges and their status; shows as HTML in Jupyter, text elsewhere.

    Attributes
    ----------
    rows : list of (str, str)
        ``(challenge_id, status)`` in notebook order.
    n_passed : int
        How many challenges pass.

    Examples
    --------
    >>> Progress([("q1-limit", "✓ passed"), ("q2-slope", "not attempted")], 1)
    1 of 2 challenges pass.
    q1-limit  ✓ passed
    q2-slope  not attempted

    Introduced in 01-limits.
    """

    rows: list[tuple[str, str]]
    n_passed: int

    @property
    def summary(self) -> str:
        """One line such as ``"2 of 5 challenges pass."``."""
        n = len(self.rows)
        return f"{self.n_passed} of {n} challenge{'s' if n != 1 else ''} pass."

    def __repr__(self) -> str:
        width = max((len(cid) for cid, _ in self.rows), default=0)
        lines = [f"{cid:<{width}}  {status}" for cid, status in self.rows]
        return "\n".join([self.summary, *lines])

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td><code>{html.escape(cid)}</code></td><td>{html.escape(status)}</td></tr>"
            for cid, status in self.rows
        )
        return (
            f"<p>{html.escape(self.summary)}</p>"
            f"<table><tr><th>challenge</th><th>status</th></tr>{body}</table>"
        )


def progress(challenges: Sequence[str] | None = None) -> Progress:
    """Show which challenges pass so far (run their test cells first).

    Parameters
    ----------
    challenges : sequence of str, optional
        Every challenge of the notebook, in order, so that those not attempted yet are listed
        too. Challenges run but not listed are added at the end.

    Returns
    -------
    Progress
        Displays as a table; ``str()`` gives the text version.

    Examples
    --------
    >>> from calclib.checking.challenge import forget
    >>> forget()
    >>> progress(["q1-limit-value"])
    0 of 1 challenge pass.
    q1-limit-value  not attempted

    Introduced in 01-limits.
    """
    order = list(dict.fromkeys([*(challenges or []), *RECORDS]))
    rows = [(cid, _status(RECORDS.get(cid))) for cid in order]
    n_passed = sum(1 for cid in order if cid in RECORDS and RECORDS[cid].passed)
    return Progress(rows, n_passed)
