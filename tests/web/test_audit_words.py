"""Every action the service records has words for people (a new one fails until named)."""

from __future__ import annotations

import re
from pathlib import Path

from onebudget_web.audit.words import ACTIONS, action_in_words

SOURCE = Path(__file__).resolve().parents[2] / "src" / "onebudget_web"


def test_every_recorded_action_has_words() -> None:
    recorded = set()
    for path in SOURCE.rglob("*.py"):
        recorded |= set(re.findall(r'\baction="([a-z_.]+)"', path.read_text()))
    assert len(recorded) > 40
    assert recorded - set(ACTIONS) == set()


def test_an_action_without_words_shows_its_name() -> None:
    assert action_in_words("login.succeeded") == "Signed in"
    assert action_in_words("something.new") == "something.new"
