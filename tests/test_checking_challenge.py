"""challenge: hint ladder, success line, friendly errors, parts with partial credit."""

import linecache

import pytest

from calclib.checking import CheckFailure, CheckSetupError, challenge, check_function, check_number
from calclib.checking.challenge import RECORDS, as_failure, forget

HINTS = ["Look at the table.", "The limit is the value the quotients approach."]


@pytest.fixture(autouse=True)
def fresh_kernel():
    forget()
    yield
    forget()


def attempt(gave, hints=HINTS, challenge_id="q1-limit-value") -> str:
    """Run one attempt; the failure message, or '' on success."""
    try:
        with challenge(challenge_id, hints=hints):
            check_number(gave, 2.0, name="limit_value")
    except CheckFailure as failure:
        return str(failure)
    return ""


def test_success_prints_one_line_to_stdout_only(capsys):
    assert attempt(2.0) == ""
    assert capsys.readouterr() == ("✓ q1-limit-value: passed (1 check).\n", "")
    assert RECORDS["q1-limit-value"].passed


def test_each_failed_attempt_reveals_the_next_hint_then_keeps_the_last():
    first, second, third = attempt(1.0), attempt(1.5), attempt(1.5)
    assert first == (
        "✗ q1-limit-value: limit_value is not right yet.\n"
        "  You gave:        1.0\n"
        "  Off:             too small\n"
        "  Likely mistake:  a factor of ½: your answer is half the expected one\n"
        "  Hint 1 of 2:     Look at the table."
    )
    last_line = "  Hint 2 of 2:  The limit is the value the quotients approach."
    assert second.split("\n")[-1] == last_line
    assert third.split("\n")[-1] == last_line
    assert RECORDS["q1-limit-value"].attempts == 3
    assert RECORDS["q1-limit-value"].failures == 3


def test_no_hints_no_hint_line():
    assert "Hint" not in attempt(1.0, hints=[])


def test_failure_is_still_an_assertion_error():
    with pytest.raises(AssertionError), challenge("q"):
        check_number(1, 2)


def test_undefined_answer_says_to_run_the_answer_cell():
    with pytest.raises(CheckFailure) as info, challenge("q2"):
        check_number(slope, 2.0)  # noqa: F821 - the student did not define it
    assert str(info.value).startswith(
        "✗ q2: Not answered yet: `slope` is not defined yet.\n"
        "  What to do:  Write your answer in the answer cell above"
    )


def test_stub_answer_is_not_answered_yet():
    with pytest.raises(CheckFailure) as info, challenge("q3"):
        raise NotImplementedError()
    assert str(info.value).startswith("✗ q3: Not answered yet: this challenge.")


def test_plain_assert_in_a_test_cell_becomes_a_check_failure():
    with pytest.raises(CheckFailure) as info, challenge("q4", hints=["h"]):
        raise AssertionError("compare with the table above")
    assert str(info.value) == (
        "✗ q4: A check failed: compare with the table above\n  Hint 1 of 1:  h"
    )


def answer_cell(source: str) -> dict:
    """Run ``source`` as a Jupyter answer cell would: its own file name, its lines readable."""
    filename = f"<answer cell {abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the test's own source
    return namespace


def test_other_errors_name_the_student_line():
    f = answer_cell("def f(x):\n    return x / 0\n")["f"]
    with pytest.raises(CheckFailure) as info, challenge("q5"):
        check_number(f(1.0), 2.0)
    assert str(info.value) == (
        "✗ q5: Your code raised ZeroDivisionError: float division by zero\n"
        "  Where:  in f: return x / 0"
    )


def test_an_error_in_the_test_cell_itself_never_shows_its_line():
    with pytest.raises(CheckFailure) as info, challenge("q5b"):
        answer = None  # say, a function's result that is None
        check_number(answer[-1], 2.0)
    message = str(info.value)
    assert message.startswith("✗ q5b: The test cell could not use your answer: TypeError")
    assert "Where" not in message
    assert "Why None:" in message


def test_keyboard_interrupt_passes_through_untouched():
    with pytest.raises(KeyboardInterrupt), challenge("q6"):
        raise KeyboardInterrupt


def test_as_failure_of_an_assertion_without_message():
    assert str(as_failure(AssertionError())) == "✗ A check failed."


def test_parts_give_partial_credit_and_print_failures(capsys):
    with challenge("q7", hints=["Use the power rule."]) as q:
        with q.part("f'(1)", points=1):
            check_number(3.0, 3.0)
        with q.part("f'(2)", points=2):
            check_number(6.0, 12.0, name="f'(2)")
    assert q.score == 1.0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        "✗ part \"f'(2)\": f'(2) is not right yet.\n"
        "  You gave:        6.0\n"
        "  Off:             too small\n"
        "  Likely mistake:  a factor of ½: your answer is half the expected one\n"
        "✗ q7: 1 of 2 parts pass (1 of 3 points).\n"
        "  Hint 1 of 1: Use the power rule.\n"
    )
    assert (RECORDS["q7"].earned, RECORDS["q7"].total, RECORDS["q7"].passed) == (1.0, 3.0, False)


def test_points_scale_the_parts_to_the_cell_points(capsys):
    with challenge("q10", points=2) as q:
        for gave in (1.0, 1.0, 0.0):
            with q.part("a part"):
                check_number(gave, 1.0)
    assert q.score == pytest.approx(4 / 3)
    assert capsys.readouterr().out.endswith("✗ q10: 2 of 3 parts pass (1.33 of 2 points).\n")
    assert RECORDS["q10"].total == 2.0


def test_points_must_be_positive():
    with pytest.raises(CheckSetupError, match="`points`: must be positive"):
        challenge("q11", points=0)
    # inside a challenge too, a setup error stays a setup error (not the student's failure)
    expected = pytest.raises(CheckSetupError, match="a part's points must be positive, got 0")
    with expected, challenge("q11") as q, q.part("a", 0):
        pass


def test_hints_must_be_a_list_of_strings():
    with pytest.raises(CheckSetupError, match="`hints`: give a list of strings"):
        challenge("q13", hints="one long hint")


def test_a_setup_error_passes_through_without_hint_or_blame():
    with pytest.raises(CheckSetupError) as info, challenge("q14", hints=HINTS):
        check_number(1.0, 1.0, rtol=-1)
    assert "Hint" not in str(info.value)
    assert "not in your answer" in str(info.value)
    assert RECORDS["q14"].failures == 0
    assert not RECORDS["q14"].passed


def test_a_setup_error_in_a_part_stops_the_challenge(capsys):
    with pytest.raises(CheckSetupError), challenge("q15") as q:
        with q.part("a"):
            check_number(1.0, 1.0)
        with q.part("b"):
            check_number(1.0, None)
    assert "✓" not in capsys.readouterr().out


def test_score_without_parts_is_an_authoring_error():
    with challenge("q12") as q:
        check_number(1, 1)
    with pytest.raises(CheckSetupError, match="score adds up parts"):
        _ = q.score


def test_all_parts_passing(capsys):
    with challenge("q8") as q, q.part("a"):
        check_number(1, 1)
    assert q.score == 1.0
    assert capsys.readouterr().out == "✓ q8: 1 of 1 parts pass (1 of 1 point).\n"


def test_an_error_in_a_part_fails_only_that_part(capsys):
    with challenge("q9") as q:
        with q.part("a"):
            raise ZeroDivisionError("boom")
        with q.part("b"):
            check_number(1, 1)
    assert q.score == 1.0
    assert (
        "✗ part 'a': The test cell could not use your answer: ZeroDivisionError: boom"
        in capsys.readouterr().out
    )


def test_empty_id_is_rejected():
    with pytest.raises(CheckSetupError, match="non-empty"):
        challenge("")


class GraderAbort(BaseException):
    """A grader's own BaseException (grading/judge.py's JudgeAbort is one)."""


def test_a_graders_own_base_exception_passes_through_checks_and_challenge():
    def student(x):
        raise GraderAbort("the kernel is gone")

    with pytest.raises(GraderAbort), challenge("q-abort"):
        check_function(student, abs)


def test_system_exit_from_student_code_becomes_a_failure():
    def student(x):
        raise SystemExit(1)

    with pytest.raises(CheckFailure, match="SystemExit"), challenge("q-exit"):
        check_function(student, abs)
    with pytest.raises(CheckFailure, match="SystemExit"), challenge("q-exit-cell"):
        raise SystemExit(2)
