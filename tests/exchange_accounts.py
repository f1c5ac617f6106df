"""Student accounts and an exchange for the tests of nbgrader's release/submit/feedback flow.

Where the tests run as root with ``useradd``, the students are real system users: each nbgrader
command runs in a process that has dropped to the student's uid and gid, so the exchange's
permissions are enforced by the kernel as on a shared JupyterHub.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import COURSE_ROOT, nbgrader_env

COURSE_ID = "calculus-for-ml"

# Run one nbgrader command as a student: root starts Python (the venv lives under /root, which
# other users cannot enter), imports nbgrader in full, then drops to the student's uid and gid
# for good before nbgrader touches a file.
AS_STUDENT = """
import os, sys
import nbgrader.apps.nbgraderapp as nbgraderapp
import nbgrader.exchange.default  # noqa: F401  (every exchange command, imported while root)
import jupyter_core.migrate  # noqa: F401  (jupyter_core imports it lazily at each app's start)
uid, gid = int(sys.argv[1]), int(sys.argv[2])
os.setgroups([])
os.setgid(gid)
os.setuid(uid)
assert os.getuid() == uid and os.geteuid() == uid, "could not drop to the student's uid"
sys.argv = ["nbgrader", *sys.argv[3:]]
nbgraderapp.main()
"""


@dataclass
class Student:
    """A student account: a name (nbgrader's student id), a HOME, and a uid when it is real."""

    name: str
    home: Path
    uid: int | None = None
    gid: int | None = None

    def nbgrader(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``nbgrader *args`` as this student, in their HOME; fail the test with its log."""
        env = {
            "PATH": nbgrader_env()["PATH"],
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "LANG": "C.UTF-8",
            # Said outright, so jupyter_core need not stat the venv to decide: a student may not
            # be able to enter the folder it lives in (a root-only clone in /tmp, say).
            "JUPYTER_PREFER_ENV_PATH": "0",
        }
        if self.uid is None:
            command = [sys.executable, "-m", "nbgrader", *args]
        else:
            command = [sys.executable, "-c", AS_STUDENT, str(self.uid), str(self.gid), *args]
        done = subprocess.run(
            command,
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{self.name}: nbgrader {' '.join(args)}\n{done.stderr}"
        return done


def can_create_users() -> bool:
    return os.geteuid() == 0 and shutil.which("useradd") is not None


@contextlib.contextmanager
def new_exchange() -> Iterator[Path]:
    """A fresh exchange made by `make exchange`, outside pytest's root-only tmp folders."""
    parent = Path(tempfile.mkdtemp(prefix="calc-exchange-"))
    parent.chmod(0o755)
    root = parent / "exchange"
    try:
        done = subprocess.run(
            ["make", "--no-print-directory", "exchange", f"NBGRADER_EXCHANGE={root}"],
            cwd=COURSE_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        yield root
    finally:
        shutil.rmtree(parent, ignore_errors=True)


@contextlib.contextmanager
def student_accounts(
    exchange_root: Path, names: tuple[str, ...] = ("ana", "bob")
) -> Iterator[dict[str, Student]]:
    """Student accounts, each with a HOME of their own and the student-side nbgrader config.

    Real system users (``cfml-<name>-<tag>``) where this runs as root with ``useradd``, removed
    afterwards; elsewhere separate HOMEs and ``USER`` names under this account.
    """
    real = can_create_users()
    tag = uuid.uuid4().hex[:6]
    homes = Path(tempfile.mkdtemp(prefix="calc-students-"))
    homes.chmod(0o755)
    made: list[str] = []
    accounts: dict[str, Student] = {}
    try:
        for short in names:
            home = homes / short
            home.mkdir()
            if real:
                name = f"cfml-{short}-{tag}"
                subprocess.run(
                    [
                        "useradd",
                        "--no-create-home",
                        "--home-dir",
                        str(home),
                        "--shell",
                        "/usr/sbin/nologin",
                        name,
                    ],
                    check=True,
                    capture_output=True,
                )
                made.append(name)
                entry = pwd.getpwnam(name)
                student = Student(name, home, entry.pw_uid, entry.pw_gid)
            else:
                student = Student(f"cfml-{short}-{tag}", home)
            # What /etc/jupyter/nbgrader_config.py holds on a JupyterHub (README): the course
            # and the exchange. Here each student has it in their own ~/.jupyter.
            config = home / ".jupyter" / "nbgrader_config.py"
            config.parent.mkdir()
            config.write_text(
                "c = get_config()  # noqa: F821\n"
                f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
                f"c.Exchange.root = {str(exchange_root)!r}\n"
            )
            if real:
                for path in (home, config.parent, config):
                    os.chown(path, student.uid, student.gid)
                home.chmod(0o700)
            accounts[short] = student
        yield accounts
    finally:
        for name in made:
            subprocess.run(["userdel", name], check=False, capture_output=True)
        shutil.rmtree(homes, ignore_errors=True)
