"""``onebudget fund``: settle the synthetic pooled fund from its own agreement and return."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "place"
    result = runner.invoke(app, ["synth", "--persons", "2000", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "pooled_fund"


def args(pool: Path, *more: str) -> list[str]:
    agreement = str(pool / "agreement_2025-26.yaml")
    return [
        "fund",
        "settle",
        "--agreement",
        agreement,
        "--actuals",
        str(pool / "monthly_actuals.csv"),
        *more,
    ]


def test_settle_prints_json_that_adds_up(pool: Path) -> None:
    result = runner.invoke(app, args(pool, "--json"))
    assert result.exit_code == 0, result.output
    sheets = json.loads(result.output)
    partners = {p["partner"]: p for p in sheets["Partners"]}
    assert set(partners) == {"E06099001", "QZZ"}
    for p in partners.values():
        expected = (
            Decimal(p["pooled_contributions"])
            + Decimal(p["share_of_overspend"])
            + Decimal(p["risk_reserve_used"])
            - Decimal(p["underspend_returned"])
        )
        assert Decimal(p["pooled_expenditure"]) == expected
    schemes = sheets["Schemes"]

    def total(rows: list[dict], column: str) -> Decimal:
        return sum((Decimal(r[column]) for r in rows), Decimal(0))

    # What the pool spent is what the partners bore, plus what is held for decision, less
    # what stays in the pool (carried forward or retained).
    assert total(schemes, "expenditure") == (
        total(list(partners.values()), "pooled_expenditure")
        + total(schemes, "held_for_joint_decision")
        - total(schemes, "carried_forward")
        - total(schemes, "retained_in_pool")
    )


def test_settle_writes_a_workbook(pool: Path, tmp_path: Path) -> None:
    out = tmp_path / "settlement.xlsx"
    result = runner.invoke(app, args(pool, "--out", str(out)))
    assert result.exit_code == 0, result.output
    assert "settlement due" in result.output
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["Partners", "Schemes", "Payments"]


def test_bad_actuals_are_reported_by_row_and_column_without_a_traceback(
    pool: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    text = (pool / "monthly_actuals.csv").read_text().splitlines()
    text[-1] = text[-1].replace("2026-03", "2026-13")
    bad.write_text("\n".join(text) + "\n")
    agreement = str(pool / "agreement_2025-26.yaml")
    result = runner.invoke(app, ["fund", "settle", "--agreement", agreement, "--actuals", str(bad)])
    assert result.exit_code == 2
    assert f"bad.csv, row {len(text)}, column month: '2026-13'" in result.output
    assert "Traceback" not in result.output


def test_quarterly_report(pool: Path) -> None:
    agreement = str(pool / "agreement_2025-26.yaml")
    actuals = str(pool / "monthly_actuals.csv")
    result = runner.invoke(
        app, ["fund", "report", "--agreement", agreement, "--actuals", actuals, "--quarter", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "quarter 2" in result.output
    assert "Forecast settlement" in result.output
