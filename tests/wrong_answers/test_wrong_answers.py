"""Run the wrong-answer bank: every wrong answer rejected with its message, every right one passes.

Every ``bank_*.py`` module in this folder contributes its ``CASES``.
"""

import importlib
from pathlib import Path

import pytest
from case import Case

from calclib.checking import CheckFailure

BANKS = sorted(p.stem for p in Path(__file__).parent.glob("bank_*.py"))
CASES: list[Case] = [case for bank in BANKS for case in importlib.import_module(bank).CASES]


def test_names_are_unique():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, capsys):
    if case.rejected_with is None:
        case.check(*case.args, **case.kwargs)
        assert capsys.readouterr().err == ""
        return
    with pytest.raises(CheckFailure) as info:
        case.check(*case.args, **case.kwargs)
    assert case.rejected_with in " ".join(str(info.value).split())  # layout aside
