"""The grading kernel's sandbox piece by piece: modes, environment, world, limits, lifecycle.

The fast tests check what the sandbox is made of (the mode switch and its refusals, the
environment allowlist, the bubblewrap command, the cgroups). The slow ones start real kernels
through ``SandboxedKernelManager`` with nbclient, warm and cold, and look from inside (what the
kernel sees) and from outside (what is left when it is gone). Hostile notebooks graded by nbgrader
are in test_grading_isolation.py.
"""

from __future__ import annotations

import ast
import asyncio
import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from grading import sandbox
from grading.head_start import SHARED_ZYGOTE_VARIABLE, Zygote, share_zygote
from grading.kernels import SandboxedKernelManager
from grading.sandbox import KernelCgroup, Limits, SandboxUnavailable

CHECKOUT = Path(__file__).resolve().parents[1]


def test_the_mode_comes_from_the_environment_and_a_typo_is_refused(monkeypatch):
    monkeypatch.setenv("GRADING_SANDBOX", "off")
    assert sandbox.check() == "off"
    monkeypatch.setenv("GRADING_SANDBOX", "of")
    with pytest.raises(SandboxUnavailable, match=r"GRADING_SANDBOX='of' is not a sandbox mode"):
        sandbox.check()


def test_without_bubblewrap_cold_grading_refuses_in_one_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SandboxUnavailable) as refusal:
        sandbox.check("cold")
    reason = str(refusal.value)
    assert "\n" not in reason
    assert "apt-get install bubblewrap" in reason
    assert "GRADING_SANDBOX=off" in reason


@pytest.mark.skipif(os.geteuid() == 0, reason="as root warm kernels can run")
def test_warm_kernels_need_root():
    with pytest.raises(SandboxUnavailable, match="not root"):
        sandbox.check("warm")


def test_the_kernel_environment_is_an_allowlist():
    grader = {
        "AWS_SECRET_ACCESS_KEY": "k",
        "NBGRADER_DB_URL": "postgresql://grader:pw@db/course",
        "JUPYTER_RUNTIME_DIR": "/root/.local/share/jupyter/runtime",
        "HOME": "/root",
        "LANG": "de_DE.UTF-8",
        "NBGRADER_EXECUTION": "autograde",
        "NBGRADER_VALIDATING": "1",
    }
    env = sandbox.kernel_environment(grader)
    assert not {"AWS_SECRET_ACCESS_KEY", "NBGRADER_DB_URL", "JUPYTER_RUNTIME_DIR"} & set(env)
    assert env["HOME"] == sandbox.SCRATCH_HOME
    assert env["LANG"] == "de_DE.UTF-8"
    assert env["NBGRADER_EXECUTION"] == "autograde"
    assert env["NBGRADER_VALIDATING"] == "1"
    assert env["MPLBACKEND"] == sandbox.GRADING_FIGURES_BACKEND
    assert sandbox.kernel_environment({})["MPLBACKEND"].endswith("backend_inline")


def test_the_cold_kernel_sees_calclib_and_the_venv_but_not_the_checkout(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n")
    command = sandbox.bwrap_command(
        ["python"], tmp_path / "runtime", {"data.csv": data}, {"HOME": "/h"}, Limits(), 2_000_001
    )
    binds = {command[i + 1] for i, arg in enumerate(command) if arg in ("--ro-bind", "--bind")}
    from_checkout = {
        Path(b).relative_to(CHECKOUT) for b in binds if Path(b).is_relative_to(CHECKOUT)
    }
    expected = {Path("calclib"), Path("grading/__init__.py"), Path("grading/sandbox_figures.py")}
    if Path(sys.prefix).is_relative_to(CHECKOUT):  # the venv lives in the checkout: .venv
        expected.add(Path(sys.prefix).relative_to(CHECKOUT))
    assert from_checkout == expected
    assert str(CHECKOUT) not in binds and "/" not in binds and "/tmp" not in binds
    assert str(data) in binds
    assert {"--unshare-net", "--unshare-pid", "--die-with-parent", "--clearenv"} <= set(command)
    assert command[command.index("setpriv") + 1] == "--reuid=2000001"


def test_the_zygote_ignores_an_exit_reported_for_a_kernel_it_already_killed():
    """A kill and the keeper's exit can arrive in one batch of events: the exit is then stale."""
    import selectors
    import socket

    from grading import sandbox_zygote

    zygote = object.__new__(sandbox_zygote.Zygote)
    zygote.selector = selectors.DefaultSelector()
    ours, theirs = socket.socketpair()
    zygote.selector.register(ours, selectors.EVENT_READ, ("client", ours))
    zygote.buffers, zygote.keepers = {}, {}
    zygote._close(ours, kill=False)  # the first event of the batch closed it
    zygote._from_connection("exit", ours)  # the second must not raise (it killed the zygote)
    zygote._from_connection("client", ours)
    theirs.close()


def test_released_files_skip_notebooks_checkpoints_and_symlinks(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "points.csv").write_text("1,2\n")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "x.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to("/etc/passwd")
    assert sandbox.released_files(tmp_path) == {"data/points.csv": tmp_path / "data/points.csv"}


def new_cgroup(name: str, limits: Limits) -> KernelCgroup:
    """A kernel cgroup for this test, or the test skipped where cgroups cannot be written."""
    if os.geteuid() != 0:
        pytest.skip("cgroups are written by root only")
    group = KernelCgroup.create(f"{name}-{os.getpid()}", limits)
    if group is None:
        pytest.skip("no writable cgroup v1 memory, pids and cpu controllers here")
    return group


def test_a_kernel_cgroup_holds_its_limits_and_takes_its_processes_with_it():
    group = new_cgroup("test", Limits(memory_bytes=2**28, tasks=7))
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        assert group.limit("pids", "pids.max") == "7"
        assert group.limit("memory", "memory.limit_in_bytes") == str(2**28)
        assert group.limit("cpu", "cpu.cfs_quota_us") == "100000"
        group.join(sleeper.pid)
        assert group.pids() == [sleeper.pid]
        group.remove()
        assert sleeper.wait(timeout=5) == -9
        assert not any(folder.exists() for folder in group.folders.values())
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_cgroup_still_busy_at_clean_up_is_removed_later():
    group = new_cgroup("test-busy", Limits(tasks=7))
    pids = group.folders["pids"]
    child = pids / "held"  # a child cgroup keeps its parent busy, as a dying process does
    child.mkdir()
    try:
        group.remove()
        assert pids.exists() and not group.folders["memory"].exists()
        assert sandbox.remove_busy_cgroups(attempts=1) == [pids]
        child.rmdir()
        assert sandbox.remove_busy_cgroups(attempts=1) == []
        assert not pids.exists()
    finally:
        for folder in (child, pids):
            sandbox._remove_cgroup(folder, attempts=1)


def test_empty_kernel_cgroups_left_by_a_killed_grader_are_swept_when_old():
    group = new_cgroup("test-sweep", Limits(tasks=7))
    parent = group.folders["pids"].parent
    group.remove()
    old, fresh, busy = (parent / f"grading-k-{kind}-{os.getpid()}" for kind in "ofb")
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        for folder in (old, fresh, busy):
            folder.mkdir()
        (busy / "cgroup.procs").write_text(str(sleeper.pid))
        an_hour_ago = time.time() - 3600
        for folder in (old, busy):
            os.utime(folder, (an_hour_ago, an_hour_ago))
        assert sandbox.remove_stale_cgroups([parent]) == 1
        assert not old.exists() and fresh.exists() and busy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
        for folder in (old, fresh, busy):
            sandbox._remove_cgroup(folder, attempts=200)


# ---------------------------------------------------------------------------------------------
# Real kernels

LOOK_AROUND = """
import os, glob
print("uid", os.getuid())
print("cwd", os.getcwd())
print("pids", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
print("zygote", glob.glob("/tmp/grading-zygote-*") + glob.glob("/tmp/*/grading-zygote-*"))
print("checkout", sorted(os.listdir({checkout!r})))
print("writable", os.access("/usr", os.W_OK), os.access({checkout!r}, os.W_OK))
from ipykernel import get_connection_file
try:  # its runtime folder holds its sockets, so it may write there, but not fill the host's disk
    with open(os.path.join(os.path.dirname(get_connection_file()), "fill"), "wb") as out:
        out.write(b"x" * 2**21)
    print("runtime_fill ok")
except OSError as error:
    print("runtime_fill", error.errno)
try:  # no terminal to type into (TIOCSTI) or to write on
    os.close(os.open("/dev/tty", os.O_RDWR))
    print("tty ok")
except OSError as error:
    print("tty", error.errno)
"""


def _run(code: list[str], mode: str, monkeypatch, timeout: int = 60) -> nbformat.NotebookNode:
    monkeypatch.setenv("GRADING_SANDBOX", mode)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in code])
    client = NotebookClient(
        nb,
        kernel_manager_class=SandboxedKernelManager,
        timeout=timeout,
        allow_errors=True,
        interrupt_on_timeout=True,
    )
    client.execute()
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _mode_or_skip(mode: str) -> str:
    try:
        sandbox.check(mode)
    except SandboxUnavailable as reason:
        pytest.skip(str(reason))
    return mode


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_inside_the_kernel_sees_only_its_own_world(mode, monkeypatch):
    _mode_or_skip(mode)
    nb = _run([LOOK_AROUND.replace("{checkout!r}", repr(str(CHECKOUT)))], mode, monkeypatch)
    lines = dict(line.split(" ", 1) for line in _text(nb.cells[0]).splitlines())
    assert lines["cwd"] == sandbox.SCRATCH_WORK
    assert lines["zygote"] == "[]"
    visible = set(ast.literal_eval(lines["checkout"]))
    assert visible <= {"calclib", "grading", ".venv"}, visible
    assert lines["writable"] == "False False"
    assert lines["tty"] != "ok"
    assert len(ast.literal_eval(lines["pids"])) <= 3  # the namespace's init and the kernel
    if os.geteuid() == 0:
        assert int(lines["uid"]) >= sandbox.KERNEL_UID_BASE
        assert lines["runtime_fill"] == str(errno.ENOSPC)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_a_runaway_cell_is_interrupted_and_the_next_one_runs(mode, monkeypatch):
    _mode_or_skip(mode)
    nb = _run(["while True:\n    pass", "print('after')"], mode, monkeypatch, timeout=3)
    assert nb.cells[0].outputs[-1]["ename"] in ("KeyboardInterrupt", "CellTimeoutError")
    assert _text(nb.cells[1]) == "after\n"


async def _restart_and_ask(kernel_code: str) -> tuple[list[str], bool, int]:
    """Start a kernel, restart it as the judge does, then ask it something through the same client.

    Returns what the new kernel printed, whether the connection file stayed and how many kernel
    runtime folders exist afterwards.
    """
    km = SandboxedKernelManager()
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        before = km.connection_file
        await km.restart_kernel(now=True)
        await kc.wait_for_ready(timeout=60)
        printed: list[str] = []

        def collect(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        await kc.execute_interactive(kernel_code, timeout=30, output_hook=collect)
        runtime = Path(km.connection_file).parent
        folders = [p for p in runtime.parent.glob("k-*") if p.suffix != ".root"]  # warm: k-….root
        return printed, km.connection_file == before, len(folders)
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.timeout(120)  # the bug this guards against was a client blocked forever
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_a_restarted_kernel_is_reached_by_the_client_of_the_old_one(mode, monkeypatch):
    _mode_or_skip(mode)
    monkeypatch.setenv("GRADING_SANDBOX", mode)
    printed, same_file, runtimes = asyncio.run(_restart_and_ask("print(6 * 7)"))
    assert printed == ["42\n"] and same_file and runtimes == 1


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_figures_are_built_but_not_rendered_while_grading(mode, monkeypatch):
    _mode_or_skip(mode)
    code = """
import io
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from calclib.pictures.figure_image import figure_png
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 3])
direct = Figure(layout="constrained")
direct.subplots().plot([1, 2])
print(plt.get_backend(), len(figure_png(fig)), ax.get_ylim()[1] > 3)
buffer = io.BytesIO(); direct.savefig(buffer, format="png", bbox_inches="tight")
print(len(buffer.getvalue()))
laid_out = Figure(layout="constrained")
axes = laid_out.subplots()
axes.set_title("never measured")
laid_out.savefig(io.BytesIO(), format="png")
print(axes.get_position().x0 == 0.125)  # a draw would have moved it (constrained layout)
"""
    nb = _run(
        [code, "import matplotlib.pyplot as plt\nprint(plt.get_fignums())"], mode, monkeypatch
    )
    placeholder = 68
    assert _text(nb.cells[0]).split() == [
        sandbox.GRADING_FIGURES_BACKEND,
        str(placeholder),
        "True",
        str(placeholder),
        "True",
    ]
    assert _text(nb.cells[1]) == "[]\n"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_shutdown_is_immediate_and_leaves_nothing_behind(mode, monkeypatch):
    _mode_or_skip(mode)
    monkeypatch.setenv("GRADING_SANDBOX", mode)

    async def life() -> tuple[float, object, Path]:
        km = SandboxedKernelManager()
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        # A grandchild that ignores every signal it can and outlives its parent.
        await kc.execute_interactive(
            "import subprocess\nsubprocess.Popen(['sh', '-c', 'trap \"\" TERM INT HUP; sleep 600'])",
            timeout=30,
        )
        kc.stop_channels()
        provisioner = km.provisioner
        uid, runtime, cgroup = provisioner.uid, provisioner.runtime, provisioner.cgroup
        start = time.perf_counter()
        await km.shutdown_kernel()
        return time.perf_counter() - start, (uid, cgroup), runtime

    took, (uid, cgroup), runtime = asyncio.run(life())
    assert took < 1.0
    assert not runtime.exists()
    if cgroup is not None:
        assert not any(folder.exists() for folder in cgroup.folders.values())
    if uid is not None:
        owners = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _uid_of(p) == uid]
        assert owners == [], "a process of the kernel outlived it"


def _uid_of(process: Path) -> int | None:
    try:
        for line in (process / "status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@pytest.mark.slow
def test_the_zygote_starts_no_thread_and_stops_with_its_grader():
    if os.geteuid() != 0:
        pytest.skip("warm kernels need root")
    zygote = Zygote()
    zygote.start()
    pid = zygote.process.pid
    assert len(os.listdir(f"/proc/{pid}/task")) == 1
    assert Path(zygote.socket_path).parent.stat().st_mode & 0o777 == 0o700
    zygote.process.stdin.close()  # what the grader's exit does
    assert zygote.process.wait(timeout=10) == 0
    zygote.stop()


WORKER = """
import nbformat
from nbclient import NotebookClient
from grading.head_start import SHARED_ZYGOTE_VARIABLE, Zygote, share_zygote
from grading.kernels import SandboxedKernelManager
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
NotebookClient(nb, kernel_manager_class=SandboxedKernelManager, timeout=60).execute()
zygote = Zygote.instance()
print(nb.cells[0].outputs[0]["text"].strip(), zygote.shared, zygote.socket_path, zygote.process)
"""


@pytest.mark.slow
def test_grading_workers_fork_their_kernels_from_the_zygote_shared_with_them(monkeypatch):
    """A worker started after share_zygote (it inherits the environment) starts no zygote."""
    _mode_or_skip("warm")
    monkeypatch.setenv("GRADING_SANDBOX", "warm")
    monkeypatch.delenv(SHARED_ZYGOTE_VARIABLE, raising=False)
    try:
        starting = share_zygote()
        if starting is not None:
            starting.join()
        shared = os.environ[SHARED_ZYGOTE_VARIABLE]
        assert shared == Zygote.instance().socket_path
        worker = subprocess.run(
            [sys.executable, "-c", WORKER], capture_output=True, text=True, timeout=120, check=True
        )
    finally:
        os.environ.pop(SHARED_ZYGOTE_VARIABLE, None)  # set by share_zygote, not by monkeypatch
    assert worker.stdout.split() == ["42", "True", shared, "None"], worker.stderr


@pytest.mark.slow
def test_the_zygote_warms_torch_only_when_asked():
    if os.geteuid() != 0:
        pytest.skip("warm kernels need root")
    loaded = {}
    for optional in ((), ("torch",)):
        zygote = Zygote()
        zygote.start(optional=optional)
        maps = Path(f"/proc/{zygote.process.pid}/maps").read_text()
        loaded[optional] = "libtorch" in maps
        zygote.stop()
    assert loaded == {(): False, ("torch",): True}


HIJACK = """
import json
escaped = []
try:
    info = json.load(open({connection_file!r}))
    escaped.append("read its connection file")
except OSError:
    info = None
if info:
    from jupyter_client import BlockingKernelClient
    client = BlockingKernelClient()
    client.load_connection_info(info)
    client.start_channels()
    try:
        reply = client.execute_interactive("hijacked = True", timeout=10)
        if reply["content"]["status"] == "ok":
            escaped.append("ran code in it")
    except Exception:
        pass
    finally:
        client.stop_channels()
print(escaped)
"""


async def _hijack_attempt(mode: str) -> tuple[list[str], bool]:
    """Two kernels side by side; the second tries to drive the first. Returns what got through."""
    os.environ["GRADING_SANDBOX"] = mode
    managers, clients = [], []
    try:
        for _ in range(2):
            km = SandboxedKernelManager()
            await km.start_kernel()
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=60)
            managers.append(km)
            clients.append(kc)
        printed: list[str] = []

        def collect(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        code = HIJACK.replace("{connection_file!r}", repr(managers[0].connection_file))
        await clients[1].execute_interactive(code, timeout=60, output_hook=collect)
        check = await clients[0].execute_interactive(
            "print('hijacked' in dir())", timeout=30, output_hook=collect
        )
        assert check["content"]["status"] == "ok"
        return ast.literal_eval(printed[0]), printed[1].strip() == "True"
    finally:
        for kc in clients:
            kc.stop_channels()
        for km in managers:
            await km.shutdown_kernel()


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_a_kernel_cannot_reach_the_kernel_graded_beside_it(mode, monkeypatch):
    _mode_or_skip(mode)
    monkeypatch.setenv("GRADING_SANDBOX", mode)
    assert asyncio.run(_hijack_attempt(mode)) == ([], False)


@pytest.mark.slow
def test_unconfined_a_kernel_drives_the_kernel_beside_it(monkeypatch):
    """The control: with GRADING_SANDBOX=off the same attack reads the file and runs code."""
    monkeypatch.setenv("GRADING_SANDBOX", "off")
    escaped, hijacked = asyncio.run(_hijack_attempt("off"))
    assert escaped == ["read its connection file", "ran code in it"]
    assert hijacked


@pytest.mark.slow
def test_a_warm_kernel_survives_freeing_what_the_zygote_opened(monkeypatch):
    """Fonts the zygote loaded hold open files; freeing them must not close the kernel's sockets.

    (Closing the zygote's descriptors behind Python's back once made this abort the kernel.)
    """
    _mode_or_skip("warm")
    free = (
        "import gc\nfrom matplotlib import font_manager\n"
        "font_manager._get_font.cache_clear()\ngc.collect()\nprint('freed')"
    )
    nb = _run([free, "print('still here')"], "warm", monkeypatch)
    assert [_text(cell) for cell in nb.cells] == ["freed\n", "still here\n"]
