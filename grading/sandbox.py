"""What a grading kernel may see and use, and the cold (bubblewrap) way to start one.

A student's notebook is untrusted code. Each submission's kernel gets a world of its own:

- a private root file system: the operating system (``/usr``, ``/etc`` …), the Python
  installation, this virtual environment and ``calclib/`` read-only; a scratch ``HOME`` and a
  scratch working folder (tmpfs, charged to the kernel's memory limit) holding the assignment's
  released data files read-only; private ``/tmp``, ``/run`` and ``/dev/shm``. The course folder
  (solutions, submissions, autograded, feedback, gradebook, logs) and the repository checkout are
  simply not in that world, wherever ``--course`` is;
- a clean environment: an allowlist, plus nbgrader's ``NBGRADER_EXECUTION`` and
  ``NBGRADER_VALIDATING``; nothing of the grader's own;
- its own runtime folder holding only its own connection file and Unix sockets;
- no network, its own PID, IPC and UTS namespaces, an unprivileged uid when the grader is root;
- limits on the whole process tree (:class:`KernelCgroup`): memory, number of tasks and CPU share,
  with resource limits per process as the fallback where cgroups cannot be used.

Two ways build that world: *cold* (this module: ``bwrap`` runs a fresh ``ipykernel``) and *warm*
(:mod:`grading.sandbox_zygote`: a process with the libraries already imported forks each kernel
and builds the same world with system calls). :func:`check` says which one will run, or why none
can.

Example
-------
>>> check("off")
'off'
>>> env = kernel_environment({"SECRET": "x", "NBGRADER_EXECUTION": "autograde"}, "/h")
>>> "SECRET" in env, env["HOME"], env["NBGRADER_EXECUTION"]
(False, '/h', 'autograde')
"""

from __future__ import annotations

import multiprocessing.util
import os
import resource
import secrets
import shutil
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

MODES = ("auto", "warm", "cold", "off")
MODE_VARIABLE = "GRADING_SANDBOX"

# Where the kernel's own scratch lives inside its world.
SCRATCH_HOME = "/home/student"
SCRATCH_WORK = "/home/student/work"

# The grader's environment variables a kernel receives (values copied), and nbgrader's two.
ENV_ALLOWLIST = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")
NBGRADER_VARIABLES = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
GRADING_FIGURES_BACKEND = "module://grading.sandbox_figures"

# The operating system folders every kernel sees read-only (those that exist).
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")

# uids handed to kernels when the grader is root: none of them owns a file outside the sandbox.
KERNEL_UID_BASE = 2_000_000
KERNEL_UID_SPAN = 1_000_000

GRADING_PACKAGE = Path(__file__).resolve().parent
# calclib's folder, found without importing it (its imports take half a second).
CALCLIB = Path(find_spec("calclib").origin).resolve().parent
# The only files of this package a kernel imports (the figure backend and its package marker).
KERNEL_SIDE_FILES = (GRADING_PACKAGE / "__init__.py", GRADING_PACKAGE / "sandbox_figures.py")


class SandboxUnavailable(RuntimeError):
    """No sandbox can run here: the message says why and what to do, in one line."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one kernel's whole process tree.

    Parameters
    ----------
    memory_bytes : int
        Memory of all its processes together (cgroup), or address space per process (fallback).
    tasks : int
        Processes and threads alive at once (cgroup), or processes of its uid (fallback).
    cpu_cores : float
        CPU share: 1.0 is one core at most, however many processes it starts (cgroup).
    cpu_seconds : int
        CPU time per process (always set; the cell timeout bounds wall time).
    file_bytes : int
        Largest file it may write.
    open_files : int
        Open files per process.
    tmpfs_bytes : int
        Size of each scratch tmpfs (``HOME``, ``/tmp`` …); pages also count as memory.

    Examples
    --------
    >>> Limits().tasks
    64
    """

    memory_bytes: int = 4 * 2**30
    tasks: int = 64
    cpu_cores: float = 1.0
    cpu_seconds: int = 600
    file_bytes: int = 64 * 2**20
    open_files: int = 1024
    tmpfs_bytes: int = 256 * 2**20

    def rlimits(self, with_cgroup: bool) -> dict[int, int]:
        """The per-process resource limits to set (the fallback ones too without a cgroup).

        >>> resource.RLIMIT_AS in Limits().rlimits(with_cgroup=False)
        True
        """
        limits = {
            resource.RLIMIT_CPU: self.cpu_seconds,
            resource.RLIMIT_FSIZE: self.file_bytes,
            resource.RLIMIT_NOFILE: self.open_files,
            resource.RLIMIT_CORE: 0,
        }
        if not with_cgroup:
            limits[resource.RLIMIT_AS] = self.memory_bytes
            # RLIMIT_NPROC counts every process of the uid: a root grader gives each kernel a uid
            # of its own; otherwise the kernel shares the grader's, which has some running already.
            running = 0 if os.geteuid() == 0 else _processes_of(os.geteuid())
            limits[resource.RLIMIT_NPROC] = running + self.tasks
        return limits


def _processes_of(uid: int) -> int:
    """How many processes ``uid`` runs now."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        count += any(line.split()[:2] == ["Uid:", str(uid)] for line in lines)
    return count


def requested_mode(configured: str = "auto") -> str:
    """The sandbox mode asked for: ``$GRADING_SANDBOX`` when set, else ``configured``.

    >>> requested_mode("cold") in MODES
    True
    """
    mode = os.environ.get(MODE_VARIABLE) or configured
    if mode not in MODES:
        raise SandboxUnavailable(
            f"{MODE_VARIABLE}={mode!r} is not a sandbox mode: use one of {', '.join(MODES)}"
        )
    return mode


def check(mode: str | None = None) -> str:
    """The sandbox that will run kernels here: ``"warm"``, ``"cold"`` or ``"off"``.

    ``mode`` defaults to :func:`requested_mode`. ``auto`` picks warm (root, namespaces work),
    else cold (``bwrap`` installed); ``off`` is unconfined and must be asked for.

    Raises
    ------
    SandboxUnavailable
        When the mode asked for cannot run, with the reason in one line.

    Examples
    --------
    >>> check("off")
    'off'
    """
    mode = requested_mode() if mode is None else mode
    if mode not in MODES:
        raise SandboxUnavailable(f"{mode!r} is not a sandbox mode: use one of {', '.join(MODES)}")
    if mode == "off":
        return "off"
    warm_problem = _warm_problem()
    if mode == "warm" and warm_problem:
        raise SandboxUnavailable(f"warm grading kernels cannot run here: {warm_problem}")
    if mode in ("auto", "warm") and not warm_problem:
        return "warm"
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "student code runs in a sandbox and none can run here: bubblewrap (`bwrap`) is not "
            "installed (Debian/Ubuntu: apt-get install bubblewrap) and "
            f"{warm_problem or 'cold mode was asked for'}; to grade trusted notebooks unconfined "
            f"set {MODE_VARIABLE}=off (make grade: --no-sandbox)"
        )
    return "cold"


def _warm_problem() -> str:
    """Why forked (warm) kernels cannot be isolated here, or '' when they can."""
    if os.geteuid() != 0:
        return "the grader is not root (warm kernels build their namespaces with root's rights)"
    if not Path("/proc/self/ns/pid").exists():
        return "this kernel has no namespaces"
    return ""


def kernel_uid() -> int:
    """A fresh unprivileged uid for one kernel (root graders only).

    >>> KERNEL_UID_BASE <= kernel_uid() < KERNEL_UID_BASE + KERNEL_UID_SPAN
    True
    """
    return KERNEL_UID_BASE + secrets.randbelow(KERNEL_UID_SPAN)


def kernel_environment(
    grader_env: Mapping[str, str], home: str = SCRATCH_HOME, grading: bool | None = None
) -> dict[str, str]:
    """The whole environment of a kernel: an allowlist, never the grader's secrets.

    Parameters
    ----------
    grader_env : mapping
        The grader's environment (values of the allowlisted names are copied).
    home : str
        The kernel's scratch home, also its ``TMPDIR`` parent and matplotlib's config folder.
    grading : bool, optional
        Whether figures are left unrendered; default: ``NBGRADER_EXECUTION`` is set.

    Returns
    -------
    dict

    Examples
    --------
    >>> env = kernel_environment({"AWS_SECRET": "k", "NBGRADER_EXECUTION": "autograde"})
    >>> "AWS_SECRET" in env, env["NBGRADER_EXECUTION"], env["MPLBACKEND"]
    (False, 'autograde', 'module://grading.sandbox_figures')
    """
    env = {name: grader_env[name] for name in ENV_ALLOWLIST if name in grader_env}
    env.setdefault("LANG", "C.UTF-8")
    env |= {name: grader_env[name] for name in NBGRADER_VARIABLES if name in grader_env}
    if grading is None:
        grading = bool(env.get("NBGRADER_EXECUTION"))
    env |= {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": "/tmp",
        "MPLCONFIGDIR": f"{home}/.config/matplotlib",
        "IPYTHONDIR": f"{home}/.ipython",
        "PYTHONDONTWRITEBYTECODE": "1",
        # One thread per library: kernels are many, cores are few (and the zygote forks).
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": GRADING_FIGURES_BACKEND
        if grading
        else "module://matplotlib_inline.backend_inline",
    }
    return env


def readonly_paths() -> list[Path]:
    """Host paths a kernel sees read-only, at the same place: system, Python, venv, calclib.

    >>> CALCLIB.name in [path.name for path in readonly_paths()]
    True
    """
    paths = [Path(p) for p in SYSTEM_FOLDERS if Path(p).exists() and not Path(p).is_symlink()]
    python_homes = {Path(sys.base_prefix).resolve(), Path(sys.prefix)}
    paths += sorted(python_homes)
    paths.append(CALCLIB)
    paths += KERNEL_SIDE_FILES
    return paths


def system_symlinks() -> dict[str, str]:
    """Top-level system links (``/bin -> usr/bin`` on merged-/usr systems) to recreate.

    >>> all(name.startswith("/") for name in system_symlinks())
    True
    """
    return {p: os.readlink(p) for p in SYSTEM_FOLDERS if Path(p).is_symlink()}


def released_files(release: Path) -> dict[str, Path]:
    """The assignment's data files a kernel gets in its working folder: {relative name: host path}.

    Every regular file under ``release`` except notebooks and checkpoints; symlinks are skipped
    (they could point anywhere).

    Examples
    --------
    >>> released_files(Path("/nonexistent"))
    {}
    """
    if not release.is_dir():
        return {}
    files = {}
    for path in sorted(release.rglob("*")):
        relative = path.relative_to(release)
        if path.is_symlink() or not path.is_file() or path.suffix == ".ipynb":
            continue
        if ".ipynb_checkpoints" in relative.parts:
            continue
        files[relative.as_posix()] = path
    return files


def matplotlib_font_cache() -> dict[str, Path]:
    """The grader's matplotlib font list, for a cold kernel to read instead of rebuilding it.

    Returns {path relative to the kernel's home: host file} (empty if there is none yet).

    Examples
    --------
    >>> all(name.startswith(".config/matplotlib/fontlist-") for name in matplotlib_font_cache())
    True
    """
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (os.environ.get("MPLCONFIGDIR"), f"{cache_home}/matplotlib"):
        found = sorted(Path(folder).glob("fontlist-v*.json")) if folder else []
        if found:
            return {f".config/matplotlib/{path.name}": path for path in found}
    return {}


# ---------------------------------------------------------------------------------------------
# Limits on the whole process tree: cgroups


def _own_cgroups() -> dict[str, str]:
    """{controller: this process's cgroup path} from /proc/self/cgroup."""
    owned = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            owned[controller or "unified"] = path
    return owned


class KernelCgroup:
    """One kernel's cgroups (v1 memory, pids and cpu controllers), under the grader's own.

    Every process the kernel starts stays in them (a process cannot leave its cgroup without root),
    so the limits hold for the whole tree: ``memory.limit_in_bytes`` (swap too where accounted),
    ``pids.max`` and a CFS quota of ``cpu_cores``. Created by :meth:`create`, which returns None
    where cgroups cannot be written (no root, no v1 controllers): then :class:`Limits`' rlimits are
    the fallback.

    Examples
    --------
    >>> group = KernelCgroup.create("doctest", Limits(tasks=8))
    >>> group is None or group.limit("pids", "pids.max") == "8"
    True
    >>> group is None or group.remove() is None
    True
    """

    ROOT = Path("/sys/fs/cgroup")
    CONTROLLERS = ("memory", "pids", "cpu")

    def __init__(self, folders: dict[str, Path]):
        self.folders = folders

    @classmethod
    def create(cls, name: str, limits: Limits) -> KernelCgroup | None:
        """Create the cgroups named ``name`` with ``limits``; None if cgroups are unavailable."""
        if os.geteuid() != 0:
            return None
        owned = _own_cgroups()
        folders = {}
        for controller in cls.CONTROLLERS:
            mount = cls.ROOT / controller
            if controller not in owned or not (mount / "cgroup.procs").is_file():
                return None
            folders[controller] = mount / owned[controller].lstrip("/") / f"grading-{name}"
        global _stale_swept
        if not _stale_swept:  # once per grading process, before its first kernel
            remove_stale_cgroups([folder.parent for folder in folders.values()])
            _stale_swept = True
        group = cls(folders)
        try:
            for folder in folders.values():
                folder.mkdir()
            group._write("memory", "memory.limit_in_bytes", limits.memory_bytes)
            if (folders["memory"] / "memory.memsw.limit_in_bytes").exists():
                group._write("memory", "memory.memsw.limit_in_bytes", limits.memory_bytes)
            group._write("pids", "pids.max", limits.tasks)
            period = 100_000
            group._write("cpu", "cpu.cfs_period_us", period)
            group._write("cpu", "cpu.cfs_quota_us", int(limits.cpu_cores * period))
        except OSError:
            group.remove()
            return None
        return group

    def _write(self, controller: str, name: str, value: int) -> None:
        (self.folders[controller] / name).write_text(str(value))

    def limit(self, controller: str, name: str) -> str:
        """The value of one control file, e.g. ``limit("pids", "pids.max")``."""
        return (self.folders[controller] / name).read_text().strip()

    @property
    def procs_files(self) -> list[Path]:
        """The ``cgroup.procs`` files a process writes its pid to, to join every controller."""
        return [folder / "cgroup.procs" for folder in self.folders.values()]

    def join(self, pid: int = 0) -> None:
        """Move process ``pid`` (0: the caller) into every controller."""
        for procs in self.procs_files:
            procs.write_text(str(pid or os.getpid()))

    def pids(self) -> list[int]:
        """Processes still in the kernel's tree."""
        procs = self.folders["pids"] / "cgroup.procs"
        return [int(p) for p in procs.read_text().split()] if procs.exists() else []

    def kill(self) -> None:
        """SIGKILL every process left in the tree (a PID namespace ending takes most already)."""
        for _ in range(50):
            remaining = self.pids()
            if not remaining:
                return
            for pid in remaining:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.002)

    def remove(self) -> None:
        """Kill what is left and delete the cgroups.

        A cgroup stays busy for a moment after its last process died (the pids controller counts
        it until it is reaped, longer on a busy machine): one still busy after half a second is
        removed later, at the next removal or when the grader exits, not left behind.
        """
        self.kill()
        for folder in self.folders.values():
            if not _remove_cgroup(folder, attempts=100):
                if not _BUSY_CGROUPS:
                    at_exit(remove_busy_cgroups)
                _BUSY_CGROUPS.add(folder)
        remove_busy_cgroups(attempts=1)


_BUSY_CGROUPS: set[Path] = set()
"""Kernel cgroups that were still busy when their kernel was cleaned up."""


def _remove_cgroup(folder: Path, attempts: int) -> bool:
    """Remove one empty cgroup, trying ``attempts`` times 5 ms apart; whether it is gone."""
    for attempt in range(attempts):
        try:
            folder.rmdir()
            return True
        except FileNotFoundError:
            return True
        except OSError:  # busy for a moment after the last process died
            if attempt < attempts - 1:
                time.sleep(0.005)
    return False


def remove_busy_cgroups(attempts: int = 400) -> list[Path]:
    """Remove the kernel cgroups left busy earlier; return those still there.

    Run at each kernel's clean-up (one try each) and when the grading process exits (up to two
    seconds each).
    """
    for folder in sorted(_BUSY_CGROUPS):
        if _remove_cgroup(folder, attempts):
            _BUSY_CGROUPS.discard(folder)
    return sorted(_BUSY_CGROUPS)


def at_exit(function: Callable[..., object], *args: object) -> None:
    """Call ``function(*args)`` when this process ends normally, a forked worker included.

    Dask's local workers are forked from a server process and end with ``os._exit``, which runs
    no :mod:`atexit` function; multiprocessing's finalizers run there, and in any other process
    at interpreter exit. Register from the process that owns the resource: a fork forgets the
    finalizers its parent registered.

    >>> import tempfile
    >>> at_exit(shutil.rmtree, tempfile.mkdtemp(), True)  # a scratch folder, removed at exit
    """
    multiprocessing.util.Finalize(None, function, args=args, exitpriority=10)


_stale_swept = False
"""Whether this process has swept the stale kernel cgroups (done before its first kernel)."""


def remove_stale_cgroups(parents: list[Path], min_age: float = 600.0) -> int:
    """Remove the empty kernel cgroups (``grading-k-*``) older than ``min_age`` seconds.

    What a grading process killed outright (SIGKILL, a lost machine) left behind. A cgroup that
    still holds a process cannot be removed, and one younger than ``min_age`` may be another
    grader's, created a moment before its kernel joins: both are left alone. Returns how many
    were removed.
    """
    removed = 0
    now = time.time()
    for parent in parents:
        for folder in parent.glob("grading-k-*"):
            try:
                if now - folder.stat().st_mtime < min_age:
                    continue
                if (folder / "cgroup.procs").read_text().strip():
                    continue
                folder.rmdir()
                removed += 1
            except OSError:  # gone meanwhile, or still busy
                continue
    return removed


# ---------------------------------------------------------------------------------------------
# The cold way: bubblewrap around a fresh ipykernel


def bwrap_command(
    kernel: list[str],
    runtime: Path,
    data_files: Mapping[str, Path],
    env: Mapping[str, str],
    limits: Limits,
    uid: int | None,
) -> list[str]:
    """The ``bwrap`` command line that runs ``kernel`` in its own world.

    Parameters
    ----------
    kernel : list of str
        The kernel's command (``python -m ipykernel_launcher -f <connection file> …``).
    runtime : Path
        The kernel's own runtime folder (connection file, sockets): bound writable, same path.
    data_files : mapping
        {name relative to the working folder: host file}, bound read-only there.
    env : mapping
        The kernel's whole environment (:func:`kernel_environment`).
    limits : Limits
        Sizes of the scratch tmpfs mounts.
    uid : int or None
        The unprivileged uid to run as (root graders); None keeps the caller's (a user namespace
        then maps it).

    Returns
    -------
    list of str

    Examples
    --------
    >>> cmd = bwrap_command(["python"], Path("/r"), {}, {"HOME": "/h"}, Limits(), None)
    >>> cmd[0], "--unshare-net" in cmd, "--unshare-user" in cmd
    ('bwrap', True, True)
    """
    command = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    command += ["--unshare-cgroup-try", "--hostname", "grading", "--die-with-parent"]
    command += ["--new-session", "--clearenv"]
    if uid is None:
        command.append("--unshare-user")
    command += ["--proc", "/proc", "--dev", "/dev"]
    command += ["--perms", "0755", "--dir", str(Path(SCRATCH_HOME).parent)]
    for folder in ("/tmp", "/dev/shm", SCRATCH_HOME, "/run"):
        perms = "0755" if folder == "/run" else "1777"
        command += ["--size", str(limits.tmpfs_bytes), "--perms", perms, "--tmpfs", folder]
    command += ["--perms", "1777", "--dir", SCRATCH_WORK]
    binds = [(path, path, "--ro-bind") for path in readonly_paths()]
    binds += [(host, Path(SCRATCH_WORK, name), "--ro-bind") for name, host in data_files.items()]
    fonts = matplotlib_font_cache().items()
    binds += [(host, Path(SCRATCH_HOME, name), "--ro-bind") for name, host in fonts]
    binds.append((runtime, runtime, "--bind"))
    made = {Path("/"), Path("/tmp"), Path("/dev/shm"), Path(SCRATCH_HOME), Path(SCRATCH_WORK)}
    for host, inside, how in binds:
        # bwrap creates missing parents 0700, which an unprivileged kernel cannot cross.
        for parent in reversed(inside.parents):
            if parent not in made:
                command += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        command += [how, str(host), str(inside)]
    for link, target in system_symlinks().items():
        command += ["--symlink", target, link]
    command += ["--chdir", SCRATCH_WORK]
    for name, value in env.items():
        command += ["--setenv", name, value]
    if uid is not None:
        # bwrap ran as root (no user namespace): drop to the kernel's own uid, for good.
        command += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
        command += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return command + kernel


def limited_command(command: list[str], limits: Limits, cgroup: KernelCgroup | None) -> list[str]:
    """``command`` started inside ``cgroup`` (joined before anything runs) and under rlimits.

    A shell writes its own pid to each ``cgroup.procs`` and then becomes ``prlimit``, which
    becomes ``command``: nothing of the kernel runs outside the cgroup, even for a moment.

    Examples
    --------
    >>> limited_command(["true"], Limits(), None)[:2]
    ['prlimit', '--cpu=600']
    """
    rlimits = {
        resource.RLIMIT_CPU: "cpu",
        resource.RLIMIT_FSIZE: "fsize",
        resource.RLIMIT_NOFILE: "nofile",
        resource.RLIMIT_CORE: "core",
        resource.RLIMIT_AS: "as",
        resource.RLIMIT_NPROC: "nproc",
    }
    limited = ["prlimit"]
    limited += [
        f"--{rlimits[which]}={value}"
        for which, value in limits.rlimits(with_cgroup=cgroup is not None).items()
    ]
    limited += ["--", *command]
    if cgroup is None:
        return limited
    join = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 70; shift; done; shift; exec "$@"'
    return ["/bin/sh", "-c", join, "sh", *map(str, cgroup.procs_files), "--", *limited]
