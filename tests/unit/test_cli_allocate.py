"""``onebudget allocate``: places by kind, several at once, and the national session format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from onebudget.allocation.places import areas, icb_practices
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


def said(result: Result) -> str:
    """The output as one line: Rich wraps a long message in a box, "│" either side."""
    return " ".join(word for word in result.output.split() if word != "│")


def test_a_bad_code_is_named_with_what_is_wrong_and_what_was_expected() -> None:
    result = RUN.invoke(app, [*BASE, "--icb", "QWO", "--place", "X=P99999,A81001,pcn:U1"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    like = min(p.code for p in icb_practices("2025/26", "QWO"))
    expected = f"(expected a practice code of QWO, like {like})"
    assert lines[:2] == [
        "--place: X.practices: 'P99999': not a GP practice in the weighted populations for "
        f"2025/26 {expected}",
        "--place: X.practices: 'A81001': a GP practice of QHM, not of QWO, in the weighted "
        f"populations for 2025/26 {expected}",
    ]
    pcn = areas("2025/26", "QWO")["pcns"][0]
    assert lines[2] == (
        "--place: X.pcns: 'U1': no practice of QWO is in this primary care network in 2025/26 "
        f"(expected a PCN code of the ICB, like {pcn.code} for {pcn.name})"
    )
    unknown = RUN.invoke(app, [*BASE, "--icb", "QXX", "--place", "X=B85005"])
    assert unknown.exit_code == 2
    assert unknown.output.startswith(
        "--place: icb: 'QXX': no ICB has this code in 2025/26 (expected an ICB code, like "
    )


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("B85005", "'B85005': no '=' between the name and the codes (expected \"Name="),
        ("=B85005", "'=B85005': no name before '=' (expected \"Name="),
        ("X=", "'X=': no codes after '=' (expected \"Name="),
        ("X=ward:E1", "ward:E1: 'ward' is not a kind of code (expected pcn:, lad: or council:,"),
    ],
)
def test_a_place_written_wrongly_says_what_is_wrong(place: str, expected: str) -> None:
    result = RUN.invoke(app, [*BASE, "--icb", "QWO", "--place", place])
    assert result.exit_code == 2
    assert expected in said(result)


def test_session_problems_name_the_file(tmp_path: Path) -> None:
    session = tmp_path / "session.json"
    session.write_text("[1, 2]")
    result = RUN.invoke(app, [*BASE, "--session", str(session)])
    assert result.exit_code == 2
    assert result.output.startswith("session.json: (file): a list, not an object of places")
    session.write_bytes(b"\xff\xfe{}")
    result = RUN.invoke(app, [*BASE, "--session", str(session)])
    assert result.output == (
        "session.json: (file): not UTF-8 text (expected session JSON, saved as UTF-8)\n"
    )


def test_csv_is_written_as_it_is_not_wrapped_to_the_terminal() -> None:
    args = ["allocate", "areas", "--year", "2025/26", "--icb", "QWO"]
    result = RUN.invoke(app, args, env={"COLUMNS": "20"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) > 20
    assert all(len(row) == 3 for row in csv.reader(lines))
