"""Every lesson as a student meets it, in a real browser: `make lab`, Chromium, the real kernel.

One JupyterLab (`make lab` on a scratch copy of notebooks/), one Chromium and one page of it
(JupyterLab is loaded once; a page that saw a failure is replaced) serve all lessons.
For each lesson the test opens the student copy and checks, as a student would see it:

1. Run All reaches the end: the last cell's ``progress()`` shows its summary;
2. a slider of the lesson's widget changes its figure;
3. a wrong answer typed into a challenge shows ✗ with its likely mistake and a hint;
4. the right answer shows ✓, and ``progress()`` counts one more challenge;
5. nbgrader's Validate button answers with a summary line first, then each failing test cell
   by its first line and the checker's message.

The lessons change often, so each is one row of ``LESSONS``: the widget (a piece of its call),
the challenge, and a wrong answer with the words of its likely mistake and a right answer (both
from the lesson's bank in tests/wrong_answers/). A failing step saves a screenshot and names it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass

import nbformat
import pytest
from conftest import COURSE_ROOT
from ipykernel.ipkernel import IPythonKernel
from lab_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LabPage,
    Laps,
    lab_environment,
    run_all,
    run_cell,
    running_lab,
    screenshots_on_failure,
    shutdown_kernels,
    wait_until_idle,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="Debian's chromium is not installed"
    ),
]


@dataclass(frozen=True)
class Lesson:
    """What the browser does in one lesson.

    ``widget`` is a piece of the widget call whose first slider is moved (None: the lesson has
    no widget); ``challenge`` the challenge id (its cells are ``<id>-answer`` and ``<id>-tests``);
    ``wrong`` and ``right`` the code typed as the answer; ``mistake`` words of the likely mistake
    the wrong answer must be told.
    """

    name: str
    widget: str | None
    challenge: str
    wrong: str
    mistake: str
    right: str


LESSONS = [
    Lesson(
        "00-start-here",
        None,
        "q1-numpy-practice",
        "xs = np.linspace(0, 1, 11)\nsquares = xs * 2",
        "each point was doubled",
        "xs = np.linspace(0.0, 1.0, 11)\nsquares = xs**2",
    ),
    Lesson(
        "01-limits",
        "secant_widget(",
        "q1-limit-value",
        "limit_value = -2",
        "a sign error",
        "limit_value = 2",
    ),
    Lesson(
        "02-derivatives",
        "tangent_widget(",
        "q1-power-rule-expression",
        'dcube = "3*x**3"',
        "the exponent came down but was not lowered",
        'dcube = "3*x**2"',
    ),
    Lesson(
        "03-partial-derivatives",
        "gradient_widget(",
        "q1-partials-abc",
        'df_db = "1"\ndf_dc = "2*c"',
        "carries that minus sign",
        'df_db = "-1"\ndf_dc = "2*c"',
    ),
    Lesson(
        "04-chain-rule",
        "backward_stepper(",
        "q1-chain-expression",
        'dg_dx = "cos(3*x)*exp(sin(3*x))"',
        "the inner derivative 3 of 3x is missing",
        'dg_dx = "3*cos(3*x)*exp(sin(3*x))"',
    ),
    Lesson(
        "05-gradient-descent",
        "lr_regime_widget(",
        "q2-learning-rate",
        "lr_budget = 0.01",
        "too slow in the flat direction x",
        "lr_budget = 2 / 22",
    ),
    Lesson(
        "06-autograd",
        "backward_stepper(",
        "q3-torch-gradient",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
        "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\n"
        "torch_grad = x_q3.grad",
        "call f_q3.backward()",
        "x_q3 = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n"
        "f_q3 = torch.log(1 + (x_q3**2).sum()) + x_q3.prod()\n"
        "f_q3.backward()\n"
        "torch_grad = x_q3.grad",
    ),
    Lesson(
        "07-integrals-and-expectation",
        "riemann_widget(",
        "q5-expectation",
        "expected_cube = 27",
        "x**4 / 4",
        "expected_cube = sp.Rational(27, 4)",
    ),
]

# What the kernel tells JupyterLab about itself: a notebook that says the same opens clean.
KERNEL_LANGUAGE_INFO = dict(IPythonKernel.language_info)

# Every image and canvas of a cell's outputs, as data: it changes when the figure is redrawn.
FIGURE_DATA = """cell => Array.from(cell.querySelectorAll('.jp-OutputArea img, .jp-OutputArea canvas'))
    .map(e => e.tagName === 'IMG' ? e.src : e.toDataURL()).join('|')"""


# Whether the open notebook is unsaved once the kernel's language_info and kernelspec have
# reached it (JupyterLab writes them into the notebook when they arrive from the kernel).
DIRTY_ONCE_KERNEL_KNOWN = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.sessionContext.ready;
    const kernel = panel.sessionContext.session.kernel;
    await Promise.all([kernel.info, kernel.spec]);
    await new Promise(resolve => setTimeout(resolve, 300));  // the panel's own handlers, then ours
    return panel.model.dirty;
}"""


@dataclass
class CellIndex:
    """Where a lesson's cells are, by their index in the student copy (the page's order)."""

    widget: int | None
    answer: int
    tests: int
    progress: int
    n_challenges: int
    complete_metadata: bool

    @classmethod
    def of(cls, lesson: Lesson) -> CellIndex:
        path = COURSE_ROOT / "notebooks" / lesson.name / f"{lesson.name}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        cells = notebook.cells
        ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells]
        code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
        widget = None
        if lesson.widget:
            matches = [i for i in code if lesson.widget in cells[i].source]
            assert matches, f"{lesson.name}: no cell calls {lesson.widget!r}; update LESSONS"
            widget = matches[0]
        for part in ("answer", "tests"):
            assert f"{lesson.challenge}-{part}" in ids, (
                f"{lesson.name} has no cell {lesson.challenge}-{part}; update LESSONS"
            )
        progress = [i for i in code if "progress(" in cells[i].source]
        assert progress, f"{lesson.name} has no progress() cell"
        return cls(
            widget=widget,
            answer=ids.index(f"{lesson.challenge}-answer"),
            tests=ids.index(f"{lesson.challenge}-tests"),
            progress=progress[-1],
            n_challenges=sum(1 for i in ids if i and i.endswith("-tests")),
            complete_metadata=notebook.metadata.get("language_info") == KERNEL_LANGUAGE_INFO,
        )


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One `make lab` on a scratch copy of notebooks/, one Chromium and one page of it."""
    state = tmp_path_factory.mktemp("lab")
    shutil.copytree(COURSE_ROOT / "notebooks", state / "notebooks")
    with (
        running_lab(
            state / "lab.log",
            make_vars=(f"LAB_DIR={state / 'notebooks'}",),
            env=lab_environment(state),
        ) as (base, _),
        playwright_api.sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield base, LabPage(browser, base, "lessons")
        finally:
            browser.close()
    # The lab's own kernels and Validate's are quiet (Validate's start as the lab's do:
    # binder/validate_summary.py).
    log = (state / "lab.log").read_text()
    assert "Kernel started" in log and "Validating" in log
    assert "without encryption" not in log, "make lab warns about unencrypted kernels"


def _cell(page, index: int):
    return page.locator(".jp-NotebookPanel .jp-Notebook > .jp-WindowedPanel-outer .jp-Cell").nth(
        index
    )


def _outputs(page, index: int) -> str:
    return "\n".join(_cell(page, index).locator(".jp-OutputArea-output").all_inner_texts())


def _run_cell(page, index: int) -> None:
    run_cell(page, _cell(page, index))


def _type_answer(page, index: int, code: str) -> None:
    """Replace the answer cell's code as a student would: select it all, write the answer."""
    editor = _cell(page, index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)
    page.keyboard.press("Escape")  # command mode
    _run_cell(page, index)


def _progress_summary(page, index: int) -> str:
    text = _outputs(page, index)
    lines = [line for line in text.splitlines() if "pass." in line]
    if not lines:
        prompts = page.locator(".jp-NotebookPanel .jp-Cell .jp-InputPrompt").all_inner_texts()
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        raise AssertionError(
            f"progress() shows no summary (its output: {text!r}); the prompts: "
            f"{[p for p in prompts if p]}; the errors shown:\n" + "\n".join(errors)[:3000]
        )
    return lines[0].strip()


def _assert_validate_summary(result: str, n_failing: int, n_challenges: int) -> None:
    """Validate's dialog opens with one summary line; each failing test cell shows one line."""
    summary, *entries = result.strip().split("The following cell failed:")
    expected = rf"{n_failing} of {n_challenges} challenges? do not pass yet: (.+)\.$"
    found = re.fullmatch(expected, summary.strip())
    assert found, f"Validate's first line is not its summary:\n{result[:2000]}"
    named = re.findall(r"([\w-]+) \(([^)]+)\)", found[1])
    assert len(named) == n_failing == len(entries), f"summary vs failing cells:\n{result[:3000]}"
    for entry in entries:
        source = entry.strip().split("\n✗")[0]
        assert len(source.splitlines()) == 1, f"a failing test cell shown whole:\n{entry[:2000]}"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_lesson_in_the_browser(lab, lesson: Lesson) -> None:
    base, lab_page = lab
    where = CellIndex.of(lesson)
    laps = Laps()
    page = lab_page.load()
    finished = False
    try:
        with screenshots_on_failure(page, lesson.name):
            path = f"{lesson.name}/{lesson.name}.ipynb"
            lab_page.open(path, n_cells=where.progress + 1)
            menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            assert "Nbgrader" not in menus, "students see the (empty) Nbgrader menu"
            if where.complete_metadata:  # the kernel's metadata (see test_make_lab.py)
                assert not page.evaluate(DIRTY_ONCE_KERNEL_KNOWN), "the untouched lesson is unsaved"
                dirty = page.locator(".lm-TabBar-tab.jp-mod-dirty").count()
                assert dirty == 0, "the untouched lesson is marked unsaved"
            laps.lap("open")

            # 1. Run All reaches the end.
            run_all(page, playwright_api)
            wait_until_idle(page)
            before = _progress_summary(page, where.progress)
            assert re.search(rf"of {where.n_challenges} challenges? pass\.", before), before
            assert page.get_by_text("could not be displayed").count() == 0
            laps.lap("run all")

            # 2. A slider redraws its figure.
            if where.widget is not None:
                widget = _cell(page, where.widget)
                widget.scroll_into_view_if_needed()
                figure = widget.evaluate(FIGURE_DATA)
                assert figure, f"{lesson.widget}...) shows no figure"
                handle = widget.locator(".widget-slider .noUi-handle").first
                handle.click()
                for _ in range(3):
                    page.keyboard.press("ArrowRight")
                try:
                    page.wait_for_function(
                        f"([cell, before]) => ({FIGURE_DATA})(cell) !== before",
                        arg=[widget.element_handle(), figure],
                        timeout=30_000,
                    )
                except playwright_api.TimeoutError as error:
                    raise AssertionError("moving the slider left the figure as is") from error
                laps.lap("slider")

            # 3. A wrong answer: ✗, its likely mistake and a hint.
            _type_answer(page, where.answer, lesson.wrong)
            _run_cell(page, where.tests)
            told = _outputs(page, where.tests)
            assert f"✗ {lesson.challenge}" in told, told
            assert lesson.mistake in told, f"the likely mistake is not named:\n{told}"
            assert re.search(r"Hint \d+ of \d+:", told), f"no hint:\n{told}"
            laps.lap("wrong")

            # 4. The right answer: ✓, and progress() counts it.
            _type_answer(page, where.answer, lesson.right)
            _run_cell(page, where.tests)
            told = _outputs(page, where.tests)
            assert f"✓ {lesson.challenge}" in told, told
            _run_cell(page, where.progress)
            after = _progress_summary(page, where.progress)
            n_before, n_after = int(before.split()[0]), int(after.split()[0])
            assert n_after == n_before + 1, f"progress went from {before!r} to {after!r}"
            laps.lap("right")

            # 5. Validate answers (it saves the notebook, then grades it in a fresh kernel):
            # a summary line first, then each failing test cell by its first line and message.
            page.locator(".jp-Toolbar >> text=Validate").click()
            dialog = page.locator(".jp-Dialog:has-text('Validation Results')")
            dialog.wait_for(timeout=240_000)
            result = page.locator("#validation-message").inner_text()
            if n_after == where.n_challenges:
                assert "Success! Your notebook passes all the tests." in result, result[:2000]
            else:  # the challenges not answered yet fail, with the checker's message
                _assert_validate_summary(result, where.n_challenges - n_after, where.n_challenges)
                assert "✗" in result, f"Validate shows no checker message:\n{result[:2000]}"
                assert f"✗ {lesson.challenge}" not in result, "the right answer failed Validate"
            page.keyboard.press("Escape")
            laps.lap("validate")
            lab_page.finish()
            finished = True
            print(f"{lesson.name}: {laps}")
    finally:
        if not finished:
            lab_page.discard()
        shutdown_kernels(base)
