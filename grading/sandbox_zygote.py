"""The warm way to start grading kernels: a zygote that forks each one into its own world.

A new kernel costs ~0.55 s to start and ~0.75 s more to import pyplot, sympy and ipywidgets (torch
adds 1.1–1.3 s). The zygote pays that once: it is one process per machine (shared by its grading
workers) that imports numpy, matplotlib, sympy, ipywidgets, calclib, ipykernel and, when the
lessons graded use it, torch; starts no thread; and then forks one kernel per submission. Each
fork builds the same world as the cold bubblewrap kernel of :mod:`grading.sandbox`, with system
calls (the zygote runs as root):

    zygote (root, host namespaces, listening on a socket in a root-only folder)
      └─ keeper: joins the kernel's cgroups, unshares mount/PID/net/IPC/UTS/cgroup namespaces
           └─ init (PID 1 of the new namespace): builds a tmpfs root, pivots into it, reaps
                └─ kernel (PID 2): drops to an unprivileged uid, no new privileges, rlimits,
                   clean environment, then runs ipykernel in this already-warm interpreter

The keeper dies with the zygote, init dies with the keeper, and every process of the namespace
dies with init: killing the keeper ends the whole tree. Nothing of the zygote reaches the kernel:
its file descriptors are closed, its socket's folder is not mounted in the kernel's root, and the
kernel has no network namespace in common with it.

Protocol (one Unix stream connection per kernel, one JSON object per line): the client sends the
launch request (see :class:`LaunchRequest`), the zygote answers ``{"pid": <keeper pid>}``, later
``{"exit": <status>}`` when the kernel is gone; the client closing the connection (or sending
anything) kills the kernel.

Run it as ``python -m grading.sandbox_zygote <socket path> [torch]`` (the optional modules to
warm follow the path) with a pipe on stdin; :mod:`grading.kernels` does. It serves until that pipe closes (the grader exited), then kills its
kernels and exits.

Example
-------
>>> request = LaunchRequest(runtime="/r", uid=2000001, argv=["-f", "/r/kernel.json"])
>>> LaunchRequest.from_json(request.to_json()) == request
True
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import platform
import selectors
import signal
import socket
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
# No tty: a kernel must never reach a terminal (TIOCSTI types into the instructor's shell).
DEVICES = ("null", "zero", "full", "random", "urandom")

_libc = ctypes.CDLL(None, use_errno=True)


@dataclass
class LaunchRequest:
    """What one kernel needs: where its sockets go, who it runs as, what it sees and may use.

    Attributes
    ----------
    runtime : str
        Its runtime folder (connection file, sockets), bound at the same path.
    uid : int
        The unprivileged uid (and gid) it runs as.
    argv : list of str
        ipykernel's arguments (``-f <connection file>`` …).
    env : dict
        Its whole environment.
    readonly : list of str
        Host paths it sees read-only at the same place.
    symlinks : dict
        Top-level links to recreate (``/bin -> usr/bin``).
    data_files : dict
        {name in the working folder: host file}, read-only.
    cgroup_procs : list of str
        ``cgroup.procs`` files to join (empty: none).
    rlimits : dict
        {RLIMIT_* number: value}.
    tmpfs_bytes : int
        Size of each scratch tmpfs.
    home, work : str
        Its scratch home and working folder.
    """

    runtime: str
    uid: int
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    readonly: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)
    data_files: dict[str, str] = field(default_factory=dict)
    cgroup_procs: list[str] = field(default_factory=list)
    rlimits: dict[int, int] = field(default_factory=dict)
    tmpfs_bytes: int = 256 * 2**20
    home: str = "/home/student"
    work: str = "/home/student/work"

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> LaunchRequest:
        fields = json.loads(text)
        fields["rlimits"] = {int(k): int(v) for k, v in fields.get("rlimits", {}).items()}
        return cls(**fields)


# ---------------------------------------------------------------------------------------------
# System calls (the zygote runs as root)


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _unshare(flags: int) -> None:
    _call(_libc.unshare(flags), "unshare")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    encode = lambda text: text.encode() if text is not None else None
    result = _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data))
    _call(result, f"mount {source} on {target}")


def _prctl(option: int, value: int) -> None:
    _call(_libc.prctl(option, value, 0, 0, 0), "prctl")


def _pivot_root_here() -> None:
    """Make the current folder the root and detach the old one (pivot_root(2)'s "." trick)."""
    number = SYS_PIVOT_ROOT[platform.machine()]
    _call(_libc.syscall(number, b".", b"."), "pivot_root")
    _call(_libc.umount2(b".", MNT_DETACH), "umount old root")
    os.chdir("/")


def _bind(host: str, inside: str, readonly: bool) -> None:
    """Bind ``host`` at ``inside`` (created as a file or folder first), read-only if asked."""
    if os.path.isdir(host):
        os.makedirs(inside, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(inside), exist_ok=True)
        open(inside, "a").close()
    _mount(host, inside, None, MS_BIND)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (MS_RDONLY if readonly else 0)
    if not host.startswith("/dev/"):
        flags |= MS_NODEV
    _mount(None, inside, None, flags)


def _tmpfs(inside: str, size: int, mode: str = "755") -> None:
    os.makedirs(inside, exist_ok=True)
    _mount("tmpfs", inside, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")


def mount_runtime(folder: str, uid: int, size: int = 2**20) -> None:
    """Mount a small tmpfs owned by ``uid`` on a kernel's runtime folder (root only).

    The kernel must create its sockets there, so it can write there: a tmpfs of its own keeps
    what it writes off the host's disk and out of every other kernel's way.
    """
    options = f"size={size},mode=700,uid={uid},gid={uid}"
    _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options)


def unmount(folder: str) -> None:
    """Detach the mount on ``folder``."""
    _call(_libc.umount2(folder.encode(), MNT_DETACH), f"umount {folder}")


# ---------------------------------------------------------------------------------------------
# The three generations below the zygote


def build_root(request: LaunchRequest, new_root: str) -> None:
    """Build the kernel's file system on a tmpfs at ``new_root`` and pivot into it.

    Runs as PID 1 of the new PID namespace, in a private mount namespace.
    """
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _tmpfs(new_root, 16 * 2**20)
    inside = lambda path: new_root + path
    # The private /tmp, /run and home come first, so that a read-only bind beneath one of them
    # (a clone and its venv under /tmp, say) is mounted on top of the tmpfs, not hidden by it.
    _tmpfs(inside("/tmp"), request.tmpfs_bytes, mode="1777")
    for folder in ("/run", request.home):
        _tmpfs(inside(folder), request.tmpfs_bytes)
    for path in request.readonly:
        _bind(path, inside(path), readonly=True)
    for link, target in request.symlinks.items():
        os.symlink(target, inside(link))
    os.makedirs(inside("/proc"))
    _mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _tmpfs(inside("/dev"), 2**20)
    for device in DEVICES:
        _bind(f"/dev/{device}", inside(f"/dev/{device}"), readonly=False)
    for name, target in {"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0"}.items():
        os.symlink(target, inside(f"/dev/{name}"))
    os.symlink("/proc/self/fd/1", inside("/dev/stdout"))
    os.symlink("/proc/self/fd/2", inside("/dev/stderr"))
    _tmpfs(inside("/dev/shm"), request.tmpfs_bytes, mode="1777")
    os.makedirs(inside(request.work), exist_ok=True)
    for folder in (request.home, request.work):
        os.chown(inside(folder), request.uid, request.uid)
    for name, host in request.data_files.items():
        _bind(host, inside(f"{request.work}/{name}"), readonly=True)
    _bind(request.runtime, inside(request.runtime), readonly=False)
    os.chdir(new_root)
    _pivot_root_here()
    _mount(None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def become_kernel(request: LaunchRequest) -> None:
    """In the new world: drop every privilege, then run ipykernel here (never returns)."""
    import random
    import resource

    os.setgroups([])
    os.setresgid(request.uid, request.uid, request.uid)
    os.setresuid(request.uid, request.uid, request.uid)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    for which, value in request.rlimits.items():
        resource.setrlimit(which, (value, value))
    os.environ.clear()
    os.environ.update(request.env)
    os.chdir(request.work)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    # A cold kernel seeds its generators from the system; so do the forks (not the zygote's).
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "matplotlib" in sys.modules and "MPLBACKEND" in request.env:
        sys.modules["matplotlib"].rcParams["backend"] = request.env["MPLBACKEND"]
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = ["ipykernel_launcher", *request.argv]
    try:
        IPKernelApp.launch_instance(argv=request.argv)
    finally:
        os._exit(0)


def _init(request: LaunchRequest) -> None:
    """PID 1 of the kernel's namespace: build the world, fork the kernel, reap until it exits."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    status = 70
    try:
        build_root(request, f"{request.runtime}.root")
        _call(_libc.sethostname(b"grading", 7), "sethostname")
        kernel = os.fork()
        if kernel == 0:
            become_kernel(request)
        while True:
            pid, wait_status = os.wait()
            if pid == kernel:
                status = os.waitstatus_to_exitcode(wait_status)
                break
    except BaseException as error:  # noqa: BLE001 - a forked child must never return to the zygote loop
        print(f"grading kernel setup failed: {error}", file=sys.stderr, flush=True)
    os._exit(status if 0 <= status < 256 else 128 - status)


def _keeper(request: LaunchRequest) -> None:
    """The zygote's child: join the cgroups, enter new namespaces, and wait for their init."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()  # a session of its own, without a controlling terminal
    status = 70
    try:
        for procs in request.cgroup_procs:
            Path(procs).write_text(str(os.getpid()))
        _unshare(
            CLONE_NEWNS
            | CLONE_NEWPID
            | CLONE_NEWNET
            | CLONE_NEWIPC
            | CLONE_NEWUTS
            | CLONE_NEWCGROUP
        )
        init = os.fork()
        if init == 0:
            _init(request)
        _, wait_status = os.waitpid(init, 0)
        status = os.waitstatus_to_exitcode(wait_status)
    except BaseException as error:  # noqa: BLE001 - a forked child must never return to the zygote loop
        print(f"grading kernel setup failed: {error}", file=sys.stderr, flush=True)
    os._exit(status if 0 <= status < 256 else 128 - status)


# ---------------------------------------------------------------------------------------------
# The zygote itself


WARM_MODULES = (
    "numpy",
    "sympy",
    "matplotlib",
    "matplotlib.pyplot",
    "ipywidgets",
    "tqdm.auto",
    "calclib",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # imports debugpy: 0.4 s of every kernel's start
    # What the kernel's own start imports (measured: IPKernelApp.initialize in a warm process).
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.extensions.storemagic",
    "psutil",
    "sqlite3",
    "tornado.platform.asyncio",
    "grading.sandbox_figures",
    # What the lessons' own code imports on first use (measured: every module a lesson's run
    # added to a warm interpreter): sympy's simplify, limit, integrate and sets, contour plots.
    "contourpy",
    "encodings.unicode_escape",
    "multiprocessing.synchronize",
    "sympy.assumptions.wrapper",
    "sympy.integrals.heurisch",
    "sympy.integrals.manualintegrate",
    "sympy.integrals.prde",
    "sympy.integrals.rde",
    "sympy.integrals.risch",
    "sympy.physics.matrices",
    "sympy.physics.units",
    "sympy.polys.domains.old_fractionfield",
    "sympy.polys.domains.old_polynomialring",
    "sympy.polys.polymatrix",
    "sympy.sets.handlers.functions",
    "sympy.sets.handlers.issubset",
    "sympy.sets.setexpr",
)


OPTIONAL_WARM_MODULES = ("torch",)
"""Warmed only for lessons that import them (all of them when nobody says which lessons): torch
alone doubles the warm-up, and lessons 00-03 and 07 never import it."""


def warm_up(optional: tuple[str, ...] = OPTIONAL_WARM_MODULES) -> list[str]:
    """Import the kernel's libraries (and every calclib module) once; return what was imported.

    ``optional``: which of :data:`OPTIONAL_WARM_MODULES` to import too. No thread may be running
    afterwards: a fork copies only the calling thread.
    """
    import importlib
    import pkgutil
    import threading

    unknown = set(optional) - set(OPTIONAL_WARM_MODULES)
    if unknown:
        raise ValueError(f"not optional warm modules: {sorted(unknown)}")
    for name in (*WARM_MODULES, *optional):
        importlib.import_module(name)
    import calclib

    for module in pkgutil.walk_packages(calclib.__path__, "calclib."):
        importlib.import_module(module.name)
    # Load fonts, mathtext and Agg now, not in every kernel (no pyplot state is touched).
    from io import BytesIO

    import sympy
    from matplotlib.figure import Figure

    figure = Figure()
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], label="$x^2$")
    axes.legend()
    axes.set_title("warm-up")
    figure.savefig(BytesIO(), format="png")
    sympy.lambdify(sympy.Symbol("x"), sympy.sympify("3*x**2 - 4*x"))(1.0)
    threads = len(os.listdir("/proc/self/task"))
    if threading.active_count() != 1 or threads != 1:
        raise RuntimeError(f"the zygote must not run threads before forking; it runs {threads}")
    return sorted(sys.modules)


class Zygote:
    """The zygote's loop: accept launch requests, fork keepers, report their exits."""

    def __init__(self, socket_path: str):
        self.socket_path = socket_path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(socket_path)
        os.chmod(socket_path, 0o600)
        self.listener.listen(64)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        # The grader holds the other end of stdin: end of file means it is gone (a parent-death
        # signal would follow the grader's *thread*, and Dask grades from worker threads).
        try:
            self.selector.register(sys.stdin.fileno(), selectors.EVENT_READ, "grader")
        except PermissionError:  # epoll takes pipes, not /dev/null or files
            sys.exit("grading.sandbox_zygote needs a pipe from the grader on stdin (its lifeline)")
        self.buffers: dict[socket.socket, bytes] = {}
        self.keepers: dict[socket.socket, tuple[int, int]] = {}  # connection: (pid, pidfd)
        self.library_fds: set[int] = set()

    def serve(self) -> None:
        while True:
            for key, _ in self.selector.select():
                kind, target = key.data if isinstance(key.data, tuple) else (key.data, None)
                if kind == "grader":
                    if not os.read(sys.stdin.fileno(), 4096):
                        self._stop()
                        return
                elif kind == "accept":
                    connection, _ = self.listener.accept()
                    self.buffers[connection] = b""
                    self.selector.register(connection, selectors.EVENT_READ, ("client", connection))
                else:
                    self._from_connection(kind, target)

    def _from_connection(self, kind: str, connection: socket.socket) -> None:
        """A client's request or hang-up (``client``), or its kernel's exit (``exit``).

        One batch of events can hold both for the same connection: once the first has closed
        it (a kill), the second is stale and ignored.
        """
        if connection not in self.buffers and connection not in self.keepers:
            return
        if kind == "client":
            self._from_client(connection)
        else:
            self._keeper_exited(connection)

    def _from_client(self, connection: socket.socket) -> None:
        data = connection.recv(1 << 20)
        if connection in self.keepers or not data:
            self._close(connection, kill=True)
            return
        self.buffers[connection] += data
        if b"\n" not in self.buffers[connection]:
            return
        line = self.buffers.pop(connection).split(b"\n", 1)[0]
        request = LaunchRequest.from_json(line.decode())
        pid = os.fork()
        if pid == 0:
            self._close_inherited(connection)
            _keeper(request)
        pidfd = os.pidfd_open(pid)
        self.keepers[connection] = (pid, pidfd)
        self.selector.register(pidfd, selectors.EVENT_READ, ("exit", connection))
        connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")

    def _keeper_exited(self, connection: socket.socket) -> None:
        pid, _ = self.keepers[connection]
        _, wait_status = os.waitpid(pid, 0)
        try:
            message = {"exit": os.waitstatus_to_exitcode(wait_status)}
            connection.sendall(json.dumps(message).encode() + b"\n")
        except OSError:
            pass
        self._close(connection, kill=False)

    def _close(self, connection: socket.socket, kill: bool) -> None:
        self.buffers.pop(connection, None)
        keeper = self.keepers.pop(connection, None)
        if keeper is not None:
            pid, pidfd = keeper
            if kill:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            self.selector.unregister(pidfd)
            os.close(pidfd)
        self.selector.unregister(connection)
        connection.close()

    def _stop(self) -> None:
        """The grader is gone: kill every kernel (their keepers), stop serving, and remove the
        socket and its folder (if nothing else is in it): a grader that was killed cannot."""
        for pid, _ in self.keepers.values():
            os.kill(pid, signal.SIGKILL)
        for pid, _ in self.keepers.values():
            os.waitpid(pid, 0)
        self.listener.close()
        for remove, path in (
            (os.unlink, self.socket_path),
            (os.rmdir, os.path.dirname(self.socket_path)),
        ):
            try:
                remove(path)
            except OSError:  # gone already (the grader's own clean-up), or not empty
                pass

    def _close_inherited(self, current: socket.socket) -> None:
        """In a new child: close the zygote's own descriptors, through the objects that own them.

        Closing them behind Python's back (``os.closerange``) would leave objects that close a
        reused number later: a font file object freed in the kernel once closed one of ZeroMQ's
        descriptors, and the kernel aborted. What the libraries opened while warming up (font
        files, read-only; see :func:`library_descriptors`) stays open for the objects using it.
        """
        self.selector.close()
        self.listener.close()
        for connection in [current, *self.buffers, *self.keepers]:
            connection.close()
        for _, pidfd in self.keepers.values():
            os.close(pidfd)
        for fd in open_descriptors() - self.library_fds - {0, 1, 2}:
            try:  # nothing should be left; never hand an unknown descriptor to a kernel
                os.close(fd)
            except OSError:  # the listing's own descriptor, already closed
                pass


def open_descriptors() -> set[int]:
    """The file descriptors this process has open."""
    return {int(fd) for fd in os.listdir("/proc/self/fd")}


def library_descriptors() -> set[int]:
    """Descriptors the warm libraries hold (above 2), each checked to be a file opened read-only.

    A kernel inherits them with the objects that use them, so nothing else may be among them: a
    directory descriptor from outside its root, say, would lead out of its world.

    Raises
    ------
    RuntimeError
        When one is something else, naming it.
    """
    found = set()
    for fd in open_descriptors() - {0, 1, 2}:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            flags = int(
                Path(f"/proc/self/fdinfo/{fd}").read_text().split("flags:")[1].split()[0], 8
            )
        except (OSError, IndexError, ValueError):
            continue  # closed meanwhile (the listing itself used one)
        if not Path(target).is_file() or flags & os.O_ACCMODE != os.O_RDONLY:
            raise RuntimeError(
                f"the zygote holds descriptor {fd} ({target}) that is not a file opened read-only; "
                "a kernel must not inherit it"
            )
        found.add(fd)
    return found


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit("usage: python -m grading.sandbox_zygote <socket path> [optional module ...]")
    # Whatever this process inherited beyond 0, 1, 2 no object of ours owns: close it now.
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # debugpy's import-time notice, on stderr
    warm_up(tuple(argv[1:]))
    # The warm libraries' objects live as long as every kernel: out of the garbage collector's
    # sight, a kernel's full collections skip them (~0.09 s each) and leave their pages shared.
    gc.freeze()
    libraries = library_descriptors()
    zygote = Zygote(argv[0])
    zygote.library_fds = libraries
    print("ready", flush=True)
    zygote.serve()


if __name__ == "__main__":
    main(sys.argv[1:])
