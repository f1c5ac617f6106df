"""The wire between the judge (grader process) and the student's kernel: values and proxies.

The judge runs a test cell in the grader process; the student's objects stay in the kernel. This
module is the conversation between the two, and the same source runs on both sides (the judge
sends it to the kernel as text, so the kernel needs nothing installed). Each side is a
:class:`Peer`: it sends one message and receives one, strictly in turn, so a request may be
answered by a nested request first (a student function calling back a judge lambda).

What crosses the wire is JSON, never pickle:

- plain data by value: ``None``, bools, ints, floats (``nan``/``inf`` included), complex
  numbers, strings, lists, tuples, dicts, numpy arrays and scalars of numeric dtypes, torch
  tensors (as arrays of their dtype), sympy expressions (as text; the judge reads the text back
  with calclib's safe formula reader, never ``eval``);
- library functions and modules of numpy, math, cmath, sympy, torch and calclib as references
  (``numpy.sin``), sent by the judge only: each side uses its own copy;
- anything else as a handle: the receiver gets a :class:`Remote` proxy that forwards calls,
  attributes, indexing and arithmetic to the owner, one request per operation. Tensors that
  require grad are handles too (:class:`RemoteTensor`): their autograd graph stays in the kernel,
  where ``check_autograd`` reads it.

A round trip costs milliseconds on a busy machine, so the kernel's handles carry a snapshot of
their objects' plain instance attributes (``node.data``, ``node._prev``): the judge reads them
without asking until it sends a request that may run the student's code (a call, an operator, a
property), then renews the stale ones it has read in one round trip. The judge also tells the
kernel, when a cell ends, what it decided (for the notebook's ``progress()``), and mirrors the
test code's ``random.seed`` and calclib's quiet calls (warnings off) into the kernel, so that the
student's code behaves as if the test cell ran there.

The judge treats every message from the kernel as hostile data: sizes, depths and dtypes are
checked; the kernel may only reach judge objects it was handed, and only their public
(non-underscore) attributes when they belong to a library or to the test cell itself.

Example (both peers in one process, joined back to back)::

    >>> judge, kernel = pair()
    >>> kernel.share("double", lambda t: 2 * t)
    >>> judge.fetch("double")(21.0)
    42.0
"""

from __future__ import annotations

import builtins
import contextlib
import inspect
import json
import keyword
import math
import operator
import sys
import threading
from collections.abc import Callable
from typing import Any

PROTOCOL = "calclib-judge-1"
MAX_MESSAGE = 64 * 2**20  # characters of one JSON message
MAX_ITEMS = 2_000_000  # numbers in one value (about 16 MB of float64)
MAX_DEPTH = 40  # nesting of lists, tuples and dicts
MAX_TEXT = 100_000  # characters of a string, repr or error message
LIBRARY_ROOTS = ("numpy", "math", "cmath", "sympy", "torch", "calclib")
DTYPES = {
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
}
BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
    "matmul": operator.matmul,
}
UNARY = {"neg": operator.neg, "pos": operator.pos, "abs": operator.abs, "invert": operator.invert}
BUILTIN_ERRORS = {
    name: cls
    for name, cls in vars(builtins).items()
    if isinstance(cls, type) and issubclass(cls, Exception) and cls is not AssertionError
}
PARAMETER_KINDS = {kind.name: kind for kind in type(inspect.Parameter.POSITIONAL_ONLY)}
REGISTRY_MODULE = "calclib.checking.challenge"  # where the kernel's progress() reads results
SEEDERS = {"random": "random:seed", "numpy": "numpy.random:seed", "torch": "torch:manual_seed"}
SNAPSHOT_OBJECTS = 256  # objects per answer whose attributes travel with their handles
SNAPSHOT_ATTRIBUTES = 32  # attributes per object
REFRESHED_OBJECTS = 512  # snapshots renewed in one round trip
READS_ONLY = frozenset({"getattr", "snapshots"})  # requests that may leave the epoch as it is
RECORD_FIELDS = ("attempts", "failures", "passed", "earned", "total", "answered")


class WireError(Exception):
    """The other side broke the protocol (a malformed, oversized or unexpected message)."""


class RemoteError(Exception):
    """An exception raised on the other side, of a type this side does not know by name."""


class Remote:
    """A proxy for an object that lives on the other side; every use is one request.

    Arithmetic, indexing, attributes and conversions (``float``, ``len``, ``np.asarray``) are
    forwarded. Comparisons are not: ``==`` is identity of the handle and ``<`` raises, so an
    expected value is never sent to be compared on the other side.
    """

    __slots__ = ("_id", "_peer", "_session", "_snapshot", "_type")

    def __init__(self, peer: Peer, handle: int, type_name: str) -> None:
        object.__setattr__(self, "_peer", peer)
        object.__setattr__(self, "_id", handle)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_session", peer.session)
        # (epoch, {name: value}): the object's plain attributes as they were at that epoch
        object.__setattr__(self, "_snapshot", None)

    def _ask(self, op: str, **fields: Any) -> Any:
        if self._session != self._peer.session:
            raise RemoteError(
                f"this {self._type} object belonged to an earlier test cell's session; "
                "fetch it again in this cell"
            )
        return self._peer.request(op, target=self, **fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        peer = self._peer
        stale = self._snapshot
        if stale is not None and stale[0] != peer.epoch and name in stale[1]:
            peer.refresh(self)  # renew it, and those that came with it, in one round trip
        snapshot = self._snapshot
        if snapshot is not None and snapshot[0] == peer.epoch and name in snapshot[1]:
            peer.snapshot_readers[self._id] = self
            value = snapshot[1][name]  # nothing can have changed it since: no round trip
            return list(value) if type(value) is list else value
        return self._ask("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._ask("setattr", name=name, value=value)

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", key=key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._ask("setitem", key=key, value=value)

    def __len__(self) -> int:
        return _checked(self._ask("len"), int, "len()")

    def __iter__(self) -> Any:
        return iter(_checked(self._ask("list"), list, "iter()"))

    def __float__(self) -> float:
        return _checked(self._ask("float"), float, "float()")

    def __int__(self) -> int:
        return _checked(self._ask("int"), int, "int()")

    def __index__(self) -> int:
        return _checked(self._ask("index"), int, "an index")

    def __complex__(self) -> complex:
        return _checked(self._ask("complex"), complex, "complex()")

    def __bool__(self) -> bool:
        return _checked(self._ask("bool"), bool, "bool()")

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        value = self._ask("array")
        if not isinstance(value, np.ndarray):
            raise WireError(f"an array was asked for, {type(value).__name__} came back")
        return value if dtype is None else value.astype(dtype)

    def __str__(self) -> str:
        return _checked(self._ask("str"), str, "str()")

    def __repr__(self) -> str:
        return _checked(self._ask("repr"), str, "repr()")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec) if not spec else format(float(self), spec)

    def __hash__(self) -> int:
        return hash((id(self._peer), self._id))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Remote) and other._peer is self._peer and other._id == self._id

    def __ne__(self, other: object) -> bool:
        return not self == other

    def _refuse_order(self, other: object) -> bool:
        raise TypeError(
            f"a {self._type} object of the student's kernel is not compared directly by the "
            "judge: convert it first (float(x), np.asarray(x)) or pass it to a check_* function"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _refuse_order


def _binary(name: str, reflected: bool) -> Callable[[Remote, Any], Any]:
    def forward(self: Remote, other: Any) -> Any:
        left, right = (other, self) if reflected else (self, other)
        return self._peer.request("binop", name=name, left=left, right=right)

    return forward


for _name in BINARY:
    setattr(Remote, f"__{_name}__", _binary(_name, False))
    setattr(Remote, f"__r{_name}__", _binary(_name, True))
for _name in UNARY:
    setattr(Remote, f"__{_name}__", lambda self, _op=_name: self._ask("unop", name=_op))


class RemoteTensor(Remote):
    """A proxy for a torch tensor of the other side that takes part in autograd.

    calclib's ``check_autograd`` reads such a proxy as it reads a tensor (``stands_for_tensor``):
    ``requires_grad``, ``grad_fn`` (a proxy of the graph's node), ``grad``, ``numel()``, each
    one request, so the graph is examined where it was built.
    """

    __slots__ = ()
    stands_for_tensor = True


class RemoteFunction(Remote):
    """A proxy for a callable of the other side (a function, a class, a bound method)."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _numpy_silenced():  # a check calls it quietly: so does the other side
            return self._ask("call", args=list(args), kwargs=kwargs, quiet=True)
        return self._ask("call", args=list(args), kwargs=kwargs)

    def _source_text(self) -> str | None:
        """The function's source as the other side has it (``None`` when it has none)."""
        text = self._ask("source")
        return text if isinstance(text, str) else None

    @property
    def __signature__(self) -> inspect.Signature:
        described = self._ask("signature")
        try:
            return inspect.Signature(
                [
                    inspect.Parameter(
                        name, PARAMETER_KINDS[kind], default=0.0 if has_default else _EMPTY
                    )
                    for name, kind, has_default in described
                ]
            )
        except (TypeError, ValueError, KeyError) as exc:
            raise WireError(f"unreadable signature {str(described)[:200]!r}") from exc

    @property
    def __name__(self) -> str:
        return self._type


_EMPTY = inspect.Parameter.empty


def _checked(value: Any, kind: type, what: str) -> Any:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if kind is complex and isinstance(value, (int, float)) and not isinstance(value, bool):
        value, ok = complex(value), True
    if not ok:
        raise TypeError(f"{what} of the student's object gave {type(value).__name__}")
    return value


class Peer:
    """One side of the conversation: shares local objects as handles, proxies remote ones.

    Parameters
    ----------
    exchange : callable
        Sends one message (a dict) and returns the next message received.
    trusted : bool
        True on the judge's side: incoming values are checked strictly, sympy text is read
        with calclib's safe reader, and the other side may only touch public attributes of
        library objects and of objects defined by the test code (``judge_module``).
    judge_module : str
        The ``__module__`` of classes and functions the test code defines.
    """

    def __init__(
        self,
        exchange: Callable[[dict], dict],
        trusted: bool,
        judge_module: str = "calclib_judged_test",
    ) -> None:
        self.exchange = exchange
        self.trusted = trusted
        self.judge_module = judge_module
        self.objects: dict[int, Any] = {}
        self.session = 0
        self.namespace: dict[str, Any] = {}
        self.proxies: dict[int, Remote] = {}  # one proxy per remote object: `is` and id() hold
        # Counts the requests that may have run code on the other side: a snapshot of an
        # object's attributes holds only while the epoch it came with is the current one.
        self.epoch = 0
        self._snapshots_left = 0
        self._snapshot_level = 0
        self.snapshot_readers: dict[int, Remote] = {}  # proxies whose snapshots were read

    # ---- requests and service -------------------------------------------------------------

    def request(self, op: str, **fields: Any) -> Any:
        """Ask the other side to do ``op``; serve its nested requests until the answer comes."""
        message = {"t": "req", "op": op}
        arguments = {}
        for key, value in fields.items():
            message[key] = self.encode(value)
            if key == "args":
                arguments = dict(enumerate(value))
        outgoing = message
        if op not in READS_ONLY:
            self.epoch += 1  # the other side may run code from now on
        while True:
            incoming = self.exchange(outgoing)
            kind = incoming.get("t") if isinstance(incoming, dict) else None
            if kind == "ok":
                if op not in READS_ONLY or (op == "getattr" and incoming.get("pure") is not True):
                    self.epoch += 1  # snapshots in this answer are of the state after it
                result = self.decode(incoming.get("v"))
                self._write_back(arguments, incoming.get("wb", []))
                return result
            if kind == "err":
                error = self.error_from(incoming)
                if self.trusted:
                    _raise_at(error, str(incoming.get("line", ""))[:500], incoming.get("fn"))
                raise error
            if kind == "req":
                outgoing = self.serve(incoming)
                continue
            raise WireError(f"expected an answer, got {str(incoming)[:200]!r}")

    def refresh(self, proxy: Remote) -> None:
        """A new snapshot of ``proxy``, and of the proxies read from snapshots taken with its.

        One round trip instead of one per attribute read after a call changed the objects
        (``loss.backward()``, then ``p.grad`` for every parameter that came in one list).
        """
        taken = proxy._snapshot[0] if proxy._snapshot is not None else None
        stale = [proxy] + [
            other
            for other in self.snapshot_readers.values()
            if other is not proxy
            and other._snapshot is not None
            and other._snapshot[0] == taken
            and other._session == self.session
        ][: REFRESHED_OBJECTS - 1]
        object.__setattr__(proxy, "_snapshot", None)  # if the answer has none, ask each time
        with contextlib.suppress(RemoteError, TypeError, ValueError, AttributeError):
            self.request("snapshots", targets=stale)

    def serve(self, message: dict) -> dict:
        """Do what the other side asked; the reply message (a result or an error)."""
        try:
            op = message.get("op")
            handler = getattr(self, f"_op_{op}", None) if isinstance(op, str) else None
            if handler is None:
                raise WireError(f"unknown request {str(op)[:50]!r}")
            return handler(message)
        except Exception as exc:  # noqa: BLE001 - every failure goes back as an answer
            return self.error_message(exc)

    def error_message(self, exc: BaseException) -> dict:
        """The message that reports ``exc`` to the other side (type name, text, code line)."""
        try:
            text = str(exc)[:MAX_TEXT]
        except Exception:  # noqa: BLE001 - an exception whose str() fails
            text = "(its message could not be shown)"
        line, function = "", ""
        if not self.trusted:  # the kernel names the student's line; the judge names none of its
            line, function = _student_line(exc)
        name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
        return {
            "t": "err",
            "type": type(exc).__name__,
            "msg": text,
            "line": line[:500],
            "fn": function[:100],
            "n": name,
        }

    def error_from(self, message: dict) -> Exception:
        """The local exception for an error reported by the other side."""
        type_name = str(message.get("type", "Error"))[:100]
        text = str(message.get("msg", ""))[:MAX_TEXT]
        cls = BUILTIN_ERRORS.get(type_name)
        if cls is NameError:
            name = message.get("n")
            return NameError(text, name=name if isinstance(name, str) else None)
        if cls is not None:
            with contextlib.suppress(Exception):  # exception classes with other signatures
                return cls(text)
        error = RemoteError(text)
        error.remote_type = type_name if type_name.isidentifier() else "Error"
        return error

    # ---- what each request does -------------------------------------------------------------

    def _target(self, message: dict) -> Any:
        target = message.get("target")
        if self.trusted and not _is_ours(target):
            raise WireError("the kernel may only ask about objects the judge gave it")
        return self.decode(target)

    def _guard(self, obj: Any, name: Any) -> str:
        if not isinstance(name, str) or not name.isidentifier():
            raise AttributeError(f"{str(name)[:50]!r} is not an attribute name")
        if self.trusted:
            owner = type(obj).__module__ or ""
            allowed = owner.split(".")[0] in LIBRARY_ROOTS or owner == self.judge_module
            if name.startswith("__") or not allowed:
                raise AttributeError(f"the judge does not give out {type(obj).__name__}.{name}")
        return name

    def _op_get(self, message: dict) -> dict:
        name = message.get("name")
        if not isinstance(name, str) or name not in self.namespace:
            raise NameError(f"name {str(name)[:100]!r} is not defined", name=str(name)[:100])
        return self.ok(self.namespace[name])

    def _op_call(self, message: dict) -> dict:
        func = self._target(message)
        if not callable(func):
            raise TypeError(f"{type(func).__name__} object is not callable")
        args = self.decode(message.get("args", {"$": "list", "v": []}))
        kwargs = self.decode(message.get("kwargs", {"$": "dict", "v": []}))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise WireError("call arguments must be a list and a dict")
        before = [self.encode(arg) if _mutable_data(arg) else None for arg in args]
        with _quietly(message.get("quiet") is True):
            result = func(*args, **{str(k): v for k, v in kwargs.items()})
        changed = []
        for i, (arg, old) in enumerate(zip(args, before)):
            if old is not None:
                new = self.encode(arg)
                if new != old:
                    changed.append([i, new])
        reply = self.ok(result)
        if changed:
            reply["wb"] = changed
        return reply

    def _op_getattr(self, message: dict) -> dict:
        obj = self._target(message)
        name = self._guard(obj, message.get("name"))
        pure = not self.trusted and _instance_attribute(obj, name)
        reply = self.ok(getattr(obj, name))
        if pure:
            reply["pure"] = True  # read from the instance's __dict__: no code ran
        return reply

    def _op_setattr(self, message: dict) -> dict:
        obj = self._target(message)
        setattr(obj, self._guard(obj, message.get("name")), self.decode(message.get("value")))
        return self.ok(None)

    def _op_getitem(self, message: dict) -> dict:
        return self.ok(self._target(message)[self.decode(message.get("key"))])

    def _op_setitem(self, message: dict) -> dict:
        obj = self._target(message)
        obj[self.decode(message.get("key"))] = self.decode(message.get("value"))
        return self.ok(None)

    def _op_binop(self, message: dict) -> dict:
        func = BINARY.get(message.get("name"))
        if func is None:
            raise WireError(f"unknown operator {str(message.get('name'))[:20]!r}")
        left, right = message.get("left"), message.get("right")
        if self.trusted and not (_is_ours(left) or _is_ours(right)):
            # the judge computes nothing for the kernel but its own objects' operators
            raise WireError("the kernel may only ask about objects the judge gave it")
        return self.ok(func(self.decode(left), self.decode(right)))

    def _op_unop(self, message: dict) -> dict:
        func = UNARY.get(message.get("name"))
        if func is None:
            raise WireError(f"unknown operator {str(message.get('name'))[:20]!r}")
        return self.ok(func(self._target(message)))

    def _op_len(self, message: dict) -> dict:
        return self.ok(len(self._target(message)))

    def _op_list(self, message: dict) -> dict:
        items = []
        for item in self._target(message):
            items.append(item)
            if len(items) > MAX_ITEMS:
                raise ValueError(f"more than {MAX_ITEMS} items to iterate over")
        return self.ok(items)

    def _op_float(self, message: dict) -> dict:
        return self.ok(float(self._target(message)))

    def _op_int(self, message: dict) -> dict:
        return self.ok(int(self._target(message)))

    def _op_index(self, message: dict) -> dict:
        return self.ok(operator.index(self._target(message)))

    def _op_complex(self, message: dict) -> dict:
        return self.ok(complex(self._target(message)))

    def _op_bool(self, message: dict) -> dict:
        return self.ok(bool(self._target(message)))

    def _op_str(self, message: dict) -> dict:
        return self.ok(str(self._target(message))[:MAX_TEXT])

    def _op_repr(self, message: dict) -> dict:
        return self.ok(repr(self._target(message))[:MAX_TEXT])

    def _op_array(self, message: dict) -> dict:
        import numpy as np

        return self.ok(np.asarray(self._target(message)))

    def _op_signature(self, message: dict) -> dict:
        signature = inspect.signature(self._target(message))
        return self.ok(
            [
                [p.name, p.kind.name, p.default is not inspect.Parameter.empty]
                for p in signature.parameters.values()
            ]
        )

    def _op_seed(self, message: dict) -> dict:
        """Seed one of the kernel's random generators, as the test code seeded the judge's."""
        if self.trusted:
            raise WireError("the judge's generators are not seeded from the kernel")
        name, args = message.get("name"), self.decode(message.get("args", {"$": "list", "v": []}))
        if name not in SEEDERS or not isinstance(args, list) or len(args) > 2:
            raise WireError(f"no seeding function {str(name)[:50]!r}")
        module_name, _, function = SEEDERS[name].partition(":")
        import importlib

        getattr(importlib.import_module(module_name), function)(*args)
        return self.ok(None)

    def _op_snapshots(self, message: dict) -> dict:
        """The targets again, with fresh snapshots of their attributes (not of theirs)."""
        if self.trusted:
            raise WireError("the judge's objects have no snapshots")
        targets = message.get("targets")
        if not (type(targets) is dict and type(targets.get("v")) is list):
            raise WireError("snapshots of a list of objects")
        if len(targets["v"]) > REFRESHED_OBJECTS or not all(map(_is_ours, targets["v"])):
            raise WireError("snapshots only of the kernel's objects, at most a few hundred")
        self._snapshot_level = 1  # the targets get snapshots, the objects they hold do not
        try:
            return self.ok(self.decode(targets))
        finally:
            self._snapshot_level = 0

    def _op_source(self, message: dict) -> dict:
        """A function's source text (the kernel's; the judge gives out none of its own)."""
        if self.trusted:
            raise WireError("the judge does not give out source")
        try:
            return self.ok(inspect.getsource(self._target(message))[:MAX_TEXT])
        except (OSError, TypeError):  # a builtin, a lambda typed at a prompt, a class instance
            return self.ok(None)

    def _op_observe(self, message: dict) -> dict:
        """The object as plain data if it converts (an array, a float, a list), else itself."""
        obj = self._target(message)
        return self.ok(observe(obj))

    def ok(self, value: Any) -> dict:
        """The reply message carrying ``value``.

        From the kernel, the objects it hands out as handles carry a snapshot of their plain
        attributes (at most :data:`SNAPSHOT_OBJECTS` of them, and the objects those attributes
        hold, but no deeper), so that reading ``node.data`` or ``node._prev[0].grad`` costs the
        judge no round trip.
        """
        self._snapshots_left = 0 if self.trusted else SNAPSHOT_OBJECTS
        try:
            return {"t": "ok", "v": self.encode(value)}
        finally:
            self._snapshots_left = 0

    def _write_back(self, arguments: dict[int, Any], changes: Any) -> None:
        """Copy in-place changes the other side made to array and list arguments."""
        if not arguments or not isinstance(changes, list):
            return
        import numpy as np

        for change in changes[: len(arguments)]:
            if not (isinstance(change, list) and len(change) == 2 and change[0] in arguments):
                raise WireError("malformed write-back")
            original, new = arguments[change[0]], self.decode(change[1])
            if isinstance(original, np.ndarray) and isinstance(new, np.ndarray):
                if new.shape == original.shape:
                    original[...] = new
            elif type(original) is list and type(new) is list:
                original[:] = new

    # ---- values -----------------------------------------------------------------------------

    def share(self, name: str, value: Any) -> None:
        """Make ``value`` fetchable by the other side under ``name`` (tests, the kernel agent)."""
        self.namespace[name] = value

    def fetch(self, name: str) -> Any:
        """The other side's object called ``name``: plain data, or a proxy."""
        return self.request("get", name=name)

    def handle_of(self, obj: Any) -> dict:
        """Share ``obj`` as a handle (kept alive until the session ends)."""
        key = id(obj)
        self.objects[key] = obj
        kind = "f" if callable(obj) else "t" if _in_autograd(obj) else "o"
        try:
            type_name = str(getattr(type(obj), "__name__", "object"))[:100]
        except Exception:  # noqa: BLE001 - a metaclass whose __name__ fails
            type_name = "object"
        if kind == "f":
            with contextlib.suppress(Exception):  # a __getattr__ that raises
                type_name = str(getattr(obj, "__name__", type_name))[:100]
        return {"$": "ref", "id": key, "k": kind, "n": type_name}

    def encode(self, obj: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
        """``obj`` as JSON-ready data: by value when it is plain data, else as a handle."""
        budget = [MAX_ITEMS] if budget is None else budget
        budget[0] -= 1
        if budget[0] < 0:
            raise ValueError(f"a value with more than {MAX_ITEMS} items cannot be sent")
        if depth > MAX_DEPTH:
            raise ValueError(f"a value nested more than {MAX_DEPTH} levels cannot be sent")
        kind = type(obj)
        if obj is None or kind in (bool, int, float):
            if kind is int and obj.bit_length() > 4000:
                return {"$": "float", "v": float("inf") if obj > 0 else float("-inf")}
            return obj
        if kind is str:
            return obj if len(obj) <= MAX_TEXT * 10 else obj[: MAX_TEXT * 10]
        if kind is complex:
            return {"$": "complex", "v": [obj.real, obj.imag]}
        if kind in (list, tuple):
            items = [self.encode(item, depth + 1, budget) for item in obj]
            return {"$": "list" if kind is list else "tuple", "v": items}
        if kind is dict:
            pairs = [
                [self.encode(k, depth + 1, budget), self.encode(v, depth + 1, budget)]
                for k, v in obj.items()
            ]
            return {"$": "dict", "v": pairs}
        if isinstance(obj, Remote) and obj._peer is self and obj._session == self.session:
            return {"$": "yours", "id": obj._id}
        if not self.trusted and _in_autograd(obj):
            return self.handle_of(obj)  # its graph stays in the kernel: grad_fn, is_leaf, .grad
        numeric = _encode_numeric(obj, budget)
        if numeric is not None:
            return numeric
        sympy = sys.modules.get("sympy")
        if sympy is not None and issubclass(kind, sympy.Basic):
            with contextlib.suppress(Exception):  # a printer that fails: send a handle instead
                return {"$": "sympy", "v": str(obj)[: MAX_TEXT * 10]}
        if self.trusted:
            reference = library_reference(obj)
            if reference is not None:
                return {"$": "lib", "v": reference}
        reference = self.handle_of(obj)
        if self._snapshots_left > 0 and reference["k"] == "o" and self._snapshot_level < 2:
            self._snapshots_left -= 1
            self._snapshot_level += 1  # an object's handles get snapshots, theirs do not
            try:
                attributes = self._snapshot(obj, depth, budget)
            finally:
                self._snapshot_level -= 1
            if attributes:
                reference["a"] = attributes
        return reference

    def _snapshot(self, obj: Any, depth: int, budget: list[int]) -> dict | None:
        """``obj``'s instance attributes that read without running code, encoded."""
        try:
            cls = type(obj)
            if cls.__getattribute__ is not object.__getattribute__:
                return None
            attributes = object.__getattribute__(obj, "__dict__")
            if type(attributes) is not dict:
                return None
            on_class = set().union(*(vars(k) for k in cls.__mro__))
        except Exception:  # noqa: BLE001 - no __dict__, a strange class: no snapshot
            return None
        found = {}
        for name, value in list(attributes.items())[:SNAPSHOT_ATTRIBUTES]:
            readable = type(name) is str and not name.startswith("__") and name not in on_class
            if readable and _snapshot_value(value):
                found[name] = self.encode(value, depth + 1, budget)
        return found

    def decode(self, data: Any, depth: int = 0) -> Any:
        """The local value for ``data`` received from the other side."""
        if depth > MAX_DEPTH + 2:
            raise WireError("value nested too deeply")
        if data is None or type(data) in (bool, int, float, str):
            return data
        if type(data) is not dict or "$" not in data:
            raise WireError(f"unreadable value {str(data)[:100]!r}")
        tag, value = data["$"], data.get("v")
        if tag in ("list", "tuple"):
            if type(value) is not list:
                raise WireError("a list must carry a list")
            items = [self.decode(item, depth + 1) for item in value]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            if type(value) is not list:
                raise WireError("a dict must carry a list of pairs")
            result = {}
            for pair in value:
                if type(pair) is not list or len(pair) != 2:
                    raise WireError("a dict item must be a [key, value] pair")
                key = self.decode(pair[0], depth + 1)
                try:
                    result[key] = self.decode(pair[1], depth + 1)
                except TypeError as exc:
                    raise WireError(f"unusable dict key {str(key)[:50]!r}") from exc
            return result
        if tag == "float" and type(value) in (int, float):
            return float(value)
        if tag == "complex" and type(value) is list and len(value) == 2 and _numbers(value):
            return complex(value[0], value[1])
        if tag in ("array", "tensor"):
            return _decode_numeric(data, tag)
        if tag == "sympy" and type(value) is str:
            return self._decode_formula(value)
        if tag == "ref" and type(data.get("id")) is int:
            proxy = self.proxies.get(data["id"])
            if proxy is None:
                cls = {"f": RemoteFunction, "t": RemoteTensor}.get(data.get("k"), Remote)
                proxy = cls(self, data["id"], str(data.get("n", "object"))[:100])
                self.proxies[data["id"]] = proxy
            if "a" in data and self.trusted:
                attributes = data["a"]
                if type(attributes) is not dict or not all(type(k) is str for k in attributes):
                    raise WireError("a snapshot must map attribute names to values")
                decoded = {k: self.decode(v, depth + 1) for k, v in attributes.items()}
                object.__setattr__(proxy, "_snapshot", (self.epoch, decoded))
            return proxy
        if tag == "yours" and type(data.get("id")) is int:
            if data["id"] not in self.objects:
                raise WireError("a handle this side never gave out")
            return self.objects[data["id"]]
        if tag == "lib" and type(value) is str and not self.trusted:
            return resolve_library(value)
        raise WireError(f"unreadable value of kind {str(tag)[:30]!r}")

    def _decode_formula(self, text: str) -> Any:
        if not self.trusted:
            import sympy

            return sympy.sympify(text)
        from calclib.checking.failures import CheckFailure
        from calclib.checking.formulas import parse_formula

        try:
            return parse_formula(text, "the value")
        except CheckFailure:
            return (
                text  # not a formula calclib reads: the checks see the text as the student wrote it
            )


def _student_line(exc: BaseException) -> tuple[str, str]:
    """The last line of ``exc``'s traceback in the notebook's code, and its function's name."""
    import linecache

    libraries = (*{sys.prefix, sys.base_prefix, sys.exec_prefix}, "<")
    line, function = "", ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(libraries):
            text = linecache.getline(filename, tb.tb_lineno).strip()
            if text:
                line, function = text, tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    return line, function


def _is_ours(data: Any) -> bool:
    """Whether ``data`` (as received) names an object of the receiving side."""
    return isinstance(data, dict) and data.get("$") == "yours"


def _in_autograd(obj: Any) -> bool:
    """A torch tensor that requires grad (its autograd graph cannot travel as numbers)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.Tensor) and bool(obj.requires_grad)


def _numpy_silenced() -> bool:
    """Whether numpy's floating-point warnings are all off here (calclib's ``quietly``)."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and set(numpy.geterr().values()) == {"ignore"}


@contextlib.contextmanager
def _quietly(on: bool) -> Any:
    """Python's and numpy's warnings off while ``on`` (as calclib's ``quietly`` calls)."""
    if not on:
        yield
        return
    import warnings

    numpy = sys.modules.get("numpy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with numpy.errstate(all="ignore") if numpy is not None else contextlib.nullcontext():
            yield


def _instance_attribute(obj: Any, name: str) -> bool:
    """Whether ``obj.name`` reads straight from the instance's ``__dict__`` (runs no code)."""
    try:
        cls = type(obj)
        if cls.__getattribute__ is not object.__getattribute__:
            return False
        if any(name in vars(k) for k in cls.__mro__):
            return False
        attributes = object.__getattribute__(obj, "__dict__")
        return type(attributes) is dict and name in attributes
    except Exception:  # noqa: BLE001 - no __dict__, a strange class
        return False


def _opaque(value: Any) -> bool:
    """Whether ``value`` would travel as a handle (not as data that may be large)."""
    kind = type(value)
    if value is None or kind in (bool, int, float, complex, str, bytes, bytearray):
        return False
    if kind in (list, tuple, dict, set, frozenset):
        return False
    module = getattr(kind, "__module__", "") or ""
    return module.split(".")[0] not in ("numpy", "torch", "sympy")


def _snapshot_value(value: Any) -> bool:
    """Small enough for a snapshot: a number, a short text, a handle, a short tuple of those."""
    kind = type(value)
    if value is None or kind in (bool, float) or (kind is str and len(value) <= 200):
        return True
    if kind is int:
        return value.bit_length() < 64
    if kind in (tuple, list):
        return len(value) <= 64 and all(
            item is None or type(item) in (bool, float) or _opaque(item) for item in value
        )
    return _opaque(value)


def _numbers(values: list) -> bool:
    return all(type(v) in (int, float) for v in values)


def _mutable_data(obj: Any) -> bool:
    numpy = sys.modules.get("numpy")
    return type(obj) is list or (numpy is not None and type(obj) is numpy.ndarray)


def _encode_numeric(obj: Any, budget: list[int]) -> dict | None:
    numpy = sys.modules.get("numpy")
    torch = sys.modules.get("torch")
    kind = type(obj)
    tag, autograd = "array", {}
    if torch is not None and issubclass(kind, torch.Tensor):
        try:
            if obj.requires_grad:  # a tensor's place in autograd, which checks may look at
                autograd = {"rg": True, "leaf": bool(obj.is_leaf)}
                if obj.is_leaf and obj.grad is not None:
                    autograd["g"] = obj.grad.detach().cpu().numpy().tolist()
            obj, tag = obj.detach().cpu().resolve_conj().numpy(), "tensor"
        except Exception:  # noqa: BLE001 - a dtype numpy lacks (bfloat16), a sparse tensor
            return None
        kind = type(obj)
    if numpy is None or not issubclass(kind, (numpy.ndarray, numpy.generic)):
        return None
    array = numpy.asarray(obj)
    if array.dtype.name not in DTYPES:
        return None
    budget[0] -= array.size
    if budget[0] < 0:
        raise ValueError(f"an array with more than {MAX_ITEMS} numbers cannot be sent")
    flat = array.ravel()
    if array.dtype.kind == "c":
        values: Any = [flat.real.tolist(), flat.imag.tolist()]
    else:
        values = flat.tolist()
    scalar = issubclass(kind, numpy.generic)
    shape = list(array.shape)
    return {"$": tag, "d": array.dtype.name, "s": shape, "v": values, "sc": scalar, **autograd}


def _tensor(torch: Any, array: Any, data: dict) -> Any:
    """The tensor for ``array``, a leaf or not, with its gradient, as the other side had it."""
    tensor = torch.from_numpy(array.copy())
    if data.get("rg") is not True or not tensor.is_floating_point():
        return tensor
    tensor.requires_grad_(True)
    if data.get("leaf") is False:
        return tensor * 1  # computed from a leaf, as the other side's was
    grad = data.get("g")
    if isinstance(grad, list):
        import numpy as np

        try:
            tensor.grad = torch.from_numpy(np.array(grad, dtype=array.dtype).reshape(array.shape))
        except (ValueError, TypeError, RuntimeError) as exc:
            raise WireError(f"unreadable gradient: {exc}") from exc
    return tensor


def _raise_at(error: BaseException, line: str, function: Any = None) -> None:
    """Raise ``error`` from a frame that shows ``line``, the student's code that raised it.

    calclib's checks name the last line of the student's code in a traceback ("Where"); the
    error happened in the kernel, so that line is given one here, in a file of its own.
    """
    if not line:
        return
    import hashlib
    import linecache

    filename = f"<your code {hashlib.sha256(line.encode()).hexdigest()[:12]}>"
    named = (
        isinstance(function, str) and function.isidentifier() and not keyword.iskeyword(function)
    )
    source = [f"def {function}(): raise error\n", line + "\n"] if named else [line + "\n"]
    linecache.cache[filename] = (len(line), None, source, filename)
    code = "def {0}():\n    raise error\n{0}()" if named else "raise error"
    exec(compile(code.format(function), filename, "exec"), {"error": error})  # noqa: S102


def _decode_numeric(data: dict, tag: str) -> Any:
    import numpy as np

    dtype, shape, values = data.get("d"), data.get("s"), data.get("v")
    if dtype not in DTYPES or type(shape) is not list or type(values) is not list:
        raise WireError("an array needs a known dtype, a shape and values")
    if not all(type(n) is int and 0 <= n <= MAX_ITEMS for n in shape) or len(shape) > 32:
        raise WireError(f"bad array shape {str(shape)[:100]}")
    size = math.prod(shape)
    if size > MAX_ITEMS:
        raise WireError("array too large")
    try:
        if dtype.startswith("complex"):
            if len(values) != 2 or len(values[0]) != size or len(values[1]) != size:
                raise WireError("a complex array needs real and imaginary parts of its size")
            array = np.array(values[0], dtype=float) + 1j * np.array(values[1], dtype=float)
            array = array.astype(dtype)
        else:
            if len(values) != size or not all(type(v) in (int, float, bool) for v in values):
                raise WireError("array values must be numbers, as many as its shape says")
            array = np.array(values, dtype=dtype)
        array = array.reshape(shape)
    except (ValueError, TypeError, OverflowError) as exc:
        raise WireError(f"unreadable array: {exc}") from exc
    if tag == "tensor":
        torch = sys.modules.get("torch")
        if torch is not None:
            return _tensor(torch, array, data)
    if data.get("sc") is True and array.ndim == 0:
        return array[()]
    return array


def library_reference(obj: Any) -> str | None:
    """``"numpy:sin"`` for a module or library function/class the other side can import itself.

    Examples
    --------
    >>> import math
    >>> library_reference(math.cos), library_reference(lambda t: t)
    ('math:cos', None)
    """
    if type(obj).__name__ == "module":
        name = getattr(obj, "__name__", "")
        return name if isinstance(name, str) and name.split(".")[0] in LIBRARY_ROOTS else None
    if not (callable(obj) and (inspect.isroutine(obj) or isinstance(obj, type) or _is_ufunc(obj))):
        return None
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not (isinstance(module, str) and isinstance(name, str)):
        return None
    if module.split(".")[0] not in LIBRARY_ROOTS or "<" in name:
        return None
    try:
        if resolve_library(f"{module}:{name}") is not obj:
            return None
    except Exception:  # noqa: BLE001 - not importable under that name
        return None
    return f"{module}:{name}"


def _is_ufunc(obj: Any) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(obj, numpy.ufunc)


def resolve_library(reference: str) -> Any:
    """The object named ``module:qualified.name`` (or a module name), imported on this side."""
    import importlib

    module_name, _, name = reference.partition(":")
    if module_name.split(".")[0] not in LIBRARY_ROOTS:
        raise WireError(f"{module_name[:60]!r} is not a library the judge shares")
    obj = importlib.import_module(module_name)
    for part in name.split(".") if name else []:
        obj = getattr(obj, part)
    return obj


def observe(obj: Any) -> Any:
    """``obj`` converted to plain data the way a check would read it, when it converts.

    Tries, in order: a numeric array (anything numpy can turn into one), a float, a list.
    Returns ``obj`` itself when none applies.
    """
    numpy = sys.modules.get("numpy")
    if _in_autograd(obj):
        obj = obj.detach()
    if type(obj) in (list, tuple):
        return type(obj)(observe(item) for item in obj)
    if type(obj) is dict:
        return {key: observe(value) for key, value in obj.items()}
    if numpy is not None:
        with contextlib.suppress(Exception):  # not array-like
            array = numpy.asarray(obj)
            if array.dtype.name in DTYPES:
                return array[()] if array.ndim == 0 else array
    for convert in (float, list):
        with contextlib.suppress(Exception):  # not convertible this way
            return convert(obj)
    return obj


def pair() -> tuple[Peer, Peer]:
    """A judge peer and a kernel peer joined back to back in one process (for tests).

    The kernel side runs in a thread; messages go through JSON text both ways, as on the wire.
    """
    import queue

    to_kernel: queue.Queue = queue.Queue()
    to_judge: queue.Queue = queue.Queue()

    def judge_exchange(message: dict) -> dict:
        to_kernel.put(json.dumps(message))
        return json.loads(to_judge.get(timeout=30))

    def kernel_exchange(message: dict) -> dict:
        to_judge.put(json.dumps(message))
        return json.loads(to_kernel.get())

    judge = Peer(judge_exchange, trusted=True)
    kernel = Peer(kernel_exchange, trusted=False)

    def serve_forever() -> None:
        message = json.loads(to_kernel.get())
        while message.get("t") == "req":
            message = kernel_exchange(kernel.serve(message))

    threading.Thread(target=serve_forever, daemon=True).start()
    return judge, kernel


def serve_kernel(namespace: dict, nonce: str) -> None:
    """The kernel's side of one judged test cell: answer the judge until it says goodbye.

    Runs in the student's kernel (sent there as source by the judge); its messages travel as
    the prompt of ``input()`` and the judge's as the reply.
    """

    def exchange(message: dict) -> dict:
        text = input(json.dumps(message, allow_nan=True))
        return json.loads(text)

    kernel = Peer(exchange, trusted=False)
    kernel.namespace = namespace
    message = exchange({"t": "hello", "protocol": PROTOCOL, "nonce": nonce})
    while isinstance(message, dict) and message.get("t") == "req":
        message = exchange(kernel.serve(message))
    if isinstance(message, dict) and message.get("t") == "bye":
        remember(message.get("records"))


def remember(records: Any) -> None:
    """Write the judge's results into the kernel's challenge registry, for ``progress()``.

    Runs in the student's kernel after a judged test cell. The grades come from the judge's
    verdict alone; this only lets the notebook's ``progress()`` table show what was judged.
    Nothing happens when the notebook never imported calclib's checker.
    """
    registry = sys.modules.get(REGISTRY_MODULE)
    if registry is None or not isinstance(records, list):
        return
    for fields in records:
        if isinstance(fields, dict) and isinstance(fields.get("challenge_id"), str):
            record = registry.record(fields["challenge_id"])
            for name in RECORD_FIELDS:
                if name in fields:
                    setattr(record, name, fields[name])
