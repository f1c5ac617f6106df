"""Start the IPython kernel for one student's notebook inside a bubblewrap sandbox.

nbgrader starts a kernel for each submission it autogrades, with the working directory set to
``<course>/autograded/<student>/<assignment>``. ``grade_class.py`` points nbgrader at a kernelspec
whose command is this script, which replaces itself with::

    bwrap (read-only system, no network, own PID namespace)
      └─ python -m ipykernel_launcher -f <connection file>

Inside the sandbox the student's code

- sees the whole file system read-only, except its own autograded folder and a private scratch
  folder (``HOME`` and ``TMPDIR``);
- cannot see the course's solutions, gradebook, or anyone's submissions or feedback;
- has no network, and its own process tree;
- is held by resource limits: CPU seconds, address space, file size, open files.

The kernel talks to nbgrader over Unix sockets in the grading run's runtime folder, the only other
folder bound into the sandbox.

Example (what the kernelspec runs)::

    python scripts/sandboxed_kernel.py -f /path/to/runtime/kernel-1234.json [ipykernel options]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

# Folders and files of the course a submission must never read (solutions, hidden tests, grades,
# other students' work). Missing ones are skipped.
HIDDEN_FOLDERS = ("solutions", "source", "submitted", "autograded", "feedback", "exchange", ".git")
HIDDEN_FILES = ("gradebook.db", "grades.csv")

LIMITS = {
    resource.RLIMIT_CPU: 600,  # CPU seconds for the whole notebook
    resource.RLIMIT_AS: 8 * 2**30,  # address space: torch alone reserves a few GB
    resource.RLIMIT_FSIZE: 64 * 2**20,  # largest file it may write
    resource.RLIMIT_NOFILE: 1024,
}


def course_of(workdir: Path) -> Path:
    """The course root of ``<course>/autograded/<student>/<assignment>``."""
    if workdir.parent.parent.name != "autograded":
        sys.exit(
            f"sandboxed_kernel: expected to start in autograded/<student>/<assignment>, "
            f"not {workdir}"
        )
    return workdir.parent.parent.parent


def bwrap_command(workdir: Path, runtime_dir: Path, scratch: Path, kernel: list[str]) -> list[str]:
    """The bubblewrap command line that runs ``kernel`` for the submission in ``workdir``."""
    course = course_of(workdir)
    command = [
        "bwrap",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
    ]
    for name in HIDDEN_FOLDERS:
        if (course / name).is_dir():
            command += ["--tmpfs", str(course / name)]
    for name in HIDDEN_FILES:
        if (course / name).is_file():
            command += ["--ro-bind", "/dev/null", str(course / name)]
    for folder in (workdir, runtime_dir, scratch):
        command += ["--bind", str(folder), str(folder)]
    # Without a parent PID to watch (it lives outside the PID namespace) ipykernel would exit.
    command += ["--unsetenv", "JPY_PARENT_PID", "--chdir", str(workdir)]
    for name in ("HOME", "TMPDIR", "MPLCONFIGDIR", "IPYTHONDIR"):
        command += ["--setenv", name, str(scratch)]
    return command + kernel


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] != "-f":
        sys.exit("usage: sandboxed_kernel.py -f CONNECTION_FILE [ipykernel options]")
    connection_file = Path(argv[1]).resolve()
    runtime_dir = connection_file.parent
    scratch = Path(tempfile.mkdtemp(prefix="sandbox-home-", dir=runtime_dir))
    for limit, value in LIMITS.items():
        resource.setrlimit(limit, (value, value))
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file), *argv[2:]]
    command = bwrap_command(Path.cwd(), runtime_dir, scratch, kernel)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
