"""The judge: graded test cells run in the grader process, the student's kernel only observed.

At autograde each graded test cell (visible and hidden checks, as nbgrader restored them from
the gradebook) is executed here, in the trusted grader process, never in the student's kernel:

- the names the lesson binds with its own ``import`` statements and top-level ``def``/``class``
  statements (read from the course's source notebook, not from the submission) are the grader's
  own objects: ``challenge``, ``check_*``, ``np``, ``math``, ``Value``, lesson helpers such as
  ``f``. Redefining or patching them in the kernel changes nothing here;
- every other name the test code reads is fetched from the kernel through
  :mod:`grading.judge_wire`: plain data by value, functions and objects as proxies that are
  called at the inputs the checks pick. Checks receive plain data (a proxy given to a
  ``check_*`` function is converted first), so expected values never travel to the kernel;
- the kernel runs only a small agent that answers the judge (sent fresh for every cell, the
  wire compiled when the kernel's Python reads the grader's bytecode): if it does not answer
  (a rewritten or skipped cell), there is no observation and no points;
- the checker reads what the kernel alone could show it through seams calclib offers: the
  answer cell run before the test cell (a stub left in it, a syntax error), a student
  function's source, the student's tensors (``check_autograd`` gets the proxies, not numbers);
- when the cell ends the judge writes the challenges' results into the kernel's registry, so the
  notebook's ``progress()`` shows what was judged. The score is never read back from the kernel.

The verdict is the cell's outputs: the checks' messages (stdout), an ``error`` output when a
check failed, and the score as an ``execute_result`` for partial-credit cells (``q.score``).

Example (a course folder, a running kernel and nbgrader around it are in
``grading/execute.py``; here the kernel's side is a thread of this process)::

    >>> from grading.judge_wire import pair
    >>> judge_peer, kernel = pair()
    >>> kernel.share("limit_value", 2)
    >>> judge = Judge(lesson_source=None)
    >>> verdict = judge.run_test_code('with challenge("q1"):\\n    check_number(limit_value, 2)',
    ...                               judge_peer)
    >>> verdict.passed, verdict.text
    (True, '✓ q1: passed (1 check).\\n')
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import dataclasses
import functools
import importlib.util
import io
import json
import marshal
import math
import random
import re
import sys
import threading
import time
import types
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grading import judge_wire
from grading.judge_wire import MAX_MESSAGE, PROTOCOL, Peer, Remote, RemoteFunction, WireError

JUDGE_MODULE = "calclib_judged_test"
DEFAULT_SETUP = """\
import math
import numpy as np
import sympy as sp
from calclib import *
from calclib.checking import *
"""
WIRE_SOURCE = Path(judge_wire.__file__).read_text(encoding="utf-8")
WIRE_FILENAME = "<calclib judge wire>"
# The agent each judged cell starts in the kernel: it asks for the wire (compiled, when the
# kernel's Python reads this one's bytecode: compiling 900 lines took most of a cell's cost),
# runs it in a fresh namespace and serves the judge until the cell ends.
AGENT_BOOT = f"""\
import base64, importlib.util, json, marshal
wire = json.loads(input(json.dumps({{"t": "agent", "magic": importlib.util.MAGIC_NUMBER.hex()}})))
namespace = {{"__name__": "calclib_judge_wire"}}
if "bytecode" in wire:
    exec(marshal.loads(base64.b64decode(wire["bytecode"])), namespace)
else:
    exec(compile(wire["source"], {WIRE_FILENAME!r}, "exec"), namespace)
namespace["serve_kernel"](user_namespace, nonce)
"""
# Checks that read the student's objects themselves, through the proxies: check_autograd
# examines the tensors' autograd graph, which exists only in the kernel.
READS_PROXIES = frozenset({"check_autograd"})
# calclib helpers, besides the checks, that test cells call on the student's answers.
OBSERVING_HELPERS = frozenset({"answered"})


class JudgeAbort(BaseException):
    """The cell cannot be judged any further (time is up, the kernel's agent is gone).

    A ``BaseException``, so that ``challenge`` and ``q.part`` let it through.
    """

    def __init__(self, reason: str, *, tampering: bool = False, timeout: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tampering = tampering
        self.timeout = timeout


@dataclass
class Verdict:
    """What the judge decided for one test cell.

    Attributes
    ----------
    passed : bool
        No check failed and nothing went wrong.
    score : float or None
        The value of the cell's last expression when it is a number (``q.score``).
    text : str
        Everything printed, by the checks and by the student's code, in order.
    error : tuple of (str, str) or None
        The exception's type name and message when the cell failed.
    displays : list of dict
        Rich outputs the student's code produced while observed (a figure, say).
    flags : list of str
        Reasons a human should look at this cell (tampering seen, the test cell's own error).
    timed_out : bool
        The kernel did not answer in time: the caller interrupts or restarts it.
    records : list of dict
        The challenge results this cell changed (calclib's registry records), for the
        kernel's ``progress()``.
    """

    passed: bool
    score: float | None = None
    text: str = ""
    error: tuple[str, str] | None = None
    displays: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    timed_out: bool = False
    records: list[dict] = field(default_factory=list)


class JudgeNamespace(dict):
    """The test code's globals: trusted names first, then builtins, then the kernel's names.

    Names the test code assigns are stored here (and stay for later test cells). A name it
    reads and nobody assigned is fetched from the kernel once per cell and not stored.
    """

    def __init__(self) -> None:
        super().__init__(__name__=JUDGE_MODULE, __builtins__=builtins)
        self.peer: Peer | None = None
        self.fetched: dict[str, Any] = {}

    def __missing__(self, name: str) -> Any:
        if hasattr(builtins, name) or self.peer is None or name.startswith("__"):
            raise KeyError(name)
        if name not in self.fetched:
            try:
                self.fetched[name] = self.peer.fetch(name)
            except NameError:
                raise KeyError(name) from None  # Python raises NameError in the test code itself
        return self.fetched[name]


class Judge:
    """Judges the graded test cells of one submitted notebook, cell after cell.

    Parameters
    ----------
    lesson_source : Path or None
        The course's source notebook (``solutions/<a>/<a>.ipynb``): its non-answer cells'
        imports and top-level definitions become the trusted names. ``None``: calclib's
        public names, ``np``, ``sp`` and ``math``.
    log : callable, optional
        Receives one line per problem met while setting up (a lesson import that failed).
    """

    def __init__(self, lesson_source: Path | None, log: Callable[[str], None] = print) -> None:
        from calclib.checking.challenge import forget

        forget()  # hints and attempts start afresh for every submission
        torch = sys.modules.get("torch")
        if torch is not None:  # process-wide: a lesson's set-up may change it (04-06: float64)
            torch.set_default_dtype(torch.float32)
        self.namespace = JudgeNamespace()
        self.log = log
        setup = DEFAULT_SETUP if lesson_source is None else lesson_definitions(lesson_source)
        self._run_setup(setup)
        self._wrap_checks()
        for name, value in list(self.namespace.items()):
            if value is random:
                self.namespace[name] = SeedMirroringRandom(self.namespace)

    def _run_setup(self, setup: str) -> None:
        for statement in ast.parse(setup).body:
            code = compile(ast.Module([statement], []), "<lesson set-up>", "exec")
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    exec(code, self.namespace)  # noqa: S102 - the course's own source
            except Exception as exc:  # noqa: BLE001 - one failed import must not stop the rest
                self.log(f"judge: lesson set-up line {ast.unparse(statement)[:80]!r}: {exc}")

    def _wrap_checks(self) -> None:
        """Make the ``check_*`` functions (and ``answered``) receive plain data, not proxies.

        Those in :data:`READS_PROXIES` get the proxies: they read the kernel's objects.
        """
        for name, value in list(self.namespace.items()):
            module = getattr(value, "__module__", "") or ""
            if not (callable(value) and module.startswith("calclib.")):
                continue
            if (name.startswith("check_") or name in OBSERVING_HELPERS) and (
                getattr(value, "__name__", name) not in READS_PROXIES
            ):
                self.namespace[name] = observing(value)

    def run_test_code(self, source: str, peer: Peer, answer_cell: str | None = None) -> Verdict:
        """Run one test cell's code here, its free names answered by ``peer``; the verdict.

        ``answer_cell`` is the source of the cell run before it in the kernel: the checks read
        it as they read the kernel's history (a stub left in it, a syntax error).
        """
        from calclib.checking.challenge import RECORDS
        from calclib.checking.unanswered import previous_cell_told

        self.namespace.peer, self.namespace.fetched = peer, {}
        printed = getattr(peer, "printed", None)
        out = _Printed(printed if printed is not None else [])
        verdict = Verdict(passed=False)
        before = {cid: dataclasses.astuple(rec) for cid, rec in RECORDS.items()}
        told = previous_cell_told(answer_cell) if answer_cell is not None else _no_context()
        try:
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            filename = f"<judged test cell {uuid.uuid4().hex[:8]}>"  # not in linecache: no source
            with printing_to(out), warnings.catch_warnings(), told:
                warnings.simplefilter("ignore")  # the judge's own warnings are no one's business
                exec(compile(tree, filename, "exec"), self.namespace)  # noqa: S102 - trusted test
                if last is not None:
                    value = eval(
                        compile(ast.Expression(last.value), filename, "eval"), self.namespace
                    )
                    verdict.score = _as_score(value)
            verdict.passed = True
        except JudgeAbort as abort:
            verdict.error = ("JudgeError", abort.reason)
            verdict.timed_out = abort.timeout
            if abort.tampering:
                verdict.flags.append(abort.reason)
        except Exception as exc:  # noqa: BLE001 - a failed check, or any error of the test
            verdict.error = (type(exc).__name__, _text(exc))
            if type(exc).__name__ == "CheckSetupError":
                verdict.flags.append(f"the test cell's own mistake: {_text(exc)[:300]}")
        finally:
            self.namespace.peer, self.namespace.fetched = None, {}
        violations = getattr(peer, "violations", [])
        if violations:
            verdict.flags.append(f"the kernel broke the judge's protocol: {violations[0]}")
        verdict.text = "".join(part for kind, part in out.parts if kind == "text")
        verdict.records = [
            {name: getattr(rec, name) for name in ("challenge_id", *judge_wire.RECORD_FIELDS)}
            for cid, rec in RECORDS.items()
            if before.get(cid) != dataclasses.astuple(rec)
        ]
        return verdict


@contextlib.contextmanager
def _no_context() -> Iterator[None]:
    yield


class SeedMirroringRandom(types.ModuleType):
    """Python's ``random`` for the test code: ``random.seed(s)`` seeds the kernel's too.

    A test cell that seeds ``random`` before building the student's object (06 q6: the weights
    of the student's MLP) would, in the kernel, seed the generator that object draws from. Under
    the judge that object is built in the kernel: its generator is seeded alike.
    """

    def __init__(self, namespace: JudgeNamespace) -> None:
        super().__init__("random")
        self._namespace = namespace

    def __getattr__(self, name: str) -> Any:
        return getattr(random, name)

    def seed(self, *args: Any) -> None:
        random.seed(*args)
        peer = self._namespace.peer
        if peer is not None:
            peer.request("seed", name="random", args=list(args))


class _ThreadStdout(io.TextIOBase):
    """sys.stdout for a process that judges in several threads: each thread prints to its own."""

    def __init__(self, default: Any) -> None:
        self.default = default
        self.targets: dict[int, Any] = {}

    def write(self, text: str) -> int:
        return self.targets.get(threading.get_ident(), self.default).write(text)

    def flush(self) -> None:
        self.targets.get(threading.get_ident(), self.default).flush()


_STDOUT_LOCK = threading.Lock()


@contextlib.contextmanager
def printing_to(target: Any) -> Iterator[None]:
    """Send this thread's ``print`` output to ``target`` (other threads print as before)."""
    with _STDOUT_LOCK:
        if not isinstance(sys.stdout, _ThreadStdout):
            sys.stdout = _ThreadStdout(sys.stdout)
        router = sys.stdout
        router.targets[threading.get_ident()] = target
    try:
        yield
    finally:
        router.targets.pop(threading.get_ident(), None)


class _Printed(io.TextIOBase):
    """stdout of the judge, kept in the same list as the kernel's output (in order)."""

    def __init__(self, parts: list) -> None:
        self.parts = parts

    def write(self, text: str) -> int:
        self.parts.append(("text", text))
        return len(text)


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - an exception whose message fails
        return type(exc).__name__


def _as_score(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np

            if not isinstance(value, np.floating | np.integer):
                return None
        except ImportError:
            return None
    score = float(value)
    return score if math.isfinite(score) else None


def observing(check: Callable[..., Any]) -> Callable[..., Any]:
    """``check`` with every kernel proxy among its arguments turned into plain data first.

    A proxied function becomes a local function whose results are plain data; a proxied object
    is converted the way a check would read it (an array, a float, a list) by the kernel.
    """

    def observed_check(*args: Any, **kwargs: Any) -> Any:
        args = tuple(plain(arg) for arg in args)
        kwargs = {key: plain(value) for key, value in kwargs.items()}
        return check(*args, **kwargs)

    observed_check.__name__ = getattr(check, "__name__", "check")
    observed_check.__doc__ = getattr(check, "__doc__", None)
    observed_check.__wrapped_check__ = check  # type: ignore[attr-defined]
    return observed_check


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` with kernel proxies replaced by plain data (see :func:`observing`)."""
    if depth > judge_wire.MAX_DEPTH:
        return value
    if isinstance(value, RemoteFunction):
        return _observed_function(value)
    if isinstance(value, Remote):
        return value._peer.request("observe", target=value)
    if type(value) in (list, tuple) and any(isinstance(v, Remote | list | tuple) for v in value):
        return type(value)(plain(item, depth + 1) for item in value)
    return value


def _observed_function(remote: RemoteFunction) -> Callable[..., Any]:
    def student_function(*args: Any, **kwargs: Any) -> Any:
        return plain(remote(*args, **kwargs))

    student_function.__name__ = student_function.__qualname__ = remote._type
    student_function.__source_elsewhere__ = remote._source_text  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):  # no signature to show (a builtin): any arity goes
        student_function.__signature__ = remote.__signature__  # type: ignore[attr-defined]
    return student_function


def lesson_definitions(notebook: Path) -> str:
    """The set-up cells and top-level ``def``/``class`` statements of a lesson's non-answer cells.

    A set-up cell is one with an ``import``: it runs whole (``torch.set_default_dtype(...)``,
    ``x = sp.Symbol("x")``). Of the other non-answer cells only ``import``, ``def`` and
    ``class`` statements are kept: lesson data (arrays, tables) is read from the kernel.

    Parameters
    ----------
    notebook : Path
        The nbgrader source notebook (solutions included).

    Returns
    -------
    str
        Python source, in notebook order. Cells that are not plain Python (IPython magics) are
        read without their magic lines.

    Examples
    --------
    >>> import json, tempfile
    >>> cells = [{"cell_type": "code", "metadata": {}, "source": "x = 1\\n"
    ...           "def f(t):\\n    return t"}]
    >>> path = Path(tempfile.mkdtemp()) / "l.ipynb"
    >>> _ = path.write_text(json.dumps({"cells": cells}))
    >>> print(lesson_definitions(path))
    def f(t):
        return t
    """
    stat = notebook.stat()  # read once per version of the lesson, not once per submission
    return _lesson_definitions(str(notebook), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _lesson_definitions(notebook: str, mtime_ns: int, size: int) -> str:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    kept = []
    for cell in cells:
        grading = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or grading.get("solution") or grading.get("grade"):
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            without_magics = re.sub(r"(?m)^\s*[%!].*$", "", source)
            try:
                tree = ast.parse(without_magics)
            except SyntaxError:
                continue
        imports = (ast.Import, ast.ImportFrom)
        if any(isinstance(node, imports) for node in tree.body):  # a set-up cell: all of it
            kept += [ast.unparse(node) for node in tree.body]
            continue
        definitions = (*imports, ast.FunctionDef, ast.ClassDef)
        kept += [ast.unparse(node) for node in tree.body if isinstance(node, definitions)]
    return "\n".join(kept)


@functools.lru_cache(maxsize=1024)  # the same test cells come back with every submission
def judgeable(source: str) -> bool:
    """Whether a test cell can be judged outside the kernel: it must be plain Python.

    Cells with IPython syntax (``%magic``, ``!command``) cannot be run by the judge; they run
    in the kernel instead, with tamper checks around them (see ``grading/execute.py``).

    Examples
    --------
    >>> judgeable("check_number(x, 2)"), judgeable("%timeit f(1)")
    (True, False)
    """
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


class KernelChannel:
    """The judge's end of the wire to one kernel: a blocking client of its own.

    Messages from the kernel arrive as the prompt of an ``input()`` call of the agent; the
    judge's go back as the reply. Output the student's code prints meanwhile is collected in
    :attr:`printed` (as ``("text", str)`` items) and :attr:`displays`.

    Parameters
    ----------
    connection_info : dict
        The kernel's connection information (``KernelManager.get_connection_info()``).
    alive : callable
        Says whether the kernel process is still running.
    """

    def __init__(self, connection_info: dict, alive: Callable[[], bool]) -> None:
        self.client = _judge_client()
        self.client.load_connection_info(connection_info)
        self.client.start_channels(shell=True, iopub=True, stdin=True, hb=False, control=False)
        self.alive = alive
        self.printed: list[tuple[str, str]] = []
        self.displays: list[dict] = []
        self.output_chars = 0
        self.max_output_chars = 1_000_000
        self.msg_id: str | None = None
        self.budget = math.inf
        self.finished = False
        self._poller: Any = None

    def ready(self, timeout: float = 30.0) -> None:
        """Wait until the kernel answers and its iopub messages reach this client.

        A new subscriber misses what the kernel publishes before its subscription arrives:
        a ``kernel_info`` request goes out every 20 ms until the kernel's status for one of
        them comes back on iopub (jupyter_client's ``wait_for_ready`` waits 0.2 s a try).
        Then the stdin channel's handshake must be done too: the kernel's stdin socket (a zmq
        ROUTER) silently drops an ``input_request`` for a peer it does not know yet, and the
        agent's first message is one (under load it was lost, and the judge waited out the
        cell's whole time limit).
        """
        import queue

        deadline = time.monotonic() + timeout
        sent: set[str] = set()
        while time.monotonic() < deadline:
            sent.add(self.client.kernel_info())
            try:
                msg = self.client.iopub_channel.get_msg(timeout=0.02)
            except queue.Empty:
                if not self.alive():
                    break
                continue
            if msg["parent_header"].get("msg_id") in sent:
                break
        else:
            raise RuntimeError("the kernel did not answer the judge's client in time")
        if not self.client.stdin_connected(deadline - time.monotonic()):
            raise RuntimeError("the kernel's stdin channel did not connect to the judge in time")

    def close(self) -> None:
        """Stop the client's channels."""
        self.client.stop_channels()

    def open(self, timeout: float) -> JudgePeer:
        """Start the agent in the kernel for one test cell; the judge's peer talking to it."""
        nonce = uuid.uuid4().hex
        agent = (
            f"exec({AGENT_BOOT!r}, {{'__name__': 'calclib_judge_agent', 'nonce': {nonce!r}, "
            "'user_namespace': get_ipython().user_ns})"
        )
        self.printed, self.displays, self.output_chars = [], [], 0
        self.finished = False
        # the seconds the student's code may take in this cell, all its calls together
        self.budget = timeout
        # silent: no pre_run_cell/post_run_cell hooks and no execution count for the agent
        self.msg_id = self.client.execute(agent, silent=True, store_history=False, allow_stdin=True)
        asked = self._receive()
        if not (isinstance(asked, dict) and asked.get("t") == "agent"):
            raise JudgeAbort(
                "the kernel did not start the judge's agent (was the code it ran rewritten?)",
                tampering=True,
            )
        self.client.input(json.dumps(_wire_for(asked.get("magic"))))
        peer = JudgePeer(self._exchange)
        peer.printed = self.printed
        hello = self._receive()
        if not (
            isinstance(hello, dict)
            and hello.get("t") == "hello"
            and hello.get("protocol") == PROTOCOL
            and hello.get("nonce") == nonce
        ):
            raise JudgeAbort(
                "the kernel did not start the judge's agent (was the code it ran rewritten?)",
                tampering=True,
            )
        return peer

    def finish(self, grace: float = 5.0, records: list[dict] | None = None) -> None:
        """Tell the agent the cell is over and wait for its execute reply and output.

        ``records`` (the judged challenges' results) go to the kernel's registry, so that the
        notebook's ``progress()`` shows them.
        """
        if self.finished:
            return
        self.client.input(json.dumps({"t": "bye", "records": records or []}))
        self.budget = grace
        with contextlib.suppress(JudgeAbort):
            self._receive(expect_reply=True)

    def _exchange(self, message: dict) -> dict:
        if self.finished:
            raise JudgeAbort("the kernel's agent stopped answering", tampering=True)
        try:
            text = json.dumps(message, allow_nan=True)
        except (TypeError, ValueError) as exc:
            raise JudgeAbort(f"the judge could not send a value: {exc}") from exc
        self.client.input(text)
        return self._receive()

    def _receive(self, expect_reply: bool = False) -> Any:
        """The next message of the agent; output and the end of the cell handled on the way.

        The time spent waiting comes off :attr:`budget` (the judge's own work does not count).
        """
        started = time.monotonic()
        try:
            return self._wait(started + self.budget, expect_reply)
        finally:
            self.budget -= time.monotonic() - started

    def _wait(self, deadline: float, expect_reply: bool) -> Any:
        if self._poller is None:
            import zmq

            self._poller = zmq.Poller()
            for channel in (self.client.stdin_channel, self.client.iopub_channel):
                self._poller.register(channel.socket, zmq.POLLIN)
            self._poller.register(self.client.shell_channel.socket, zmq.POLLIN)
        poller = self._poller
        idle, reply = False, False
        while True:
            if expect_reply and idle and reply:
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise JudgeAbort("the student's code did not answer in time", timeout=True)
            ready = dict(poller.poll(timeout=min(remaining, 1.0) * 1000))
            if not ready:
                if not self.alive():
                    self.finished = True
                    raise JudgeAbort("the kernel died while the judge was observing it")
                continue
            if self.client.iopub_channel.socket in ready:
                idle = self._take_output(self.client.iopub_channel.get_msg(timeout=0)) or idle
            if self.client.shell_channel.socket in ready:
                msg = self.client.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == self.msg_id:
                    reply = True
                    self.finished = True
                    if not expect_reply:
                        ended = msg["content"].get("ename") or "without an error"
                        raise JudgeAbort(
                            "the grader could not observe the answers: the code it sent to the "
                            f"kernel stopped early ({ended}); was it rewritten by the notebook?",
                            tampering=msg["content"].get("ename") != "KeyboardInterrupt",
                        )
            if self.client.stdin_channel.socket in ready:
                msg = self.client.stdin_channel.get_msg(timeout=0)
                if msg["msg_type"] != "input_request" or expect_reply:
                    continue
                prompt = msg["content"].get("prompt", "")
                if not isinstance(prompt, str) or len(prompt) > MAX_MESSAGE:
                    raise JudgeAbort("the kernel sent an oversized message", tampering=True)
                try:
                    return json.loads(prompt)
                except ValueError as exc:
                    raise JudgeAbort(
                        f"the kernel sent something that is not JSON: {prompt[:80]!r}",
                        tampering=True,
                    ) from exc

    def _take_output(self, msg: dict) -> bool:
        """Keep one iopub message of the agent's cell; True when the kernel went idle."""
        if msg["parent_header"].get("msg_id") != self.msg_id:
            return False
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            return content.get("execution_state") == "idle"
        if kind == "stream":
            self._keep(str(content.get("text", "")))
        elif kind == "display_data":
            size = len(json.dumps(content.get("data", {})))
            if self.output_chars + size <= self.max_output_chars:
                self.output_chars += size
                data, metadata = content.get("data", {}), content.get("metadata", {})
                self.displays.append(
                    {"output_type": "display_data", "data": data, "metadata": metadata}
                )
            else:
                self._keep("")
        return False

    def _keep(self, text: str) -> None:
        room = self.max_output_chars - self.output_chars
        if room <= 0:
            return
        if len(text) > room:
            text = (
                text[:room]
                + f"\n[output truncated: more than {self.max_output_chars} characters]\n"
            )
            room = len(text)
        self.output_chars += len(text)
        self.printed.append(("text", text))


def _judge_client() -> Any:
    """A blocking kernel client that can tell when its stdin channel has connected.

    Its stdin socket is watched from before it connects (a zmq socket monitor), so
    ``stdin_connected(timeout)`` can wait for the handshake that makes the kernel know it.
    """
    import zmq
    from jupyter_client.blocking import BlockingKernelClient
    from zmq.utils.monitor import recv_monitor_message

    class JudgeClient(BlockingKernelClient):
        _stdin_monitor: Any = None
        _stdin_ready = False

        def connect_stdin(self, identity: bytes | None = None) -> Any:
            sock = self.context.socket(zmq.DEALER)
            sock.linger = 1000
            if identity:
                sock.identity = identity
            if getattr(self, "curve_publickey", None) is not None:
                sock.curve_secretkey = self.curve_secretkey
                sock.curve_publickey = self.curve_publickey
                sock.curve_serverkey = self.curve_publickey
            self._stdin_monitor = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
            sock.connect(self._make_url("stdin"))
            return sock

        def stdin_connected(self, timeout: float) -> bool:
            """Wait up to ``timeout`` seconds for the stdin handshake; whether it happened."""
            deadline = time.monotonic() + timeout
            while not self._stdin_ready and self._stdin_monitor is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._stdin_monitor.poll(remaining * 1000):
                    return False
                event = recv_monitor_message(self._stdin_monitor)
                self._stdin_ready = event["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED
            self._close_monitor()
            return True

        def stop_channels(self) -> None:
            self._close_monitor()
            super().stop_channels()

        def _close_monitor(self) -> None:
            if self._stdin_monitor is not None:
                if self._stdin_channel is not None:
                    with contextlib.suppress(zmq.ZMQError):
                        self._stdin_channel.socket.disable_monitor()
                self._stdin_monitor.close(linger=0)
                self._stdin_monitor = None

    return JudgeClient()


@functools.cache
def _wire_bytecode() -> str:
    code = compile(WIRE_SOURCE, WIRE_FILENAME, "exec")
    return base64.b64encode(marshal.dumps(code)).decode("ascii")


def _wire_for(magic: object) -> dict[str, str]:
    """The wire for a kernel whose Python has bytecode ``magic``: compiled if it reads ours."""
    if magic == importlib.util.MAGIC_NUMBER.hex():
        return {"bytecode": _wire_bytecode()}
    return {"source": WIRE_SOURCE}


class JudgePeer(Peer):
    """The judge's peer: strict decoding, and a record of every protocol violation."""

    def __init__(self, exchange: Callable[[dict], dict]) -> None:
        super().__init__(exchange, trusted=True, judge_module=JUDGE_MODULE)
        self.violations: list[str] = []
        self.printed: list[tuple[str, str]] = []

    def decode(self, data: Any, depth: int = 0) -> Any:
        try:
            return super().decode(data, depth)
        except WireError as exc:
            self.violations.append(str(exc))
            raise
