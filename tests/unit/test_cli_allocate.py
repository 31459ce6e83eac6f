"""``onebudget allocate``: places by kind, several at once, and the national session format."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from onebudget.cli.main import app

RUN = CliRunner()
BASE = ["allocate", "indices", "--year", "2025/26"]


def test_places_by_council_and_practices_are_saved_as_a_session_and_read_back(
    tmp_path: Path,
) -> None:
    session = tmp_path / "session.json"
    places = ["--place", "Check=B85005,B85022,B85061,B85026", "--place", "K=council:E08000034"]
    first = RUN.invoke(app, [*BASE, "--icb", "QWO", *places, "--save", str(session)])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[0] == "index,icb,Check,K"
    assert lines[7].startswith("Overall core,1.017,0.946,")
    assert json.loads(session.read_text())["places"] == ["Check", "K"]
    again = RUN.invoke(app, [*BASE, "--session", str(session)])
    assert again.exit_code == 0
    assert again.output == first.output


def test_every_bad_code_is_named_and_the_exit_code_is_two() -> None:
    result = RUN.invoke(app, [*BASE, "--icb", "QWO", "--place", "X=pcn:U1,Z99999,lad:E1"])
    assert result.exit_code == 2
    assert "X.practices: 'Z99999'" in result.output
    assert "X.pcns: 'U1'" in result.output
    assert "X.districts: 'E1'" in result.output
    wrong_kind = RUN.invoke(app, [*BASE, "--icb", "QWO", "--place", "X=ward:E05000001"])
    assert wrong_kind.exit_code == 2


def test_areas_lists_the_pcns_districts_and_councils_of_an_icb() -> None:
    result = RUN.invoke(app, ["allocate", "areas", "--year", "2025/26", "--icb", "QWO"])
    assert result.exit_code == 0
    rows = [line.split(",", 2) for line in result.output.splitlines()[1:]]
    councils = {code: name for kind, code, name in rows if kind == "council"}
    assert councils["E08000035"] == "Leeds"
    assert len(councils) == 6
    assert sum(1 for kind, *_ in rows if kind == "pcn") == 52
    missing = RUN.invoke(app, ["allocate", "areas", "--year", "2025/26", "--icb", "XXX"])
    assert missing.exit_code == 2
