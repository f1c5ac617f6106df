"""Start JupyterLab the way people do (`make lab`, `make instructor`) for a test, and drive it.

`running_lab` runs the make target on a free port and stops it afterwards; the browser helpers
below drive Debian's Chromium through Playwright (no browser download) and save a screenshot
when a step fails, naming the file in the failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import COURSE_ROOT

TOKEN = "calculus-for-ml-test"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where a failing browser test leaves its screenshot (BROWSER_SCREENSHOTS=<folder> moves it).
SCREENSHOTS = Path(
    os.environ.get(
        "BROWSER_SCREENSHOTS", Path(tempfile.gettempdir()) / "calculus-for-ml-screenshots"
    )
)
# The tests' JupyterLab settings: every cell attached to the page (so a cell's index in the file
# is its index on the page) and no autosave (the test decides what is written).
TEST_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


INSTRUCTOR_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
]


def page_config(page: str) -> dict:
    """The JSON page config JupyterLab embeds in its /lab page."""
    marker = 'id="jupyter-config-data" type="application/json">'
    return json.loads(page.split(marker)[1].split("</script>")[0])


def get(url: str) -> tuple[int, str]:
    """GET a URL of the running server with the test token."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def shutdown_kernels(base: str) -> None:
    """Shut down every kernel of the running server (a lesson done frees its memory and CPU)."""
    _, listing = get(f"{base}/api/kernels")
    for kernel in json.loads(listing):
        request = urllib.request.Request(
            f"{base}/api/kernels/{kernel['id']}",
            method="DELETE",
            headers={"Authorization": f"token {TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=60):
            pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_environment(state: Path) -> dict[str, str]:
    """The environment for a test's lab: its own settings and workspaces under ``state``."""
    settings = state / "user-settings"
    for name, values in TEST_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
    )


@contextlib.contextmanager
def running_lab(
    log_path: Path, target: str = "lab", make_vars: tuple[str, ...] = (), env: dict | None = None
) -> Iterator[tuple[str, str]]:
    """Run `make <target>` on a free port; yield (base URL, the /lab page) once it answers."""
    port = _free_port()
    # window.jupyterapp lets a test wait for JupyterLab's own events instead of sleeping.
    args = (
        f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={TOKEN}"
        " --LabApp.expose_app_in_browser=True"
    )
    with log_path.open("w") as log:
        lab = subprocess.Popen(
            ["make", "--no-print-directory", target, f"LAB_ARGS={args}", *make_vars],
            cwd=COURSE_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert lab.poll() is None, f"make {target} exited early:\n{log_path.read_text()}"
            try:
                status, page = get(f"{base}/lab")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "JupyterLab did not answer within 180 s"
                time.sleep(0.5)
        assert status == 200
        yield base, page
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)


@contextlib.contextmanager
def screenshots_on_failure(page: Any, name: str) -> Iterator[None]:
    """Save a screenshot of ``page`` to ``SCREENSHOTS/name.png`` if the block fails, and say where.

    SCREENSHOTS outlives pytest's temporary folders (which keep only the last three runs, soon
    gone on a shared machine); CI can upload it.
    """
    try:
        yield
    except Exception as error:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{name}.png"
        try:
            page.screenshot(path=str(shot), full_page=False)
        except Exception as screenshot_error:  # noqa: BLE001 - the page itself may be gone
            raise AssertionError(f"{error}\n(no screenshot: {screenshot_error})") from error
        raise AssertionError(f"{error}\nScreenshot of the failure: {shot}") from error


class Laps:
    """Seconds spent in each step of a browser test, printed with the test's output (-s)."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.steps: list[str] = []

    def lap(self, step: str) -> None:
        now = time.monotonic()
        self.steps.append(f"{step} {now - self.last:.0f}")
        self.last = now

    def __str__(self) -> str:
        total = time.monotonic() - self.started
        return f"{total:.0f} s ({', '.join(self.steps)})"


# True in the page when no cell is queued or running and the kernel is idle.
NOTHING_RUNNING = """() =>
    !Array.from(document.querySelectorAll('.jp-InputPrompt'))
        .some(prompt => prompt.textContent.includes('[*]'))
    && document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]') !== null"""


class LabPage:
    """One Chromium page of a running JupyterLab, kept from notebook to notebook.

    Loading JupyterLab is the slowest part of opening a notebook, so the page loads it once and
    opens each notebook in it (``docmanager:open``, as the file browser does). A notebook done
    with is closed unsaved (`finish`); a page that saw a failure is thrown away (`discard`) and
    the next notebook gets a fresh page, so one failure cannot spill into the next test.
    """

    def __init__(self, browser: Any, base: str, workspace: str) -> None:
        self.browser, self.base, self.workspace = browser, base, workspace
        self.page: Any = None

    def load(self) -> Any:
        """The page, with JupyterLab loaded and restored (a fresh page if there is none)."""
        if self.page is None:
            self.page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
            self.page.goto(f"{self.base}/lab/workspaces/{self.workspace}?reset&token={TOKEN}")
            self.page.wait_for_function("() => window.jupyterapp", timeout=180_000)
            self.page.evaluate("() => window.jupyterapp.restored.then(() => null)")
        return self.page

    def open(self, path: str, n_cells: int = 1) -> None:
        """Open ``path``; wait for its ``n_cells`` cells and its kernel.

        The status bar says "Python 3 (ipykernel) | Idle" once the kernel is connected and idle
        ("No Kernel | Initializing" before, when the execution indicator may already read idle).
        """
        page = self.load()
        page.evaluate(
            "path => window.jupyterapp.commands"
            ".execute('docmanager:open', {path, factory: 'Notebook'}).then(() => null)",
            path,
        )
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=180_000)
        deadline = time.monotonic() + 180
        while True:
            shown = page.locator(".jp-NotebookPanel .jp-Cell").count()
            status = page.locator("#jp-main-statusbar").inner_text()
            if shown >= n_cells and "ipykernel) | Idle" in status:
                return
            assert time.monotonic() < deadline, (
                f"{path}: {shown} of {n_cells} cells shown, status bar {status!r} after 180 s"
            )
            time.sleep(0.5)

    def finish(self) -> None:
        """Close every open document without saving; the page stays for the next notebook."""
        self.page.evaluate(
            """async () => {
                const app = window.jupyterapp;
                for (const widget of Array.from(app.shell.widgets('main'))) {
                    if (widget.context) widget.context.model.dirty = false;
                }
                await app.commands.execute('application:close-all');
            }"""
        )
        self.page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=30_000)

    def discard(self) -> None:
        """Throw the page away (after a failure): the next notebook loads a fresh one."""
        if self.page is not None:
            self.page.close()
            self.page = None


def run_all(page: Any, playwright_api: Any) -> None:
    """Run > Run All Cells; click again if the first click was lost while the lab settled."""
    for _ in range(3):
        page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=15_000)
        page.click('[data-command="runmenu:run-all"]', timeout=15_000)
        try:
            page.wait_for_selector(".jp-InputPrompt:has-text('[*]')", timeout=15_000)
            return
        except playwright_api.TimeoutError:
            page.keyboard.press("Escape")
    raise AssertionError("Run All never started a cell")


def wait_until_idle(page: Any, seconds: float = 240) -> None:
    """Wait until no cell is queued or running and the kernel is idle (checked in the page)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(NOTHING_RUNNING, timeout=seconds * 1000, polling=200)
    except PlaywrightTimeout as error:
        raise AssertionError(f"cells still running after {seconds:.0f} s") from error


def run_cell(page: Any, cell: Any, seconds: float = 120) -> None:
    """Run ``cell`` (a locator) with Ctrl+Enter; wait until it has run and the kernel is idle.

    A cell has run when its prompt shows a new execution count: right after the key press the
    kernel may still read idle, before the cell was even queued.
    """
    cell.scroll_into_view_if_needed()
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    prompt.click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "([prompt, before]) => prompt.textContent !== before && !prompt.textContent.includes('*')",
        arg=[prompt.element_handle(), before],
        timeout=seconds * 1000,
    )
    wait_until_idle(page, seconds)
