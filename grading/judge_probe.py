"""Tamper probes: what the kernel's checker, numpy/math functions and IPython hooks look like.

Used only for test cells the judge cannot run outside the kernel (IPython syntax): such a cell
runs in the kernel, and :data:`PROBE_SOURCE` is run before it, after it and once before the
first cell of the notebook (the baseline). Any difference from the baseline (a function of
``calclib.checking`` replaced or recompiled, ``numpy.isclose``, ``math.isclose`` or
``builtins.AssertionError`` swapped, a check name in the notebook rebound, an IPython input
transformer, AST transformer or event callback added by the notebook's own code (those of
installed packages, such as matplotlib's, are expected), a trace function set) flags the cell.

This is a minimum, not a guarantee: the probe runs in the student's kernel, and a kernel whose
code was rewritten can answer anything. That is why test cells are judged outside whenever
they can be.

Example::

    >>> probe_differences({"hooks": {"pre_run_cell": []}}, {"hooks": {"pre_run_cell": ["__main__:spy"]}})
    ["hooks.pre_run_cell: [] -> ['__main__:spy']"]
"""

from __future__ import annotations

import json
from typing import Any

PROBE_SOURCE = r"""
def _calclib_probe():
    import builtins, hashlib, json, math, sys
    import numpy
    import calclib.checking as checking

    def mark(obj):
        code = getattr(obj, "__code__", None)
        body = b"" if code is None else code.co_code + repr(code.co_consts).encode()
        return f"{id(obj)}:{hashlib.sha256(body).hexdigest()[:16]}"

    watched = {
        "numpy.isclose": numpy.isclose,
        "numpy.allclose": numpy.allclose,
        "numpy.asarray": numpy.asarray,
        "math.isclose": math.isclose,
        "builtins.AssertionError": builtins.AssertionError,
        "builtins.isinstance": builtins.isinstance,
        "builtins.float": builtins.float,
    }
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("calclib.checking") and module is not None:
            for name, value in list(vars(module).items()):
                if callable(value) and getattr(value, "__module__", "") == module_name:
                    watched[f"{module_name}.{name}"] = value
    ip = get_ipython()
    installed = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
    libraries = {"IPython", "ipykernel", "matplotlib", "matplotlib_inline", "ipympl", "ipywidgets"}

    def added(callbacks):
        # The callbacks that the notebook's own code added (installed packages' are fine).
        found = []
        for callback in callbacks:
            func = getattr(callback, "func", callback)
            func = getattr(func, "__func__", func)
            code = getattr(func, "__code__", None)
            module = getattr(func, "__module__", None) or ""
            if code is not None and code.co_filename.startswith(installed):
                continue
            if code is None and module.split(".")[0] in libraries:
                continue
            found.append(f"{module}:{getattr(func, '__qualname__', type(func).__name__)}")
        return sorted(found)

    names = {}
    for name in checking.__all__:
        if name in ip.user_ns:
            names[name] = ip.user_ns[name] is getattr(checking, name)
    hooks = {
        "input_transformers_cleanup": added(ip.input_transformers_cleanup),
        "input_transformers_post": added(ip.input_transformers_post),
        "ast_transformers": added(ip.ast_transformers),
        "trace": sys.gettrace() is not None or sys.getprofile() is not None,
    }
    for event, callbacks in ip.events.callbacks.items():
        hooks[event] = added(callbacks)
    state = {"functions": {k: mark(v) for k, v in watched.items()}, "names": names, "hooks": hooks}
    print(json.dumps(state))

_calclib_probe()
del _calclib_probe
"""


def read_probe_answer(printed: str) -> dict:
    """The probe's state from everything it printed (its last line is one JSON object).

    A busy kernel can flush one printed line in several stream messages, so the caller joins
    them all first.

    >>> read_probe_answer('{"hooks": {}}' + "\\n")
    {'hooks': {}}
    >>> read_probe_answer("oops")
    {'unreadable': 'oops'}
    """
    try:
        found = json.loads(printed.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"unreadable": printed[:200]}
    return found if isinstance(found, dict) else {"unreadable": str(found)[:200]}


def probe_differences(baseline: dict, state: dict) -> list[str]:
    """The differences between two probe results that mean tampering, one line each.

    A check name that was never imported into the notebook is not a difference; one that is
    bound to something else than calclib's own function is.
    """
    if "unreadable" in state or not state:
        return [f"the probe's answer was unreadable: {str(state)[:100]}"]
    found = []
    for section in ("functions", "hooks"):
        old, new = baseline.get(section, {}), state.get(section, {})
        for key in sorted(set(old) | set(new)):
            if section == "functions" and key not in old:
                continue  # a calclib module imported later: nothing to compare with
            if old.get(key) != new.get(key):
                found.append(f"{section}.{key}: {_short(old.get(key))} -> {_short(new.get(key))}")
    for name, same in sorted(state.get("names", {}).items()):
        if same is not True:
            found.append(f"the notebook's `{name}` is not calclib's")
    return found


def _short(value: Any) -> str:
    return str(value)[:40]
