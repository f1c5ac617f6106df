"""`make lab`, the students' command, really serves JupyterLab on notebooks/."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from conftest import COURSE_ROOT

TOKEN = "calculus-for-ml-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_on_the_student_notebooks(tmp_path):
    port = _free_port()
    log = (tmp_path / "lab.log").open("w+")
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={TOKEN}"
    lab = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=COURSE_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert lab.poll() is None, (
                f"make lab exited early:\n{(tmp_path / 'lab.log').read_text()}"
            )
            try:
                status, page = _get(f"http://127.0.0.1:{port}/lab")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        assert status == 200
        assert "jupyter-config-data" in page and "JupyterLab" in page

        _, listing = _get(f"http://127.0.0.1:{port}/api/contents")
        served = {item["name"] for item in json.loads(listing)["content"]}
        released = {folder.name for folder in (COURSE_ROOT / "notebooks").iterdir()}
        assert served == released, f"lab serves {served}, not the student notebooks {released}"

        # The student set-up (binder/postBuild) hides and locks nbgrader's instructor tools.
        config = json.loads(
            page.split('id="jupyter-config-data" type="application/json">')[1].split("</script>")[0]
        )
        assert "@jupyter/nbgrader:formgrader" in config["disabledExtensions"]
        assert "@jupyter/nbgrader:formgrader" in config.get("lockedExtensions", [])
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
        log.close()
