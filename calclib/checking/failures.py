"""The failure a check raises, and how it looks to a student.

A :class:`CheckFailure` is an ``AssertionError``, so nbgrader scores a test cell that raises
one as 0. In IPython and Jupyter it is shown as its message alone, without a traceback:
IPython calls an exception's ``_render_traceback_`` method, when it has one, to get the
lines it displays (the error output keeps ``output_type == "error"``, which is what nbgrader
looks for). In plain Python it is an ordinary exception with an ordinary traceback.

Introduced in 01-limits.
"""

from __future__ import annotations

import sysconfig
import traceback
from pathlib import Path

PASS_MARK = "✓"
FAIL_MARK = "✗"
# Frames from these places are library code, not the student's.
_LIBRARY_DIRS = (
    str(Path(__file__).resolve().parents[1]),
    sysconfig.get_paths()["stdlib"],
    sysconfig.get_paths()["purelib"],
    sysconfig.get_paths()["platlib"],
)


_VALUES = ("You gave", "Expected", "Your value", "Expected value")  # never re-wrapped


def wrap(text: str, width: int = 72) -> str:
    """Break prose into lines of at most ``width`` characters, joined by newlines.

    Examples
    --------
    >>> print(wrap("one two three", width=8))
    one two
    three

    Introduced in 01-limits.
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


class CheckFailure(AssertionError):
    """A check did not pass; the message says what was checked and what to do.

    The message has a headline, then labelled lines::

        ✗ <what> is not right yet.
          You gave:       <the student's value>
          Expected:       <the reference, unless the check is hidden>
          Likely mistake: <a named misconception, when one matches>
          Hint 1 of 3:    <added by ``challenge`` on a failed attempt>

    Parameters
    ----------
    headline : str
        One sentence saying what is wrong, e.g. ``"f'(2) is not right yet."``.
    details : list of (str, str), optional
        Labelled lines shown under the headline, in order.

    Examples
    --------
    >>> failure = CheckFailure("f'(2) is not right yet.", [("You gave", "6.0")])
    >>> print(failure)
    ✗ f'(2) is not right yet.
      You gave:  6.0
    >>> isinstance(failure, AssertionError)
    True

    Introduced in 01-limits.
    """

    def __init__(self, headline: str, details: list[tuple[str, str]] | None = None) -> None:
        self.headline = headline
        self.details: list[tuple[str, str]] = list(details or [])
        self.challenge_id: str | None = None
        super().__init__(self.message)

    def add(self, label: str, text: str) -> None:
        """Append a labelled line (e.g. a hint) and refresh the message.

        Examples
        --------
        >>> failure = CheckFailure("x is not right yet.")
        >>> failure.add("Hint 1 of 2", "Look at the table above.")
        >>> print(failure)
        ✗ x is not right yet.
          Hint 1 of 2:  Look at the table above.

        Introduced in 01-limits.
        """
        self.details.append((label, text))
        self.args = (self.message,)

    def set_challenge(self, challenge_id: str) -> None:
        """Name the challenge in the headline (``challenge`` does this)."""
        self.challenge_id = challenge_id
        self.args = (self.message,)

    @property
    def message(self) -> str:
        """The full text shown to the student."""
        prefix = f"{self.challenge_id}: " if self.challenge_id else ""
        lines = [f"{FAIL_MARK} {prefix}{self.headline}"]
        width = max((len(label) for label, _ in self.details), default=0) + 2
        for label, text in self.details:
            indent = " " * (2 + width + 1)
            if label not in _VALUES and "\n" not in text:
                text = wrap(text)
            body = text.replace("\n", "\n" + indent)
            lines.append(f"  {label + ':':<{width}} {body}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message

    def _render_traceback_(self) -> list[str]:
        """Lines IPython shows instead of a traceback (one string per line)."""
        return self.message.split("\n")


def last_user_frame(
    exc: BaseException, skip: tuple[str, ...] = ()
) -> traceback.FrameSummary | None:
    """The last frame of ``exc``'s traceback outside calclib, the standard library and packages.

    That is the line of the notebook (or of a function defined in it) that was running.
    Frames of the files in ``skip`` (the running test cell) are passed over too.

    Introduced in 01-limits.
    """
    try:
        summary = traceback.extract_tb(exc.__traceback__)
    except Exception:  # noqa: BLE001 - a traceback that cannot be read names no line
        return None
    frames = [
        frame
        for frame in summary
        if not frame.filename.startswith(_LIBRARY_DIRS) and frame.filename not in skip
    ]
    return frames[-1] if frames and frames[-1].line else None


def student_line(exc: BaseException) -> str | None:
    """The last line of the student's code in ``exc``'s traceback, e.g. ``"in f: return 1 / x"``.

    Frames in calclib, the standard library, installed packages and the running test cell
    are skipped: a line shown is always one the student wrote.

    Introduced in 01-limits.
    """
    from calclib.checking.registry import TEST_FILES

    frame = last_user_frame(exc, tuple(TEST_FILES))
    if frame is None:
        return None
    where = "your answer cell" if frame.name == "<module>" else frame.name
    return f"in {where}: {frame.line}"
