"""time_limit: interrupts long work, and leaves an outer timer running."""

import signal
import time

import pytest

from calclib.checking.timeout import OutOfTime, time_limit


def test_time_limit_interrupts_long_work():
    with pytest.raises(OutOfTime), time_limit(0.05) as limited:
        assert limited
        while True:
            pass


def test_out_of_time_is_not_an_exception_sympy_could_swallow():
    assert not issubclass(OutOfTime, Exception)


def test_quick_work_is_not_interrupted_and_the_alarm_is_off_afterwards():
    outer = signal.setitimer(signal.ITIMER_REAL, 0)  # pytest-timeout's alarm, put back below
    try:
        with time_limit(5.0):
            pass
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        if outer[0]:
            signal.setitimer(signal.ITIMER_REAL, *outer)


def test_an_outer_timer_keeps_running_after_an_inner_limit():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with time_limit(5.0):
            pass
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.3
        deadline = time.monotonic() + 5
        while not fired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
