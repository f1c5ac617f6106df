"""Check that a gradient came from torch autograd, not from a number typed or copied in.

A visible check that compares a gradient with ``gradient(f, point)`` can be passed by copying that
call. :func:`check_autograd` asks for the tensors instead: the input ``x`` (a leaf with
``requires_grad=True``) and the output ``f``. It passes when ``f`` is one number built from ``x``
by torch operations (its graph reaches ``x``) and ``x.grad`` holds what ``f.backward()`` put
there. The gradient's values are then checked as usual, e.g. with ``check_array(x.grad, ...)``.

The check only reads the tensors' attributes (``requires_grad``, ``grad_fn``, ``grad``,
``numel()``, ``shape``), so it also works on a stand-in for a tensor that lives in another
process: the grader's judge (``grading/judge_wire.py``) keeps the student's tensors in the
student's kernel and hands this check proxies whose class sets ``stands_for_tensor = True``.

Introduced in 06-autograd.
"""

from __future__ import annotations

import sys
from collections import deque

from calclib.checking.failures import CheckFailure
from calclib.checking.guard import judging
from calclib.checking.registry import count_check
from calclib.checking.values import is_missing, not_answered, short

MAX_NODES = 100_000  # graph nodes searched for x
BUILD_FROM_X = (
    "build f from x with torch functions (torch.log, (x**2).sum(), …), then call f.backward()"
)


def _reaches(grad_fn: object, x: object) -> bool:
    """True if the autograd graph under ``grad_fn`` accumulates into the leaf ``x``."""
    seen: set[int] = set()
    queue = deque([grad_fn])
    while queue and len(seen) < MAX_NODES:
        node = queue.popleft()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "variable", None) is x:
            return True
        queue.extend(child for child, _ in getattr(node, "next_functions", ()))
    return False


def is_tensor(value: object) -> bool:
    """True for a torch tensor, or a stand-in whose class declares ``stands_for_tensor = True``.

    Examples
    --------
    >>> import torch
    >>> is_tensor(torch.tensor(1.0)), is_tensor([1.0])
    (True, False)

    Introduced in 06-autograd.
    """
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return True
    try:
        return getattr(type(value), "stands_for_tensor", False) is True
    except Exception:  # noqa: BLE001 - a metaclass whose attribute lookup raises
        return False


def check_autograd(x: object, f: object, *, name: str = "the gradient") -> None:
    """Check that ``x.grad`` was computed by ``f.backward()`` through torch's autograd.

    Parameters
    ----------
    x : torch.Tensor
        The student's input: a leaf tensor made with ``requires_grad=True``.
    f : torch.Tensor
        The student's output: one number computed from ``x`` with torch operations, on which
        ``.backward()`` was called.
    name : str
        What is checked, as messages say it.

    Raises
    ------
    CheckFailure
        When ``x`` or ``f`` is missing or not a tensor, ``x`` does not require gradients, ``f``
        is not one number computed from ``x`` by torch, or ``.backward()`` has not run.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> f = (x**2).sum()
    >>> f.backward()
    >>> check_autograd(x, f)
    >>> check_autograd(x, torch.tensor(5.0))
    Traceback (most recent call last):
    ...
    calclib.checking.failures.CheckFailure: ✗ the gradient did not come from autograd: f was \
not computed from x by torch operations.
      You gave:    tensor(5.)
      What to do:  build f from x with torch functions (torch.log, (x**2).sum(), …), then
                   call f.backward()

    Introduced in 06-autograd.
    """
    count_check()
    with judging(name):
        for value, which in ((x, "x"), (f, "f")):
            if is_missing(value):
                raise not_answered(f"{which} (for {name})", value)
        if not is_tensor(x):
            raise CheckFailure(
                f"x should be a torch tensor (for {name}).",
                [
                    ("You gave", f"{short(x)} (of type {type(x).__name__})"),
                    ("What to do", "x = torch.tensor([...], requires_grad=True)"),
                ],
            )
        if not is_tensor(f):
            raise CheckFailure(
                f"f should be the torch tensor computed from x (for {name}).",
                [("You gave", f"{short(f)} (of type {type(f).__name__})")],
            )
        if not x.requires_grad or x.grad_fn is not None:
            raise CheckFailure(
                f"x does not collect a gradient (for {name}).",
                [("What to do", "make x a leaf with torch.tensor([...], requires_grad=True)")],
            )
        if f.numel() != 1:
            raise CheckFailure(
                f"f should be one number (for {name}), not shape {tuple(f.shape)}.",
                [("What to do", "sum it, or pick the one output whose gradient you want")],
            )
        if f.grad_fn is None or not _reaches(f.grad_fn, x):
            raise CheckFailure(
                f"{name} did not come from autograd: "
                "f was not computed from x by torch operations.",
                [("You gave", short(f)), ("What to do", BUILD_FROM_X)],
            )
        if x.grad is None:
            raise CheckFailure(
                f"{name} is not there yet: x.grad is None.",
                [("What to do", "call f.backward() (once) after computing f")],
            )
