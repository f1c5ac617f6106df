"""nbgrader's Execute step, with graded test cells judged outside the student's kernel.

``nbgrader_config.py`` puts :class:`JudgedExecute` in place of nbgrader's ``Execute`` in
``Autograde.autograde_preprocessors`` (nbgrader 0.9.6 reads that list for every autograde: the
CLI, ``NbGraderAPI.autograde``, the Formgrader), and :class:`FlagForReview` right after
``SaveAutoGrades``. For each cell of a submission:

- a graded test cell (``grade: true``, not a solution) is judged by :mod:`grading.judge` in
  this process; the kernel only answers questions about the student's objects. Its outputs are
  the verdict: the checks' messages (stdout, never stderr: noise in a right answer costs
  nothing), an error when a check failed, the score of a partial-credit cell;
- a test cell that is not plain Python (IPython ``%magic`` or ``!command``) cannot be judged
  outside: it runs in the kernel, between two tamper probes (:mod:`grading.judge_probe`); a
  change seen by the probes flags the cell for a human;
- any other cell runs in the kernel as usual, its output capped at ``max_output_chars`` per cell
  with a visible "output truncated" note.

A cell still running after ``timeout`` seconds is interrupted and scores 0; if the kernel does
not stop within ``interrupt_grace`` seconds (or dies), it is restarted, the cells that ran before
are run again (their output discarded) and grading carries on with the next cell: that cell,
and whatever needed its results, is lost, not the notebook. After ``max_restarts`` restarts the
remaining cells are not run.

Finally every output is searched for the source lines of the hidden tests and for values of the
grader's environment; what is found is replaced by ``[redacted]`` and the submission is flagged.

Example (nbgrader_config.py)::

    c.Autograde.autograde_preprocessors = [
        "grading.execute.JudgedExecute", ..., "nbgrader.preprocessors.SaveAutoGrades",
        "grading.execute.FlagForReview", ...]
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer

from grading.judge import Judge, JudgeAbort, KernelChannel, Verdict, judgeable
from grading.judge_probe import PROBE_SOURCE, probe_differences, read_probe_answer

try:  # the sandboxed kernel manager, when the sandbox is installed beside this module
    from grading.kernels import SandboxedExecute as _KernelExecute
except ImportError:  # pragma: no cover - a course copy without the sandbox
    from nbgrader.preprocessors import Execute as _KernelExecute

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
REDACTED = "[redacted]"
UNSECRET_VARIABLES = {"PWD", "OLDPWD", "HOME", "SHELL", "USER", "LOGNAME", "LANG", "TERM", "_"}
MIN_SECRET_CHARS = 12


def is_test_cell(cell: NotebookNode) -> bool:
    """A graded test cell: code, ``grade: true`` and not a solution cell."""
    grading = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(grading.get("grade")) and not grading.get("solution")


class JudgedExecute(_KernelExecute):
    """nbgrader's Execute (in the course's sandboxed kernel) with test cells judged outside."""

    judge_tests = Bool(
        True, help="Judge graded test cells in the grader process (False: stock nbgrader)."
    ).tag(config=True)
    max_output_chars = Integer(
        1_000_000, help="Characters of output kept per cell; the rest is cut with a note."
    ).tag(config=True)
    interrupt_grace = Float(
        5.0, help="Seconds a cell has to stop after the timeout's interrupt before a restart."
    ).tag(config=True)
    max_restarts = Integer(3, help="Kernel restarts per notebook before giving up.").tag(
        config=True
    )

    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        """Run the notebook, judge its test cells, redact secrets; flags go to ``resources``."""
        resources = resources if resources is not None else {}
        self._flags: dict[str, list[str]] = {}
        self._ran_in_kernel: list[str] = []
        self._restarts = 0
        self._channel: KernelChannel | None = None
        self._baseline: dict | None = None
        self._needs_probe = self.judge_tests and any(
            is_test_cell(cell) and not judgeable(cell.source) for cell in nb.cells
        )
        self._output_chars = 0
        self._truncated = False
        self._judge = Judge(self._lesson_notebook(resources), log=self.log.warning)
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            if self._channel is not None:
                self._channel.close()
        self._redact(nb)
        resources.setdefault("nbgrader", {})["judge_flags"] = self._flags
        return nb, resources

    # ---- which cell goes where -------------------------------------------------------------

    async def async_execute_cell(
        self,
        cell: NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ) -> NotebookNode:
        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count)
        if self._needs_probe and self._baseline is None:
            self._baseline = await self._probe()  # before any of the student's code runs
        if self._restarts > self.max_restarts:
            cell.outputs = [_error("NotRun", "not run: the kernel had to be restarted too often")]
            return cell
        if is_test_cell(cell) and self.judge_tests:
            if judgeable(cell.source):
                return await self._judge_cell(cell, cell_index)
            return await self._probed_cell(cell, cell_index, execution_count, store_history)
        return await self._kernel_cell(cell, cell_index, execution_count, store_history)

    execute_cell = run_sync(async_execute_cell)  # nbclient binds its own coroutine otherwise

    async def _kernel_cell(
        self, cell: NotebookNode, cell_index: int, execution_count: Any, store_history: bool
    ) -> NotebookNode:
        """Run ``cell`` in the kernel; a cell that will not stop costs a restart, not the run."""
        self._output_chars, self._truncated = 0, False
        try:
            cell = await super().async_execute_cell(
                cell, cell_index, execution_count, store_history
            )
        except (CellTimeoutError, DeadKernelError) as exc:
            died = isinstance(exc, DeadKernelError)
            why = "the kernel died" if died else "it did not stop after the interrupt"
            await self._restart(f"cell {cell_index}: {why}")
            cell.outputs = list(cell.get("outputs", [])) + [
                _error(
                    "CellTimeoutError" if not died else "DeadKernelError",
                    f"this cell was stopped: {why}. The kernel was restarted and the cells "
                    "before this one run again; this cell's results are lost.",
                )
            ]
            self.nb["cells"][cell_index] = cell
            return cell
        if not any(o.get("output_type") == "error" for o in cell.outputs):
            self._ran_in_kernel.append(cell.source)
        if is_test_cell(cell):
            _stderr_to_stdout(cell)
        return cell

    # ---- judged test cells ------------------------------------------------------------------

    def _open_channel(self) -> KernelChannel:
        if self._channel is None:
            self._channel = KernelChannel(self.km.get_connection_info(), self._kernel_alive)
            self._channel.max_output_chars = self.max_output_chars
            self._channel.ready(timeout=self.startup_timeout)
        return self._channel

    def _kernel_alive(self) -> bool:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return process is None or process.poll() is None

    async def _judge_cell(self, cell: NotebookNode, cell_index: int) -> NotebookNode:
        """Judge one test cell; its outputs become the verdict."""
        grade_id = cell.metadata["nbgrader"].get("grade_id", f"cell-{cell_index}")
        channel = self._open_channel()
        try:
            peer = channel.open(timeout=float(self.timeout or 30))
            verdict = self._judge.run_test_code(cell.source, peer, self._cell_before(cell_index))
            if not verdict.timed_out and not channel.finished:
                channel.finish(grace=self.interrupt_grace, records=verdict.records)
        except JudgeAbort as abort:
            verdict = Verdict(passed=False, error=("JudgeError", abort.reason))
            verdict.timed_out = abort.timeout
            if abort.tampering:
                verdict.flags.append(abort.reason)
        if not channel.finished:
            await self._stop_agent(channel, grade_id)
        for reason in verdict.flags:
            self._flag(grade_id, reason)
        cell.outputs = _verdict_outputs(verdict, channel)
        cell.execution_count = None
        self.nb["cells"][cell_index] = cell
        return cell

    def _cell_before(self, cell_index: int) -> str | None:
        """The source of the code cell run before ``cell_index`` (the answer cell, usually)."""
        for cell in reversed(self.nb.cells[:cell_index]):
            if cell.cell_type == "code" and cell.source.strip():
                return cell.source
        return None

    async def _stop_agent(self, channel: KernelChannel, grade_id: str) -> None:
        """Interrupt the kernel's agent; restart the kernel if it does not stop in time."""
        with contextlib.suppress(Exception):  # a kernel that died cannot be interrupted
            await self.km.interrupt_kernel()
        channel.budget = self.interrupt_grace
        try:
            channel._receive(expect_reply=True)
        except JudgeAbort:
            await self._restart(f"{grade_id}: the student's code did not stop")

    async def _restart(self, reason: str) -> None:
        """Restart the kernel and run again the cells that ran in it before."""
        self._restarts += 1
        self.log.warning("judge: restarting the kernel (%s)", reason)
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        await self.km.restart_kernel(now=True)
        await self.kc.wait_for_ready(timeout=self.startup_timeout)
        if self._needs_probe:  # a new kernel: a new baseline, before the student's code runs
            self._baseline = await self._probe()
        for source in self._ran_in_kernel:
            msg_id = await _maybe_await(self.kc.execute(source, store_history=False))
            reply = await self.async_wait_for_reply(msg_id)
            if reply is None:  # this cell does not finish either: stop replaying
                self._restarts += 1
                await self.km.restart_kernel(now=True)
                await self.kc.wait_for_ready(timeout=self.startup_timeout)
                break

    # ---- test cells that must run in the kernel ----------------------------------------------

    async def _probed_cell(
        self, cell: NotebookNode, cell_index: int, execution_count: Any, store_history: bool
    ) -> NotebookNode:
        """Run a test cell the judge cannot run, in the kernel, between two tamper probes."""
        grade_id = cell.metadata["nbgrader"].get("grade_id", f"cell-{cell_index}")
        before = await self._probe()
        cell = await self._kernel_cell(cell, cell_index, execution_count, store_history)
        after = await self._probe()
        self.log.info(
            "judge: %s cannot be judged outside (IPython syntax): ran in the kernel", grade_id
        )
        for state in (before, after):
            for difference in probe_differences(self._baseline, state):
                self._flag(grade_id, f"tampering seen in the kernel: {difference}")
        return cell

    async def _probe(self) -> dict:
        """What the kernel says about its checker, numpy/math functions and IPython hooks."""
        msg_id = await _maybe_await(
            self.kc.execute(PROBE_SOURCE, store_history=False, user_expressions={})
        )
        printed = []  # a busy kernel may flush one printed line in several stream messages
        while True:
            msg = await _maybe_await(self.kc.iopub_channel.get_msg(timeout=self.timeout or 30))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
                printed.append(msg["content"]["text"])
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                break
        await self.async_wait_for_reply(msg_id)
        return read_probe_answer("".join(printed))

    # ---- output caps, redaction, flags --------------------------------------------------------

    def output(
        self, outs: list, msg: dict, display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        """Keep at most ``max_output_chars`` characters of one cell's output, then a note."""
        content = msg.get("content", {})
        if msg.get("msg_type") == "stream":
            size = len(content.get("text", ""))
        elif msg.get("msg_type") in ("display_data", "execute_result", "update_display_data"):
            size = sum(len(str(value)) for value in content.get("data", {}).values())
        else:
            return super().output(outs, msg, display_id, cell_index)
        room = self.max_output_chars - self._output_chars
        if size <= room:
            self._output_chars += size
            return super().output(outs, msg, display_id, cell_index)
        if self._truncated:
            return None
        self._truncated = True
        self._output_chars = self.max_output_chars
        kept = content.get("text", "")[: max(room, 0)] if msg["msg_type"] == "stream" else ""
        note = f"\n[output truncated: this cell printed more than {self.max_output_chars:,} characters]\n"
        out = new_output("stream", name="stdout", text=kept + note)
        outs.append(out)
        return out

    def _redact(self, nb: NotebookNode) -> None:
        """Replace hidden-test source and grader environment values in outputs; flag them."""
        secrets = _hidden_lines(nb) + _environment_values()
        if not secrets:
            return
        pattern = re.compile("|".join(re.escape(s) for s in sorted(set(secrets), key=len)[::-1]))
        first_test = next(
            (c.metadata["nbgrader"].get("grade_id", "") for c in nb.cells if is_test_cell(c)),
            "notebook",
        )
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                if _redact_output(output, pattern):
                    grade_id = (
                        cell.metadata["nbgrader"].get("grade_id", first_test)
                        if is_test_cell(cell)
                        else first_test
                    )
                    self._flag(
                        grade_id,
                        f"cell {index} printed hidden-test source or a grader environment value "
                        "(redacted)",
                    )

    def _flag(self, grade_id: str, reason: str) -> None:
        self.log.warning("judge: flagged %s for manual grading: %s", grade_id, reason)
        self._flags.setdefault(grade_id, []).append(reason)

    def _lesson_notebook(self, resources: dict) -> Path | None:
        """The course's source notebook of the notebook being graded, if it exists."""
        info = resources.get("nbgrader", {})
        assignment, notebook = info.get("assignment"), info.get("notebook")
        if not assignment or not notebook:
            return None
        coursedir = CourseDirectory(config=self.config)
        source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
        path = source / f"{notebook}.ipynb"
        if not path.is_file():
            self.log.warning("judge: no source notebook %s: calclib's names are trusted", path)
            return None
        return path


class FlagForReview(NbGraderPreprocessor):
    """Mark the cells the judge flagged as needing manual grading (after SaveAutoGrades)."""

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        info = resources.get("nbgrader", {})
        flags = info.get("judge_flags") or {}
        if not flags:
            return nb, resources
        graded = {
            c.metadata["nbgrader"]["grade_id"]
            for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")
        }
        with Gradebook(info["db_url"]) as gradebook:
            for grade_id, reasons in flags.items():
                if grade_id not in graded:
                    continue
                grade = gradebook.find_grade(
                    grade_id, info["notebook"], info["assignment"], info["student"]
                )
                grade.needs_manual_grade = True
                self.log.warning(
                    "judge: %s / %s / %s needs a human: %s",
                    info["student"],
                    info["notebook"],
                    grade_id,
                    "; ".join(reasons),
                )
            gradebook.db.commit()
        return nb, resources


def _verdict_outputs(verdict: Verdict, channel: KernelChannel) -> list[NotebookNode]:
    outputs = []
    if verdict.text:
        outputs.append(new_output("stream", name="stdout", text=verdict.text))
    outputs += [
        new_output("display_data", data=d["data"], metadata=d["metadata"]) for d in channel.displays
    ]
    if verdict.error is not None:
        outputs.append(_error(*verdict.error))
    elif verdict.score is not None:
        outputs.append(
            new_output(
                "execute_result", data={"text/plain": repr(verdict.score)}, execution_count=None
            )
        )
    return outputs


def _error(ename: str, evalue: str) -> NotebookNode:
    shown = evalue if ename == "CheckFailure" else f"{ename}: {evalue}"
    return new_output("error", ename=ename, evalue=evalue, traceback=shown.split("\n"))


def _stderr_to_stdout(cell: NotebookNode) -> None:
    """A test cell's stderr (a library warning, a stray print) shown as stdout: it costs nothing."""
    for output in cell.outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            output["name"] = "stdout"


def _hidden_lines(nb: NotebookNode) -> list[str]:
    """The hidden tests' source lines worth looking for (long, and not also in visible text).

    A line that also appears outside the hidden blocks (a hint that spells out the answer's
    formula, say) is not a secret: the student sees it anyway.
    """
    hidden, visible = [], []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if HIDDEN_BEGIN in line and is_test_cell(cell):
                inside = True
            elif HIDDEN_END in line:
                inside = False
            elif inside:
                hidden.append(line.strip())
            else:
                visible.append(line)
    shown = "\n".join(visible)
    return [line for line in hidden if len(line) >= MIN_SECRET_CHARS + 8 and line not in shown]


def _environment_values() -> list[str]:
    return [
        value
        for name, value in os.environ.items()
        if name not in UNSECRET_VARIABLES
        and len(value) >= MIN_SECRET_CHARS
        and not value.replace(".", "").isdigit()
    ]


def _redact_output(output: NotebookNode, pattern: re.Pattern) -> bool:
    """Redact in place; True if something was found."""
    found = False

    def scrub(text: Any) -> Any:
        nonlocal found
        if isinstance(text, list):
            return [scrub(part) for part in text]
        if not isinstance(text, str):
            return text
        cleaned = pattern.sub(REDACTED, text)
        found = found or cleaned != text
        return cleaned

    kind = output.get("output_type")
    if kind == "stream":
        output["text"] = scrub(output.get("text", ""))
    elif kind == "error":
        output["evalue"] = scrub(output.get("evalue", ""))
        output["traceback"] = scrub(output.get("traceback", []))
    elif kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        for mime, value in data.items():
            if mime.startswith("text/") or mime == "application/json":
                data[mime] = scrub(value if mime != "application/json" else json.dumps(value))
                if mime == "application/json":
                    data[mime] = json.loads(data[mime])
    return found


async def _maybe_await(value: Any) -> Any:
    import inspect

    return await value if inspect.isawaitable(value) else value
