"""``onebudget scenario run|optimise``: a place's scenario from its linked data, written to a
workbook whose partners add up to the total; the best portfolio within the file's limits;
every problem in the scenario file named with its place, exit 2, never a traceback."""

from __future__ import annotations

import io
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.io import yamlio

runner = CliRunner()
EXAMPLE = resources.files("onebudget") / "definitions" / "scenarios" / "example.yaml"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "place"
    made = runner.invoke(
        app,
        ["synth", "--persons", "3000", "--seed", "4", "--out", str(out), "--no-finance",
         "--years", "2024-2026"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    return out


def config(tmp_path: Path, change: tuple[str, str] | None = None) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "scenario.yaml"
    path.write_text(text.replace(*change) if change else text)
    return path


def test_a_run_writes_every_sheet_and_the_partners_add_up(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    beds = config(tmp_path, ("objective: expected", "objective: bed-days"))  # funds something
    args = ["scenario", "run", "--config", str(beds), "--data", str(data)]
    found = runner.invoke(app, [*args, "--runs", "50", "--out", str(out)])
    assert found.exit_code == 0, found.output
    assert "net saving" in found.stdout
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes()))
    assert book.sheet_names == [
        "Summary", "Indicator", "Activity", "Cost by partner", "Savings by partner", "Portfolio",
        "Optimisation", "Frontier", "Who pays, who gains", "Sensitivity", "Assumptions",
    ]  # fmt: skip
    sensitivity = book.get_sheet_by_name("Sensitivity").to_python()
    swings = [Decimal(str(r[sensitivity[0].index("Swing (£)")])) for r in sensitivity[1:]]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 0
    assert "The figure that matters most" in found.stdout
    rows = book.get_sheet_by_name("Cost by partner").to_python()
    header, body = rows[0], rows[1:]
    year, partner, exact = (
        header.index("Year"),
        header.index("Partner"),
        header.index("Deterministic (£)"),
    )
    for label in {r[year] for r in body}:
        parts = [Decimal(str(r[exact])) for r in body if r[year] == label and r[partner] != "all"]
        (total,) = [
            Decimal(str(r[exact])) for r in body if r[year] == label and r[partner] == "all"
        ]
        assert sum(parts) == total
    assumptions = book.get_sheet_by_name("Assumptions").to_python()
    assert any("yes: shown as such" in str(r[-1]) for r in assumptions)


def test_the_best_portfolio_keeps_to_its_limits(data: Path, tmp_path: Path) -> None:
    path = config(tmp_path, ("- {id: falls-prevention}", "- {id: falls-prevention, least: 0.5}"))
    scheme = tmp_path / "scheme.yaml"
    found = runner.invoke(
        app,
        ["scenario", "optimise", "--config", str(path), "--data", str(data), "--runs", "30",
         "--scheme", str(scheme)],
    )  # fmt: skip
    assert found.exit_code == 0, found.output
    assert "falls-prevention: 50% of full scale" in found.stdout  # its minimum, at least
    assert "The next pound of budget a year buys" in found.stdout
    assert "Who pays, who gains (funding follows the gain" in found.stdout
    written = yamlio.load(scheme.read_text(encoding="utf-8"))["schemes"][0]
    assert written["budget"] == "pooled"
    assert sum(written["contributions"].values()) > 0  # falls prevention's cost, shared


def test_a_bad_scenario_is_named_at_its_place(data: Path, tmp_path: Path) -> None:
    unknown = config(tmp_path, ("- {id: falls-prevention}", "- {id: yoga}"))
    found = runner.invoke(app, ["scenario", "run", "--config", str(unknown), "--data", str(data)])
    assert found.exit_code == 2
    assert "interventions.0.id" in found.stderr
    assert "yoga" in found.stderr
    early = config(tmp_path, ("baseline_year: 2025", "baseline_year: 2019"))
    found = runner.invoke(app, ["scenario", "run", "--config", str(early), "--data", str(data)])
    assert found.exit_code == 2
    assert "a financial year the data cover" in found.stderr
    short = config(tmp_path, ("years: 5", "years: 4"))
    found = runner.invoke(app, ["scenario", "run", "--config", str(short), "--data", str(data)])
    assert found.exit_code == 2
    assert "one amount for each of the 4 years" in found.stderr


def ons_file(folder: Path, name: str, sex: str, bad: str = "") -> str:
    """ONS's file for one sex: 100 people of each age in 2025, 2% more each year to 2030."""
    years = range(2025, 2031)
    lines = ["AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP," + ",".join(map(str, years))]
    for age in [*range(90), "90 and over"]:
        counts = ",".join(f"{100 * 1.02 ** (y - 2025):.3f}" for y in years)
        lines.append(f"E06000099,Place,Population,{sex},{age},{counts}")
    if bad:
        lines[2] = lines[2].rsplit(",", 1)[0] + f",{bad}"
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(folder / name)


def test_a_run_on_ons_files_for_each_sex_says_so(data: Path, tmp_path: Path) -> None:
    females, males = ons_file(tmp_path, "f.csv", "females"), ons_file(tmp_path, "m.csv", "males")
    named = f"population: {{snpp: [{females}, {males}], area: E06000099}}"
    path = config(tmp_path, ("population: national", named))
    out = tmp_path / "results.xlsx"
    args = ["scenario", "run", "--config", str(path), "--data", str(data), "--runs", "20"]
    found = runner.invoke(app, [*args, "--out", str(out)])
    assert found.exit_code == 0, found.output
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes()))
    first = book.get_sheet_by_name("Assumptions").to_python()[1]
    assert first[:3] == [
        "population", "ONS subnational population projection, area E06000099",
        f"ONS, the file {females}, {males}",
    ]  # fmt: skip
    ons_file(tmp_path, "m.csv", "males", bad="lots")
    found = runner.invoke(app, args)
    assert found.exit_code == 2
    assert "m.csv, row 3, column 2030: 'lots': a number of persons" in found.stderr
