"""Follow one answer through a check: which calclib modules it enters, and how often.

STYLE.md's test of a module layout: a student's answer should pass through few modules, each
once, not return to the same one again and again. An entry is a call into a calclib module from
another calclib module or from the test cell; callbacks from libraries (contextlib resuming a
generator, numpy calling a lambda) are not counted. Each check runs once untimed first, so lazy
imports and caches stay out of the count.

    python benchmarks/check_path.py

Introduced for issue 14 (docs/architecture.md quotes the first row).
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from calclib.checking import check_derivative


def module_entries(check: Callable[..., None], *args: Any) -> collections.Counter[str]:
    """How many times ``check(*args)`` enters each calclib module."""
    entries: collections.Counter[str] = collections.Counter()

    def count(frame: FrameType, event: str, arg: object) -> None:
        module = frame.f_globals.get("__name__", "")
        if event != "call" or not module.startswith("calclib"):
            return
        caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
        if caller != module and (caller.startswith("calclib") or caller == "__main__"):
            entries[module] += 1

    sys.setprofile(count)
    try:
        check(*args)
    except AssertionError:
        pass  # a wrong answer fails: its path is what is counted
    finally:
        sys.setprofile(None)
    return entries


CASES = {
    "right formula '3*x**2' for 'x**3'": ("3*x**2", "x**3"),
    "wrong formula '3*x**3' for 'x**3'": ("3*x**3", "x**3"),
    "function for a function": (lambda x: 3 * x**2, lambda x: x**3),
}

if __name__ == "__main__":
    check_derivative("3*x**2", "x**3")  # lazy imports and caches out of the count
    print(f"{'check_derivative answer':<36} {'modules':>7} {'entries':>7}  most entered")
    for label, args in CASES.items():
        entries = module_entries(check_derivative, *args)
        top = ", ".join(
            f"{name.removeprefix('calclib.')} {n}" for name, n in entries.most_common(3)
        )
        print(f"{label:<36} {len(entries):>7} {sum(entries.values()):>7}  {top}")
