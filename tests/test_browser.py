"""A student's first minutes, in a real browser: open lesson 01 in `make lab` and run it.

Chromium (Debian's, driven by Playwright without its own browser download) opens the student
copy of 01-limits, runs every cell up to the first unanswered challenge, and we check what the
student sees: the lesson's widgets and figures rendered, no error or warning output before the
challenges, and nbgrader's Validate button in the toolbar.
"""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import COURSE_ROOT
from lab_server import TOKEN, running_lab

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="Debian's chromium is not installed"
    ),
]

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


def _run_all(page) -> None:
    """Run > Run All Cells; click again if the first click was lost while the lab settled."""
    for _ in range(3):
        page.click("text=Run", timeout=15_000)
        page.click('[data-command="runmenu:run-all"]', timeout=15_000)
        try:
            page.wait_for_selector(".jp-InputPrompt:has-text('[*]')", timeout=15_000)
            return
        except playwright_api.TimeoutError:
            page.keyboard.press("Escape")
    raise AssertionError("Run All never started a cell")


def _wait_until_idle(page, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while page.locator(".jp-InputPrompt:has-text('[*]')").count():
        assert time.monotonic() < deadline, "cells still running after two minutes"
        time.sleep(0.5)


def test_lesson_01_runs_in_the_browser_with_widgets_and_figures(tmp_path):
    # The lab serves the repository's own notebooks/: put the file back if the lab saved it.
    notebook = COURSE_ROOT / "notebooks" / "01-limits" / "01-limits.ipynb"
    original = notebook.read_bytes()
    try:
        _run_lesson_01(tmp_path)
    finally:
        notebook.write_bytes(original)


def _run_lesson_01(tmp_path) -> None:
    with running_lab(tmp_path / "lab.log") as (base, _), playwright_api.sync_playwright() as p:
        # Playwright gives the browser a fresh, empty profile of its own.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/01-limits/01-limits.ipynb?token={TOKEN}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
            page.wait_for_selector(
                '.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000
            )
            _run_all(page)
            _wait_until_idle(page)
            page.screenshot(path=str(tmp_path / "lesson-01.png"), full_page=False)

            # Widgets rendered live (a broken widget manager shows a text fallback instead).
            assert page.locator(".jupyter-widgets .widget-slider").count() >= 1
            assert page.get_by_text("could not be displayed").count() == 0
            assert page.locator(".jp-RenderedImage img, .widget-image").count() >= 1
            # Run All stops at the first unanswered challenge, NotImplementedError: that error is
            # the only one, and nothing before it wrote to stderr.
            errors = page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            )
            assert errors.count() == 1, f"{errors.count()} error/warning outputs"
            assert "NotImplementedError" in (errors.first.text_content() or "")
            assert page.locator(".jp-Toolbar >> text=Validate").count() == 1
        finally:
            browser.close()
