"""Stop slow sympy work (reading a formula, proving an equality) after a time limit.

Introduced in 02-derivatives.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class OutOfTime(BaseException):
    """Raised inside the limited block when time is up (a BaseException: sympy never swallows it).

    Examples
    --------
    >>> issubclass(OutOfTime, Exception)
    False

    Introduced in 02-derivatives.
    """


REPEAT = 0.5  # seconds: once time is up, OutOfTime is raised again this often until the end


@contextmanager
def time_limit(seconds: float) -> Iterator[bool]:
    """Interrupt the block with :class:`OutOfTime` after ``seconds``; yields False if impossible.

    Uses ``SIGALRM``, so it works in the main thread on Unix (a Jupyter kernel runs cells
    there); elsewhere it yields False and the caller keeps the work small. Once time is up the
    signal repeats every ``REPEAT`` seconds, so code that swallows one ``OutOfTime`` (a bare
    ``except BaseException`` around one step of a loop) is stopped at the next; if the block
    ends normally after time ran out, ``OutOfTime`` is raised at its end. A timer that was
    already running is restarted afterwards with the time it had left.

    Examples
    --------
    >>> with time_limit(5.0) as limited:
    ...     total = sum(range(10))
    >>> total
    45

    Introduced in 02-derivatives.
    """
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield False
        return

    expired = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise OutOfTime

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _stop)
    outer_delay, outer_interval = 0.0, 0.0
    try:  # the timer starts inside: a very short limit may strike before the block starts
        outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
        yield True
    finally:
        while True:  # the signal may strike once more before the timer is off
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except OutOfTime:
                expired = True
        signal.signal(signal.SIGALRM, previous)
        if outer_delay > 0:
            left = max(outer_delay - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
    if expired:
        raise OutOfTime
