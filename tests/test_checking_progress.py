"""progress(): a table of the notebook's challenges, attempted or not."""

import pytest

from calclib.checking import CheckFailure, challenge, check_number, progress
from calclib.checking.challenge import forget


@pytest.fixture(autouse=True)
def fresh_kernel():
    forget()
    yield
    forget()


def run(challenge_id, gave):
    try:
        with challenge(challenge_id):
            check_number(gave, 1.0)
    except CheckFailure:
        pass


def test_lists_declared_challenges_in_order_with_their_status(capsys):
    run("q2", 1.0)
    run("q1", 0.0)
    run("q1", 0.5)
    with challenge("q3") as q, q.part("a", 2):
        check_number(0.0, 1.0)
    capsys.readouterr()
    table = progress(["q1", "q2", "q3", "q4"])
    assert repr(table) == (
        "1 of 4 challenges pass.\n"
        "q1  ✗ not yet (2 attempts)\n"
        "q2  ✓ passed\n"
        "q3  ◐ 0 of 2 points (1 attempt)\n"
        "q4  not attempted"
    )


def test_challenges_run_but_not_declared_come_last():
    run("extra", 1.0)
    assert [cid for cid, _ in progress(["q1"]).rows] == ["q1", "extra"]


def test_html_table_escapes_ids():
    run("<q>", 1.0)
    html = progress()._repr_html_()
    assert "<p>1 of 1 challenge pass.</p>" in html
    assert "<td><code>&lt;q&gt;</code></td><td>✓ passed</td>" in html


def test_a_later_success_replaces_a_failure():
    run("q1", 0.0)
    run("q1", 1.0)
    assert progress().n_passed == 1
