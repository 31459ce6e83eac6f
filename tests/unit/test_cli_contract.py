"""``onebudget contract check|pay``: a statement as a table, JSON and a workbook; every
problem in a contract or inputs file named with its place, exit 2, never a traceback."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from rich.console import Console
from typer.testing import CliRunner

from onebudget.cli import contract as cli_contract
from onebudget.cli.main import app
from onebudget.io import yamlio

runner = CliRunner()
EXAMPLES = Path(str(resources.files("onebudget") / "definitions" / "contracts" / "examples"))
ACTIVITY = str(EXAMPLES / "activity.yaml")
INPUTS_CSV = str(EXAMPLES / "inputs-2025-Q1.csv")
INPUTS_YAML = str(EXAMPLES / "inputs-2025-Q1.yaml")


def pay(*more: str, contract: str = ACTIVITY, inputs: str = INPUTS_CSV) -> list[str]:
    return [
        "contract",
        "pay",
        "--contract",
        contract,
        "--period",
        "2025-Q1",
        "--inputs",
        inputs,
        *more,
    ]


def test_every_example_checks() -> None:
    for kind in ("block", "activity", "capitation", "aligned_payment"):
        result = runner.invoke(
            app, ["contract", "check", "--contract", str(EXAMPLES / f"{kind}.yaml")]
        )
        assert result.exit_code == 0, result.output
        assert f"{kind} contract" in result.stdout
        assert "valid" in result.stdout


def test_pay_prints_the_statement_as_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_contract, "console", Console(width=240))
    result = runner.invoke(app, pay())
    assert result.exit_code == 0, result.output
    assert "Harbourside Care Ltd (ZZC01)" in result.stdout
    for text in ("home-care-hours: units above 1,000", "Cap", "-19,650.00", "Total", "110,000.00"):
        assert text in result.stdout


def test_pay_as_json_from_yaml_inputs_adds_up() -> None:
    result = runner.invoke(app, pay("--json", inputs=INPUTS_YAML))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert (found["contract"], found["period"], found["provider"]["code"]) == (
        "C-FERN-2025-ACT",
        "2025-Q1",
        "ZZC01",
    )
    assert found["total"] == "110000.00"
    assert sum(Decimal(s["amount"]) for s in found["steps"]) == Decimal(found["total"])
    assert found["steps"][1]["inputs"] == {"volume": "1,200", "units": "200", "price": "£80.00"}


def test_pay_writes_the_statement_workbook(tmp_path: Path) -> None:
    out = tmp_path / "statement.xlsx"
    result = runner.invoke(
        app, pay("--out", str(out), contract=str(EXAMPLES / "aligned_payment.yaml"))
    )
    assert result.exit_code == 0, result.output
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Statement").to_python()
    assert rows[0] == ["step", "inputs", "rule", "amount"]
    assert rows[-1][0] == "Total"
    assert rows[-1][3] == 12024000.0
    assert [r[3] for r in rows[1:-1]] == [12000000.0, 50000.0, -26000.0]


BAD = """\
id: "-bad"
name: A contract
commissioners:
  - {code: qzz, name: ICB}
providers:
  - {code: ZZC01, name: A}
term: {start: 2026-04-01, end: 2025-03-31}
annual_value: 12.345
periods: weekly
mechanism:
  kind: activity
  lines:
    - {line: a, price: fifty}
  cap: 10.00
"""


def test_a_bad_contract_names_every_problem_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(app, ["contract", "check", "--contract", str(bad)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    expected = [
        ("id (line 1)", "'-bad'", "an id starts with a letter or digit"),
        ("commissioners.0.code (line 4)", "'qzz'", "an ODS code"),
        ("annual_value (line 8)", "12.345", "whole pence"),
        ("periods (line 9)", "'weekly'", "'quarterly' or 'monthly'"),
        ("mechanism.lines.0.price (line 13)", "'fifty'", "not written as an amount of money"),
    ]
    assert len(lines) == len(expected), result.stderr
    for line, (path, value, rule) in zip(lines, expected, strict=True):
        assert line.startswith(f"{bad}: {path}: {value}: "), line
        assert rule in line, line


def test_the_rules_between_fields_are_named_after_the_shape_is_right(tmp_path: Path) -> None:
    data = yamlio.load(BAD)
    data |= {"id": "C-1", "annual_value": "12.34", "periods": "quarterly"}
    data["commissioners"][0]["code"] = "QZZ"
    data["mechanism"] |= {
        "lines": [{"line": "a", "price": 1, "bands": [{"above": 0, "price": 1}]}],
        "floor": 20,
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text(yamlio.dump(data), encoding="utf-8")
    result = runner.invoke(app, ["contract", "check", "--contract", str(bad)])
    assert result.exit_code == 2
    paths = [line.split(": ")[1] for line in result.stderr.splitlines()]
    assert [p.split(" (line")[0] for p in paths] == [
        "term.end",
        "mechanism.lines.0.bands.0.above",
        "mechanism.floor",
    ]


def test_missing_figures_and_a_bad_period_are_named(tmp_path: Path) -> None:
    other = tmp_path / "inputs.csv"
    other.write_text(
        "period,input,line,figure\n2025-Q1,volume,home-care-hours,10\n", encoding="utf-8"
    )
    result = runner.invoke(app, pay(inputs=str(other)))
    assert result.exit_code == 2
    assert "inputs.volume.night-visits" in result.stderr
    assert "mechanism.lines.1" in result.stderr
    wrong = runner.invoke(
        app,
        ["contract", "pay", "--contract", ACTIVITY, "--period", "2025-13", "--inputs", str(other)],
    )
    assert wrong.exit_code == 2
    assert "period: '2025-13': a period written 2025-Q1" in wrong.stderr


def test_a_bad_inputs_file_names_each_row(tmp_path: Path) -> None:
    bad = tmp_path / "inputs.csv"
    bad.write_text(
        "period,input,line,figure\n2025-Q5,volume,a,1\n2025-Q1,hours,a,1\n2025-Q1,volume,a,-1\n"
        "2025-Q1,volume,b,1\n2025-Q1,volume,b,2\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, pay(inputs=str(bad)))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "row 2 (line 2)",
        "row 3 (line 3)",
        "row 4 (line 4)",
        "row 6 (line 6)",
    ]
    assert "appears once" in lines[-1]


def test_files_that_cannot_be_read_are_named_without_a_traceback(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["contract", "check", "--contract", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2
    assert "cannot be read" in missing.stderr
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    unreadable = runner.invoke(app, ["contract", "check", "--contract", str(binary)])
    assert unreadable.exit_code == 2
    assert "not UTF-8" in unreadable.stderr
    no_inputs = runner.invoke(app, pay(inputs=str(tmp_path / "none.csv")))
    assert no_inputs.exit_code == 2
    assert "no such file" in no_inputs.stderr
    for result in (missing, unreadable, no_inputs):
        assert "Traceback" not in result.output


def test_a_bad_yaml_inputs_file_names_every_place(tmp_path: Path) -> None:
    bad = tmp_path / "inputs.yaml"
    bad.write_text(
        "2025-Q1: [1]\n2025-Q2:\n  volume: 3\n  hours: {a: 1}\n  population: {b: x}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, pay(inputs=str(bad)))
    assert result.exit_code == 2
    places = [line.split(": ")[1] for line in result.stderr.splitlines()]
    assert places == ["2025-Q1", "2025-Q2.volume", "2025-Q2.hours.a", "2025-Q2.population.b"]


OUTCOMES_CSV = str(EXAMPLES / "inputs-outcomes-2025-Q1.csv")


def test_the_outcome_alliance_and_prime_examples_check() -> None:
    for kind in ("outcome_based", "alliance", "prime_provider"):
        result = runner.invoke(
            app, ["contract", "check", "--contract", str(EXAMPLES / f"{kind}.yaml")]
        )
        assert result.exit_code == 0, result.output
        assert f"{kind} contract" in result.stdout


def test_pay_on_an_alliance_prints_each_members_statement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_contract, "console", Console(width=240))
    alliance = str(EXAMPLES / "alliance.yaml")
    result = runner.invoke(app, pay(contract=alliance, inputs=OUTCOMES_CSV))
    assert result.exit_code == 0, result.output
    out = result.stdout
    titles = [f"({code})" for code in ("ZZA01", "ZZA02", "ZZA03")]
    assert all(t in out for t in titles)
    assert [out.index(t) for t in titles] == sorted(out.index(t) for t in titles)
    assert out.count("less the commissioner's part") == 3
    assert out.count("Total") == 3
    for total in ("40,000.00", "30,000.00", "20,000.00", "-10,000.01"):
        assert total in out
    found = json.loads(
        runner.invoke(app, pay("--json", contract=alliance, inputs=OUTCOMES_CSV)).stdout
    )
    assert [(s["provider"]["code"], s["total"]) for s in found] == [
        ("ZZA01", "40000.00"),
        ("ZZA02", "30000.00"),
        ("ZZA03", "20000.00"),
    ]


def test_an_alliance_without_its_actual_cost_is_named(tmp_path: Path) -> None:
    alliance = str(EXAMPLES / "alliance.yaml")
    result = runner.invoke(app, pay(contract=alliance, inputs=INPUTS_CSV))
    assert result.exit_code == 2
    assert "inputs.actual_cost.C-FERN-2025-ALLIANCE" in result.stderr
    assert "Traceback" not in result.output


def test_check_as_json_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    good = runner.invoke(app, ["contract", "check", "--json", "--contract", ACTIVITY])
    assert good.exit_code == 0
    assert json.loads(good.stdout) == {"file": ACTIVITY, "valid": True, "problems": []}
    text = Path(ACTIVITY).read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    for old, new, path in (
        ("cap: 110000.00", "cap: 1.001", "mechanism.cap"),
        ("end: 2026-03-31", "end: 2024-03-31", "term.end"),
    ):
        broken.write_text(text.replace(old, new))
        found = runner.invoke(app, ["contract", "check", "--json", "--contract", str(broken)])
        assert found.exit_code == 2
        (problem,) = json.loads(found.stdout)["problems"]
        assert problem["path"] == path
        assert isinstance(problem["line"], int)
    missing = runner.invoke(app, ["contract", "check", "--json", "--contract", "nope.yaml"])
    assert missing.exit_code == 2
    assert "cannot be read" in json.loads(missing.stdout)["problems"][0]["rule"]
