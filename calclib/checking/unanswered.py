"""Recognise an answer not written yet, and read the answer cell a test cell follows.

nbgrader's stub (``nbgrader_config.py``) replaces every solution with two lines::

    # YOUR CODE HERE
    pass

``pass`` never raises, so Run All goes on past an unanswered challenge; the checks then have to
tell "not answered yet" from "wrong". A missing value (``None``, ``...``) gets the
failure of :func:`not_answered`. A name the stub left undefined shows up as a ``NameError``;
a function whose body is still the stub returns ``None`` and its source still holds the
placeholder, which :func:`placeholder_in` finds. In a Jupyter kernel the cell run just before a
test cell is, in Run All and in the usual "answer, then check" rhythm, its answer cell:
:func:`previous_cell` reads it (a syntax error that stopped it, a placeholder left in it,
``name = print(...)``) to explain a failure. Nothing here ever runs student code.

A grader that runs test cells outside the student's kernel (``grading/judge.py``) tells these
readers what they cannot see from there: the answer cell's text (:func:`previous_cell_told`)
and, for a wrapper standing for a student's function, the function's source in the kernel (the
wrapper's ``__source_elsewhere__`` attribute, a callable that returns it).

Introduced in 01-limits.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from calclib.checking.failures import CheckFailure, describe_error

PLACEHOLDER_MARK = "YOUR CODE HERE"
PLACEHOLDERS = frozenset({"pass", "..."})
NOT_ANSWERED = (
    "Write your answer in the answer cell above, in place of the `pass` under "
    "YOUR CODE HERE; run that cell, then run this one again."
)
PRINT_GIVES_NONE = (
    "print(...) shows a value but gives back None: assign or return the value itself, without print"
)
NONE_NOTE = (
    "None is what print(...) gives back (it only shows a value), what a function without "
    "`return` gives, and what a tensor's .grad holds before .backward() runs."
)
_TOLD_CELL: ContextVar[str | None] = ContextVar("calclib_previous_cell_told", default=None)


def not_answered(name: str, gave: object = ...) -> CheckFailure:
    """The failure for an answer that is still missing (``gave``: the placeholder found).

    Examples
    --------
    >>> print(not_answered("the slope", None))
    ✗ the slope is None, not a value.
      Why None:    None is what print(...) gives back (it only shows a value), what a
                   function without `return` gives, and what a tensor's .grad holds before
                   .backward() runs.
      What to do:  Write your answer in the answer cell above, in place of the `pass` under
                   YOUR CODE HERE; run that cell, then run this one again.

    Introduced in 01-limits.
    """
    if gave is None:
        return CheckFailure(
            f"{name} is None, not a value.",
            [("Why None", NONE_NOTE), ("What to do", NOT_ANSWERED)],
        )
    return CheckFailure(f"Not answered yet: {name}.", [("What to do", NOT_ANSWERED)])


def placeholder_lines(source: str) -> list[int]:
    """The line numbers (from 1) of ``pass``/``...`` lines right under ``# YOUR CODE HERE``.

    Examples
    --------
    >>> placeholder_lines("def f(x):\\n    # YOUR CODE HERE\\n    pass\\n")
    [3]
    >>> placeholder_lines("def f(x):\\n    # YOUR CODE HERE\\n    return 2 * x\\n")
    []

    Introduced in 01-limits.
    """
    lines = source.splitlines()
    found = []
    for number, (line, following) in enumerate(itertools.pairwise(lines), start=2):
        is_mark = line.strip().startswith("#") and PLACEHOLDER_MARK in line
        if is_mark and following.split("#")[0].strip() in PLACEHOLDERS:
            found.append(number)
    return found


def _source(func: object) -> str | None:
    """The source of a plain Python function (never a proxy's or builtin's), or None.

    A function that stands for one living elsewhere gives that one's source through its
    ``__source_elsewhere__`` attribute (a callable; see the module's docstring).
    """
    if type(func) is types.MethodType:
        func = func.__func__
    if type(func) is not types.FunctionType:
        return None
    tell: Callable[[], object] | None = vars(func).get("__source_elsewhere__")
    if tell is not None:
        try:
            told = tell()
        except Exception:  # noqa: BLE001 - the other side could not say: no source
            return None
        return told if isinstance(told, str) else None
    try:
        return inspect.getsource(func)
    except (OSError, TypeError, IndexError):  # defined where no source is kept
        return None


def placeholder_in(value: object) -> str | None:
    """Where ``value`` (a function, or a class's methods) still holds the stub, or None.

    Examples
    --------
    >>> def dcube_at(t):
    ...     # YOUR CODE HERE
    ...     pass
    >>> placeholder_in(dcube_at)
    '`dcube_at` still has the placeholder `pass` under # YOUR CODE HERE'
    >>> placeholder_in(abs) is None
    True

    Introduced in 01-limits.
    """
    if type(value) is type:
        for attribute, member in vars(value).items():
            inner = placeholder_in(member)
            if inner:
                return inner.replace(f"`{attribute}`", f"`{value.__name__}.{attribute}`", 1)
        return None
    source = _source(value)
    if source is None or not placeholder_lines(source):
        return None
    name = getattr(value, "__name__", "your function")
    return f"`{name}` still has the placeholder `pass` under # YOUR CODE HERE"


def answered(value: object) -> bool:
    """False for an answer not written yet: None, ``...``, or a function still holding the stub.

    Demo cells that call a student's function can skip it until it is written::

        if answered(gradient_descent):
            plot_path(gradient_descent(grad, x0, lr, 20))

    Examples
    --------
    >>> answered(2.0), answered(None), answered(lambda x: x)
    (True, False, True)

    Introduced in 01-limits.
    """
    return not (value is None or value is Ellipsis or placeholder_in(value))


@dataclass
class PreviousCell:
    """What the cell run before this one tells about an answer (empty outside Jupyter).

    Attributes
    ----------
    source : str
        Its text.
    syntax_error : str or None
        Why Python could not run it, e.g. ``"line 3: expected an indented block"``.
    raised : str or None
        The error it stopped with when it ran, e.g. ``"ZeroDivisionError: division by zero"``.
    placeholders : list of str
        Where it still holds the stub, e.g. ``["line 3 (in sin)"]``.
    printed : list of str
        Names it assigned the result of ``print(...)`` to.
    """

    source: str = ""
    syntax_error: str | None = None
    raised: str | None = None
    placeholders: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)


def _shell() -> object | None:
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _enclosing_defs(tree: ast.AST) -> dict[int, str]:
    """Line number → the name of the innermost def or class around it."""
    names: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                names[line] = node.name  # ast.walk goes outside in: inner defs win
    return names


@contextmanager
def previous_cell_told(source: str) -> Iterator[None]:
    """Within this block, :func:`previous_cell` reads ``source`` instead of IPython's history.

    For a grader that runs a test cell outside the kernel: it knows which cell ran before.

    Examples
    --------
    >>> with previous_cell_told("x = print(2)"):
    ...     previous_cell().printed
    ['x']

    Introduced in 01-limits.
    """
    token = _TOLD_CELL.set(source)
    try:
        yield
    finally:
        _TOLD_CELL.reset(token)


def _transform(source: str) -> str:
    """``source`` as IPython would run it (magics turned into calls), when IPython is there."""
    shell = _shell()
    if shell is not None:
        return shell.transform_cell(source)  # type: ignore[attr-defined]
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    return TransformerManager().transform_cell(source)


def previous_cell() -> PreviousCell:
    """The cell run just before the running one, read (never run) for answer clues.

    Outside an IPython kernel, or when it cannot be read, an empty :class:`PreviousCell`
    (unless a grader told it, see :func:`previous_cell_told`).

    Introduced in 01-limits.
    """
    told = _TOLD_CELL.get()
    if told is not None:
        try:
            compile(_transform(told), "<answer cell>", "exec")
        except SyntaxError as problem:
            return PreviousCell(source=told, syntax_error=f"line {problem.lineno}: {problem.msg}")
        except (ValueError, TypeError):
            return PreviousCell(source=told)
        return _read_cell(PreviousCell(source=told))
    shell = _shell()
    history = getattr(shell, "user_ns", {}).get("In") if shell is not None else None
    if not isinstance(history, list) or len(history) < 2 or not isinstance(history[-2], str):
        return PreviousCell()
    cell = PreviousCell(source=history[-2])
    result = getattr(shell, "last_execution_result", None)
    error = getattr(result, "error_before_exec", None)
    if isinstance(error, SyntaxError):
        cell.syntax_error = f"line {error.lineno}: {error.msg}"
        return cell
    raised = getattr(result, "error_in_exec", None)
    if isinstance(raised, Exception):
        cell.raised = describe_error(raised)
    return _read_cell(cell)


def _read_cell(cell: PreviousCell) -> PreviousCell:
    """Fill in the placeholders and ``name = print(...)`` assignments of a cell that ran."""
    try:
        tree = ast.parse(_transform(cell.source))
    except (SyntaxError, ValueError, AttributeError):  # magics or a cell no longer parseable
        return cell
    defs = _enclosing_defs(tree)
    for line in placeholder_lines(cell.source):
        where = f" (in {defs[line]})" if line in defs else ""
        cell.placeholders.append(f"line {line}{where}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "print"
        ):
            cell.printed += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return cell


def returns_print(func: object) -> bool:
    """True if the source of ``func`` returns the result of ``print(...)``.

    Examples
    --------
    >>> def f(x):
    ...     return print(2 * x)
    >>> returns_print(f)
    True

    Introduced in 01-limits.
    """
    source = _source(func)
    return bool(source and re.search(r"(\breturn\s+|\blambda\b[^:]*:\s*)print\s*\(", source))
