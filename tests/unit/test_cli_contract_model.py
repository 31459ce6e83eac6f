"""``onebudget contract model``: payments by scenario as a table, JSON, a workbook and a chart;
every problem in a scenarios file named with its place, exit 2, never a traceback."""

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

runner = CliRunner()
EXAMPLES = Path(str(resources.files("onebudget") / "definitions" / "contracts" / "examples"))
SCENARIOS = str(EXAMPLES / "scenarios-2025-Q1.yaml")
NAMED_ONLY = """\
scenarios:
  low:
    volume: {home-care-hours: 700, night-visits: 180}
    actual_cost: {C-FERN-2025-ACT: 74000.00}
  high:
    volume: {home-care-hours: 1300, night-visits: 350}
    actual_cost: {C-FERN-2025-ACT: 133000.00}
"""


def modelled(*more: str, contract: str = "activity", scenarios: str = SCENARIOS) -> list[str]:
    path = str(EXAMPLES / f"{contract}.yaml")
    return [
        "contract",
        "model",
        "--contract",
        path,
        "--period",
        "2025-Q1",
        "--scenarios",
        scenarios,
        *more,
    ]


@pytest.fixture
def named_only(tmp_path: Path) -> str:
    path = tmp_path / "scenarios.yaml"
    path.write_text(NAMED_ONLY, encoding="utf-8")
    return str(path)


def test_model_prints_payments_by_scenario_the_exposure_and_the_risk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Low: 700 × £100.00 + 180 × £45.50 = £78,190.00; high: 1,000 × 100 + 300 × 80 + 350
    × 45.50 = £139,925.00, capped at £110,000.00. The cost swings £59,000.00, the outlay
    £31,810.00: 53.92% the commissioners', 46.08% the provider's."""
    monkeypatch.setattr(cli_contract, "console", Console(width=200))
    result = runner.invoke(app, modelled())
    assert result.exit_code == 0, result.output
    for text in ("Harbourside Care Ltd", "78,190.00", "110,000.00", "2,000 runs:", "median"):
        assert text in result.stdout
    assert "at most £110,000.00 (high) and at least £78,190.00 (low)" in result.stdout
    assert "the commissioners bear 53.92% of the swing, the providers 46.08%" in result.stdout


def test_model_as_json_gives_amounts_as_text(named_only: str) -> None:
    result = runner.invoke(app, modelled("--json", scenarios=named_only))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [(s["name"], s["payments"]["ZZC01"]) for s in found["scenarios"]] == [
        ("low", "78190.00"),
        ("high", "110000.00"),
    ]
    assert found["exposure"] == {
        "most": "110000.00",
        "most_in": "high",
        "least": "78190.00",
        "least_in": "low",
        "range": "31810.00",
    }
    assert found["risk"]["commissioners_percent"] == "53.92"
    assert found["risk"]["by_provider"] == {"ZZC01": "46.08"}
    assert found["distribution"] is None


def test_many_runs_show_progress_on_stderr_and_the_json_stays_clean() -> None:
    result = runner.invoke(app, modelled("--json", contract="alliance"))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["distribution"]["runs"] == 2000
    statistics = found["distribution"]["statistics"]
    for code in ("ZZA01", "ZZA02", "ZZA03"):
        each = [Decimal(statistics[s]["payments"][code]) for s in ("least", "p10", "p50", "p90")]
        assert each == sorted(each)
    assert found["risk"]["by_provider"] == {"ZZA01": "44.67", "ZZA02": "32.67", "ZZA03": "22.67"}


def test_model_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "model.xlsx"
    result = runner.invoke(app, modelled("--out", str(out)))
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Scenarios", "Exposure and risk", "Distribution", "Runs"]
    rows = book.get_sheet_by_name("Scenarios").to_python()
    assert rows[0] == ["scenario", "cost", "ZZC01", "commissioners"]
    assert [r[2] for r in rows[1:]] == [78190.0, 106830.0, 110000.0]
    assert len(book.get_sheet_by_name("Runs").to_python()) == 2001


@pytest.mark.parametrize(
    ("suffix", "start"), [(".svg", b"<svg"), (".png", b"\x89PNG"), (".html", b"<!doctype")]
)
def test_model_draws_the_chart(tmp_path: Path, named_only: str, suffix: str, start: bytes) -> None:
    drawn = tmp_path / f"model{suffix}"
    result = runner.invoke(app, modelled("--chart", str(drawn), "--json", scenarios=named_only))
    assert result.exit_code == 0, result.output
    assert drawn.read_bytes().startswith(start)
    if suffix != ".png":
        text = drawn.read_text(encoding="utf-8")
        assert 'role="img"' in text
        assert "<script" not in text


def test_a_bad_scenarios_file_names_every_problem_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenarios:\n  low: {volume: {home-care-hours: -1}}\ndistribution: {runs: 0, seed: 1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, modelled(scenarios=str(bad)))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}: scenarios.low.volume.home-care-hours (line 2): -1:")
    assert lines[1].startswith(f"{bad}: distribution.runs (line 3): 0: a whole number")
    assert lines[2].startswith(f"{bad}: distribution.figures (line 3)")
    assert len(lines) == 3


def test_a_scenario_that_cannot_be_paid_is_named_with_exit_2(tmp_path: Path) -> None:
    short = tmp_path / "short.yaml"
    short.write_text("scenarios:\n  low: {volume: {home-care-hours: 700}}\n", encoding="utf-8")
    result = runner.invoke(app, modelled(scenarios=str(short)))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "C-FERN-2025-ACT: scenarios.low.volume.night-visits: the period's volume (units of "
        "activity) for night-visits is needed by mechanism.lines.1"
    ]


@pytest.mark.parametrize(
    ("more", "message"),
    [
        (("--chart", "model.pdf"), "a chart is drawn to a .svg, .png or .html file"),
        (("--out", "model.csv"), "a model is written to a .xlsx file"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_before_modelling(
    more: tuple[str, ...], message: str
) -> None:
    result = runner.invoke(app, modelled(*more))
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_missing_scenarios_file_and_a_bad_period_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, modelled(scenarios=str(tmp_path / "none.yaml")))
    assert result.exit_code == 2
    assert "cannot be read" in result.stderr
    args = modelled()
    args[args.index("2025-Q1")] = "2025-04"
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "the contract pays quarterly" in result.stderr
