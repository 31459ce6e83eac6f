"""``onebudget spend`` on the synthetic ledgers, with the example mapping files."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.cli import spend as cli_spend
from onebudget.cli.main import app
from onebudget.spend.mapping import EXAMPLES as MAPPINGS

runner = CliRunner()
EXAMPLES = Path(str(MAPPINGS))


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "place"
    result = runner.invoke(app, ["synth", "--persons", "2000", "--seed", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "ledgers"


def sheet(path: Path, name: str) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def run(ledgers: Path, mapping: Path, out: Path):
    return runner.invoke(
        app, ["spend", "--ledgers", str(ledgers), "--mapping", str(mapping), "--out", str(out)]
    )


def test_every_ledger_reconciles_and_transfers_are_eliminated_once(
    ledgers: Path, tmp_path: Path
) -> None:
    out = tmp_path / "spend.xlsx"
    result = run(ledgers, EXAMPLES, out)
    assert result.exit_code == 0, result.output
    recon = sheet(out, "Reconciliation")
    assert {r["reconciles"] for r in recon} == {"yes"}
    transfers = sheet(out, "Transfers")
    assert transfers
    assert {t["status"] for t in transfers} == {"eliminated"}
    spend = sheet(out, "Spend by service")
    total = sum(Decimal(str(r["amount"])) for r in spend)
    mapped = sum(Decimal(str(r["mapped"])) for r in recon)
    assert abs(total - mapped) < Decimal("0.01")  # (read back from floats in the workbook)
    assert {"ACUTE", "ASC_RESIDENTIAL", "PUBLIC_HEALTH"} <= {r["service"] for r in spend}
    assert {r["budget"] for r in spend} == {"pooled", "aligned", "view"}


def test_unmapped_lines_are_listed_and_still_reconciled(ledgers: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping"
    shutil.copytree(EXAMPLES, mapping, ignore=shutil.ignore_patterns("westvale"))
    council = mapping / "E06099001.yaml"
    council.write_text(
        council.read_text().replace(
            "  - {id: public-health, service: PUBLIC_HEALTH, cost_centre: {prefix: PH}}\n", ""
        )
    )
    out = tmp_path / "spend.xlsx"
    result = run(ledgers, mapping, out)
    assert result.exit_code == 0, result.output
    unmapped = sheet(out, "Unmapped lines")
    assert unmapped
    assert {r["cost_centre"] for r in unmapped} == {"PH300"}
    (council_row,) = [r for r in sheet(out, "Reconciliation") if r["partner"] == "E06099001"]
    assert council_row["reconciles"] == "yes"
    assert council_row["unmapped"] > 0


def test_a_seeded_defect_of_each_kind_is_reported_and_nothing_is_loaded(
    ledgers: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "ledgers"
    shutil.copytree(ledgers, bad)
    path = bad / "council_gl_E06099001.csv"
    lines = path.read_text().splitlines()
    defects = {  # line number -> (column, value)
        2: ("Amount", "12.345"),
        3: ("Amount", "twelve"),
        4: ("Posting Date", "31/02/2024"),
        5: ("Posting Date", "2024-04-05"),
        6: ("Cost Centre", ""),
        7: ("Subjective Code", ""),
    }
    header = lines[0].split(",")
    for number, (column, value) in defects.items():
        cells = lines[number - 1].split(",")
        cells[header.index(column)] = value
        lines[number - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "spend.xlsx"
    result = run(bad, EXAMPLES, out)
    assert result.exit_code == 2
    for number, (column, value) in defects.items():
        assert (
            f"council_gl_E06099001.csv, row {number}, column {column}: {value!r}" in result.output
        )
    assert "nothing was loaded" in result.output
    assert not out.exists()


def test_a_council_area_gets_its_population_share_of_the_icb_ledger(tmp_path: Path) -> None:
    out = tmp_path / "leeds"
    result = runner.invoke(
        app, ["synth", "--persons", "3000", "--seed", "2", "--like", "E08000035", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    mapping = tmp_path / "mapping"
    mapping.mkdir()
    for code, new in (("E06099001", "E08000035"), ("QZZ", "QWO")):
        text = (EXAMPLES / f"{code}.yaml").read_text().replace("E06099001", "E08000035")
        (mapping / f"{new}.yaml").write_text(text.replace("QZZ", "QWO"))
    book = tmp_path / "spend.xlsx"
    args = ["--ledgers", str(out / "ledgers"), "--mapping", str(mapping), "--out", str(book)]
    result = runner.invoke(app, ["spend", *args, "--place", "E08000035"])
    assert result.exit_code == 0, result.output
    rows = sheet(book, "Spend for place")
    icb = [r for r in rows if r["partner"] == "QWO"]
    council = [r for r in rows if r["partner"] == "E08000035"]
    assert icb
    assert council
    assert {r["place_share"] for r in council} == {1}
    assert all(0 < r["place_share"] < 1 for r in icb)
    assert all(r["place_amount"] == r["ledger_amount"] for r in council)
    assert runner.invoke(app, ["spend", *args, "--place", "E99999999"]).exit_code == 2


@pytest.mark.parametrize("columns", [80, 60])
def test_the_reconciliation_shows_every_figure_whole_in_a_narrow_terminal(
    ledgers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setattr(cli_spend.console, "width", columns)  # fixed if COLUMNS was set early
    out = tmp_path / "spend.xlsx"
    args = ["spend", "--ledgers", str(ledgers), "--mapping", str(EXAMPLES), "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    figures = ("ledger_total", "mapped", "unmapped", "eliminated", "unmatched_transfers")
    expected = [
        f"{Decimal(str(row[name])).quantize(Decimal('0.01')):,}"  # read back as floats
        for row in sheet(out, "Reconciliation")
        for name in figures
    ]
    words = result.stdout.split()
    assert [figure for figure in expected if figure not in words] == []
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
