"""A first start says what it is doing, and how to sign in, in lines that fit a terminal
(issue 15, item 6). ``onebudget_web.__main__`` imports Django only inside its functions."""

from __future__ import annotations

import pytest

from onebudget import demo
from onebudget_web.__main__ import _sign_ins, _step


def test_every_demo_sign_in_is_listed_once_under_its_organisation_within_80_columns() -> None:
    lines = _sign_ins()
    assert all(len(line) <= 80 for line in lines)
    names = {o.code: o.name for o in demo.ORGANISATIONS}
    for user in demo.USERS:
        (found,) = [n for n, line in enumerate(lines) if line.split()[:1] == [user.username]]
        heading = next(line for line in reversed(lines[:found]) if not line.startswith("    "))
        assert heading.strip() == names[user.organisation_code]
        assert user.full_name in lines[found]
    assert demo.DEMO_PASSWORD in lines[0]


def test_a_step_says_when_it_starts_and_how_long_it_took(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _step("Database: applying migrations"):
        assert capsys.readouterr().out == "Database: applying migrations...\n"
    done = capsys.readouterr().out
    assert done.startswith("Database: applying migrations: done in ")
    assert done.endswith(" s\n")
