"""Grading kernels for nbgrader and nbclient: every kernel sandboxed, warm when it can be.

The course's ``nbgrader_config.py`` puts :class:`SandboxedExecute` in place of nbgrader's
``Execute`` preprocessor, so every autograde run from the course folder (``make grade``, a plain
``nbgrader autograde``, the Formgrader's Autograde button) starts its kernels through
:class:`SandboxedKernelManager`. (Setting ``c.Execute.kernel_manager_class`` does not work with
nbgrader 0.9.6: its ``Execute.__init__`` passes ``AsyncKernelManager`` as a constructor argument,
which wins over configuration.)

The manager starts each kernel one of three ways (:func:`grading.sandbox.check` decides, from
``$GRADING_SANDBOX`` or the ``sandbox_mode`` trait):

- ``warm``: forked by this process's zygote (:mod:`grading.sandbox_zygote`) with the libraries
  already imported, into its own namespaces (root graders);
- ``cold``: a fresh ipykernel inside bubblewrap (:func:`grading.sandbox.bwrap_command`);
- ``off``: unconfined, only when asked for (``GRADING_SANDBOX=off``, ``--no-sandbox``).

In every sandboxed mode the kernel talks over Unix sockets in a runtime folder of its own, runs
under a cgroup (or rlimits) of its own, and is killed at once on shutdown: its outputs already
came back over the protocol, so waiting for a graceful exit buys nothing.

Example
-------
>>> SandboxedExecute().kernel_manager_class is SandboxedKernelManager
True
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute
from traitlets import DottedObjectName, Enum, Instance, Type, default

from grading import sandbox
from grading.head_start import Zygote, socket_base
from grading.sandbox_zygote import LaunchRequest, mount_runtime, unmount

KERNEL_ARGV = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


RUNTIME_ROOT_PREFIX = "grading-kernels-"


def grading_runtime_root() -> Path:
    """This process's root-only folder for kernel runtime folders (created once, removed at exit).

    Its name holds this process's pid (``grading-kernels-<pid>-…``): a grading process that is
    killed (a Dask worker, SIGKILL) cannot remove its own, so the next one to start removes those
    whose process is gone (:func:`remove_stale_runtime_roots`).

    >>> grading_runtime_root().stat().st_mode & 0o777
    448
    >>> grading_runtime_root().name.startswith(f"grading-kernels-{os.getpid()}-")
    True
    """
    global _RUNTIME_ROOT
    with _LOCK:
        if _RUNTIME_ROOT is None or not _RUNTIME_ROOT.is_dir():
            base = socket_base()
            remove_stale_runtime_roots(base)
            prefix = f"{RUNTIME_ROOT_PREFIX}{os.getpid()}-"
            _RUNTIME_ROOT = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
            sandbox.at_exit(_remove_runtime_root, _RUNTIME_ROOT)
        return _RUNTIME_ROOT


def remove_stale_runtime_roots(folder: Path) -> list[Path]:
    """Remove the kernel runtime roots in ``folder`` whose grading process is gone; return them.

    A root whose pid still runs is left alone (a pid reused by another process too: nothing is
    removed that might be in use). Mounts left inside one (a killed grader's kernel runtime
    folders) are detached first.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> mine = folder / f"grading-kernels-{os.getpid()}-x"
    >>> gone = folder / "grading-kernels-99999999-y"
    >>> for root in (mine, gone):
    ...     (root / "k-1").mkdir(parents=True)
    >>> [p.name for p in remove_stale_runtime_roots(folder)], mine.is_dir()
    (['grading-kernels-99999999-y'], True)
    """
    removed = []
    for root in sorted(folder.glob(f"{RUNTIME_ROOT_PREFIX}*")):
        owner = root.name.removeprefix(RUNTIME_ROOT_PREFIX).split("-", 1)[0]
        if not owner.isdigit() or _process_exists(int(owner)):
            continue
        _remove_runtime_root(root)
        removed.append(root)
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # gone, or a number no pid can be
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove_runtime_root(root: Path) -> None:
    """Detach whatever is still mounted under ``root`` (deepest first), then delete it."""
    inside = f"{root}/"
    with contextlib.suppress(OSError):
        mounts = [
            line.split()[4].replace("\\040", " ")
            for line in Path("/proc/self/mountinfo").read_text().splitlines()
        ]
        for mount in sorted((m for m in mounts if m.startswith(inside)), reverse=True):
            with contextlib.suppress(OSError):
                unmount(mount)
    shutil.rmtree(root, ignore_errors=True)


_RUNTIME_ROOT: Path | None = None
_LOCK = threading.Lock()


class SandboxProvisioner(LocalProvisioner):
    """Starts, watches and kills one sandboxed kernel (cold or warm) for a SandboxedKernelManager.

    Before the launch it gives the kernel a runtime folder of its own (connection file and ipc
    sockets only), a cgroup, an unprivileged uid (root graders) and a clean environment. A
    restarted kernel keeps the folder, its uid and its socket paths, so that the clients
    connected to the old kernel reach the new one (as jupyter_client keeps a kernel's ports).
    """

    mode: str = "cold"
    runtime: Path | None = None
    cgroup: sandbox.KernelCgroup | None = None
    connection: socket.socket | None = None
    exit_status: int | None = None
    _said_no_cgroup = False

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        if self.runtime is None:  # a restart keeps the folder: the clients' sockets stay valid
            self.runtime = Path(tempfile.mkdtemp(prefix="k-", dir=grading_runtime_root()))
            self.uid = sandbox.kernel_uid() if os.geteuid() == 0 else None
            if self.uid is not None:
                mount_runtime(str(self.runtime), self.uid)
        km.transport = "ipc"
        km.ip = str(self.runtime / "s")
        km.connection_file = str(self.runtime / "kernel.json")
        self.work = Path(kwargs.get("cwd") or Path.cwd())
        self.grader_env = dict(kwargs.get("env") or os.environ)
        kwargs["env"] = dict(os.environ)  # the base class copies and edits it; never reaches us
        kwargs = await super().pre_launch(**kwargs)
        if self.uid is not None:
            os.chown(km.connection_file, self.uid, self.uid)
        self.cgroup = sandbox.KernelCgroup.create(self.runtime.name, km.limits)
        if self.cgroup is None and not SandboxProvisioner._said_no_cgroup:
            SandboxProvisioner._said_no_cgroup = True
            km.log.warning(
                "grading kernels: no writable cgroup v1 memory/pids/cpu controllers here; "
                "limits are per process (rlimits), which forks can multiply"
            )
        return kwargs

    def _data_files(self) -> dict[str, Path]:
        """The released data files of the assignment graded in ``self.work``."""
        km = self.parent
        course = self.work.parents[2] if len(self.work.parents) > 2 else self.work
        release = km.config.get("CourseDirectory", {}).get("release_directory", "release")
        return sandbox.released_files(course / release / self.work.name)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        env = sandbox.kernel_environment(self.grader_env)
        kernel_args = cmd[cmd.index("-f") :]
        if env["MPLBACKEND"] == sandbox.GRADING_FIGURES_BACKEND:
            kernel_args.append("--IPKernelApp.extensions=['grading.sandbox_figures']")
        if self.mode == "warm":
            request = LaunchRequest(
                runtime=str(self.runtime),
                uid=self.uid,
                argv=kernel_args,
                env=env,
                readonly=[str(p) for p in sandbox.readonly_paths()],
                symlinks=sandbox.system_symlinks(),
                data_files={k: str(v) for k, v in self._data_files().items()},
                cgroup_procs=[str(p) for p in self.cgroup.procs_files] if self.cgroup else [],
                rlimits=km.limits.rlimits(with_cgroup=self.cgroup is not None),
                tmpfs_bytes=km.limits.tmpfs_bytes,
            )
            self.connection, self.pid = await asyncio.to_thread(Zygote.instance().launch, request)
            self.connection.setblocking(False)
            self.exit_status = None
            return self.connection_info
        kernel = [sys.executable, "-m", "ipykernel_launcher", *kernel_args]
        command = sandbox.bwrap_command(
            kernel, self.runtime, self._data_files(), env, km.limits, self.uid
        )
        command = sandbox.limited_command(command, km.limits, self.cgroup)
        # Nothing the kernel prints reaches the grader's own output (logs parsed by people and
        # programs): outputs come back over the kernel protocol only.
        kwargs.update(
            cwd="/",
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return await super().launch_kernel(command, **kwargs)

    @property
    def has_process(self) -> bool:
        if self.mode == "warm":
            return self.connection is not None
        return super().has_process

    async def poll(self) -> int | None:
        if self.mode != "warm":
            return await super().poll()
        if self.connection is None:
            return self.exit_status if self.exit_status is not None else 0
        try:
            data = self.connection.recv(4096)
        except BlockingIOError:
            return None
        if data and b'"exit"' in data:
            self.exit_status = json.loads(data.split(b"\n")[0])["exit"]
        else:
            self.exit_status = -signal.SIGKILL
        self.connection.close()
        self.connection = None
        return self.exit_status

    async def wait(self) -> int | None:
        if self.mode != "warm":
            return await super().wait()
        while (status := await self.poll()) is None:
            await asyncio.sleep(0.01)
        return status

    async def send_signal(self, signum: int) -> None:
        if self.mode != "warm":
            return await super().send_signal(signum)
        if signum in (signal.SIGKILL, signal.SIGTERM):
            await self.kill()

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel's whole tree now and reap it (no polling interval to wait out)."""
        if self.mode == "warm":
            if self.connection is not None:
                self.connection.close()  # the zygote kills the keeper: the namespace dies
                self.connection = None
                self.exit_status = -signal.SIGKILL
        else:
            await super().kill(restart)
            if self.process is not None:
                await asyncio.to_thread(self.process.wait)
        if self.cgroup is not None:
            self.cgroup.kill()

    async def terminate(self, restart: bool = False) -> None:
        await self.kill(restart)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        if self.runtime is not None and not restart:
            if self.uid is not None:
                unmount(str(self.runtime))
            shutil.rmtree(self.runtime, ignore_errors=True)
            root = Path(f"{self.runtime}.root")
            if root.is_dir():
                root.rmdir()
            self.runtime = None

    def get_shutdown_wait_time(self, recommended: float = 5.0) -> float:
        return 0.0


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's async client, ready as soon as the kernel has answered on shell and iopub.

    jupyter_client's ``wait_for_ready`` asks for ``kernel_info`` once a second and, once answered,
    waits for 0.2 s of silence on iopub: 0.2-0.4 s of every grading kernel's start spent idle
    (a warm kernel answers ~0.15 s after launch). This one looks for the answer every 20 ms and
    is ready at the first reply that comes with iopub connected; it asks again at once when a reply
    came before iopub was connected, and otherwise every ``ask_interval``. Nothing is lost by not
    draining iopub: nbclient reads only the messages whose parent is the cell it runs.

    Examples
    --------
    >>> SandboxedKernelManager().client_factory is PromptKernelClient
    True
    """

    poll_interval = 0.02
    ask_interval = 0.5
    """Seconds between two ``kernel_info`` requests while none is answered: a kernel that never
    listens gets two a second queued for it, far below the socket's high-water mark (1,000), at
    which sending would block, and with it the deadline's check."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        answered = None
        asked = -float("inf")
        while True:
            if answered is not None or time.monotonic() - asked >= self.ask_interval:
                self.kernel_info()
                asked = time.monotonic()
            with contextlib.suppress(Empty):
                msg = await self.shell_channel.get_msg(timeout=self.poll_interval)
                if msg["msg_type"] == "kernel_info_reply":
                    answered = msg
            if answered is not None and await self._iopub_connected(answered["header"]["session"]):
                self._handle_kernel_info_reply(answered)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _iopub_connected(self, session: str) -> bool:
        """Whether the kernel of ``session`` (the one that answered) reached iopub yet.

        Any of its messages counts (its welcome, a status for a request). Messages of an earlier
        kernel (before a restart) are passed over: they say nothing of the new one's iopub.
        """
        try:
            while True:
                msg = await self.iopub_channel.get_msg(timeout=self.poll_interval)
                if msg["header"]["session"] == session:
                    return True
        except Empty:
            return False


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernels run sandboxed (warm or cold), or refuse to start.

    The kernelspec asked for is ignored: a grading kernel is always this environment's
    ipykernel, interrupted by message (signals stop at the sandbox's edge). Its clients are
    :class:`PromptKernelClient`s. Shutdown is immediate.

    Examples
    --------
    >>> SandboxedKernelManager().kernel_spec.interrupt_mode
    'message'
    """

    sandbox_mode = Enum(
        sandbox.MODES,
        default_value="auto",
        config=True,
        help=f"auto, warm, cold or off (unconfined); ${sandbox.MODE_VARIABLE} wins when set.",
    )
    limits = Instance(sandbox.Limits, config=True, help="Limits for each kernel's process tree.")
    client_class = DottedObjectName("grading.kernels.PromptKernelClient")
    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient)

    @default("limits")
    def _default_limits(self) -> sandbox.Limits:
        return sandbox.Limits()

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = KernelSpec(
                argv=list(KERNEL_ARGV),
                display_name="Python 3 (grading sandbox)",
                language="python",
                interrupt_mode="message",
                metadata={},
            )
        return self._kernel_spec

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        mode = sandbox.check(sandbox.requested_mode(self.sandbox_mode))
        if self.provisioner is None and mode != "off":
            self.provisioner = SandboxProvisioner(
                kernel_id=self.kernel_id or kw.get("kernel_id", ""),
                kernel_spec=self.kernel_spec,
                parent=self,
            )
            self.provisioner.mode = mode
        return await super()._async_pre_start_kernel(**kw)

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        await super()._async_shutdown_kernel(now=True, restart=restart)

    shutdown_kernel = _async_shutdown_kernel


class SandboxedExecute(Execute):
    """nbgrader's Execute preprocessor, with every kernel started by SandboxedKernelManager."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)
