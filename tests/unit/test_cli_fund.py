"""``onebudget fund``: settle the synthetic pooled fund from its own agreement and return."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from onebudget.cli import fund as cli_fund
from onebudget.cli.main import app
from onebudget.cli.tables import cell
from onebudget.funds import report
from onebudget.funds.actuals import read_actuals
from onebudget.funds.monitoring import forecast_settlement, positions
from onebudget.funds.validation import read_agreement

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
    sheets = json.loads(result.stdout)  # rows of other years left out are named on stderr
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


@pytest.fixture(params=[80, 60])
def columns(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """A terminal this wide, as COLUMNS says, and on the console itself: Rich fixes a
    console's width when it is made if COLUMNS is set then (as in a pytest-xdist worker)."""
    monkeypatch.setenv("COLUMNS", str(request.param))
    monkeypatch.setattr(cli_fund.console, "width", request.param)
    return int(request.param)


def test_the_quarterly_report_shows_every_figure_whole_in_a_narrow_terminal(
    pool: Path, columns: int
) -> None:
    agreement, actuals = pool / "agreement_2025-26.yaml", pool / "monthly_actuals.csv"
    command = ["fund", "report", "--agreement", str(agreement), "--actuals", str(actuals)]
    result = runner.invoke(app, [*command, "--quarter", "2"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    found = read_agreement(agreement)
    figures = read_actuals(actuals, found).figures
    rows = report.position_rows(positions(found, figures, 6))
    rows += report.partner_rows(forecast_settlement(found, figures, 6))
    expected = [cell(v) for row in rows for v in row.values() if isinstance(v, Decimal)]
    assert len(expected) > 50
    words = result.stdout.split()
    assert [figure for figure in expected if figure not in words] == []  # each whole
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= columns


def test_settle_shows_names_from_the_agreement_as_text_not_markup(tmp_path: Path) -> None:
    """A partner named ``[/red] Council`` was a MarkupError (a traceback) in the table."""
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(
        AGREEMENT_HEAD.replace("A broken agreement", '"[bold]Pooled fund"')
        + "schemes:\n  - {code: S1, name: Home care, contributions: {A: 1000.00, B: 500.00}}\n"
    )
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("scheme_code,month,actual,partner_code\nS1,2025-04,-1192.50,\n")
    result = runner.invoke(
        app, ["fund", "settle", "--agreement", str(agreement), "--actuals", str(actuals)]
    )
    assert result.exit_code == 0, result.output
    assert "[/red] Council" in result.stdout
    assert "[bold]Pooled fund" in result.stdout


def test_settle_as_json_is_not_wrapped_to_the_terminal(pool: Path) -> None:
    result = runner.invoke(app, args(pool, "--json"), env={"COLUMNS": "20"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["Partners"]
    assert max(len(line) for line in result.stdout.splitlines()) > 20


AGREEMENT_HEAD = """\
id: S75-BROKEN
name: A broken agreement
financial_year: 2025
host: A
pool_manager: Pool manager
partners:
  - {code: A, name: "[/red] Council"}
  - {code: B, name: ICB}
"""
# Amounts that are not money: refused as the file is read, each at its path
NOT_MONEY = """\
schemes:
  - {code: S1, name: Home care, contributions: {A: 1e30, B: 50000.00}}
  - {code: S2, name: Reablement, contributions: {A: 99999999999999999999.00}}
risk_reserve: {A: "[/red]"}
"""
# Risk-share clauses with values that are not numbers: refused by the agreement's rules
BAD_CLAUSES = """\
schemes:
  - code: S1
    name: Home care
    contributions: {A: 100000.00, B: 50000.00}
    overspend:
      rule: capped
      caps: {A: 10%, B: contribution}
      of: {rule: fixed, shares: {A: fifty, B: 50}}
  - code: S2
    name: Reablement
    contributions: {A: 1000.00}
    overspend: {rule: tiered, first: 1e400, partner: A}
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            NOT_MONEY,
            [
                "schemes.0.contributions.A: '1e30': not written as an amount of money",
                "schemes.1.contributions.A: 99999999999999999999.00: more than "
                "£92,233,720,368,547,758.07",
                "risk_reserve.A: '[/red]': not written as an amount of money",
            ],
        ),
        (
            BAD_CLAUSES,
            [
                "schemes.0.overspend.caps.A: '10%': an amount in pounds",
                "schemes.0.overspend.of.shares.A: 'fifty': a percentage from 0 to 100",
                "schemes.1.overspend.first: '1e400': an amount in pounds",
            ],
        ),
    ],
    ids=["amounts", "clauses"],
)
def test_check_names_every_problem_in_a_broken_agreement_without_a_traceback(
    tmp_path: Path, body: str, expected: list[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(AGREEMENT_HEAD + body)
    result = runner.invoke(app, ["fund", "check", "--agreement", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    out = " ".join(result.output.split())
    assert "Traceback" not in out
    for line in expected:
        assert line in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: " + "[" * 20_000 + "]" * 20_000 + "\n", "nested more than 50 levels deep"),
        (
            "\n".join(
                ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
            ),
            "aliases (*name) are not allowed",
        ),
        ("id: [\n", "not YAML"),
        ("when: 2025-13-45\n", "not a value of its kind"),
    ],
    ids=["deep", "aliases", "not-yaml", "bad-date"],
)
def test_check_refuses_hostile_yaml_with_a_named_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["fund", "check", "--agreement", str(path)])
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert expected in out
    assert "Traceback" not in out
    assert len(out) < 2_000


def test_check_refuses_a_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00\x01 not text")
    result = runner.invoke(app, ["fund", "check", "--agreement", str(path)])
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.output
