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


@contextmanager
def time_limit(seconds: float) -> Iterator[bool]:
    """Interrupt the block with :class:`OutOfTime` after ``seconds``; yields False if impossible.

    Uses ``SIGALRM``, so it works in the main thread on Unix (a Jupyter kernel runs cells
    there); elsewhere it yields False and the caller keeps the work small. A timer that was
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

    def _stop(signum: int, frame: object) -> None:
        raise OutOfTime

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _stop)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay > 0:
            left = max(outer_delay - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
