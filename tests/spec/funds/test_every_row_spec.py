"""Every actuals row used or accounted for, and no scheme silently settled at zero spend.

The cases the issue found: a monitoring return whose year is written ``2025-26`` settled the
whole year as zero spend and "returned" all the money; a pooled scheme with no rows settled
as a full underspend. Each is now a correct result or a named problem.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.funds.actuals import (
    ActualsError,
    left_out_in_words,
    missing_actuals,
    parse_actuals,
)
from onebudget.funds.monitoring import year_end_outturn
from onebudget.funds.settlement import SettlementError, settle
from onebudget.io.tables import RawTable
from onebudget.periods import parse_year
from tests.spec.funds.conftest import HEAD, agreement

FUND = agreement("""
    schemes:
      - {code: HC, name: Home care, contributions: {E06099001: 1200.00, QZZ: 1200.00}}
      - {code: RB, name: Reablement, contributions: {QZZ: 600.00}}
      - code: AL
        name: Aligned community services
        budget: aligned
        contributions: {E06099001: 100.00, QZZ: 200.00}
        overspend: {rule: own}
    """)
HEADER = ("financial_year", "scheme_code", "month", "actual", "partner_code")


def table(*rows: tuple[str, ...]) -> RawTable:
    return RawTable("actuals.csv", HEADER, tuple((i, r) for i, r in enumerate(rows, start=2)))


@pytest.mark.parametrize("written", ["2025/26", "2025-26", "2025/2026", "2025-2026", " 2025 / 26 "])
def test_the_year_is_read_however_it_is_written(written: str) -> None:
    read = parse_actuals(table((written, "HC", "2025-04", "2400.00", "")), FUND)
    assert [f.actual for f in read.figures] == [Decimal("2400.00")]
    assert read.left_out == ()


@pytest.mark.parametrize("written", ["2025/27", "25/26", "2025", "FY2025", "2025/6", ""])
def test_a_year_that_cannot_be_read_is_a_problem_not_a_silent_skip(written: str) -> None:
    with pytest.raises(ActualsError) as caught:
        parse_actuals(table((written, "HC", "2025-04", "2400.00", "")), FUND)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "financial_year", written)
    assert "2025/26, 2025-26 or 2025/2026" in problem.rule
    assert parse_year(written) is None


def test_rows_of_another_year_are_left_out_by_row_and_year() -> None:
    read = parse_actuals(
        table(
            ("2024-25", "HC", "2024-04", "9.99", ""),
            ("2025-26", "HC", "2025-04", "2400.00", ""),
            ("2026/2027", "XX", "nonsense", "1e30", ""),  # another year's: not read further
        ),
        FUND,
    )
    assert len(read.figures) == 1
    assert [(p.row, p.rule) for p in read.left_out] == [
        (2, "2024/25, not the agreement's year 2025/26: left out"),
        (4, "2026/27, not the agreement's year 2025/26: left out"),
    ]


def test_rows_left_out_are_summed_up_by_year_with_their_row_numbers() -> None:
    rows = [("2024/25", "HC", "2024-04", "1", "")] * 3 + [("2025/26", "HC", "2025-04", "1", "")]
    rows += [("2024/25", "HC", "2024-05", "1", ""), ("2023/24", "HC", "2023-05", "1", "")]
    words = left_out_in_words(parse_actuals(table(*rows), FUND).left_out)
    assert words == [
        "actuals.csv: 4 rows of 2024/25 left out, not the agreement's year 2025/26: rows 2-4, 6",
        "actuals.csv: 1 row of 2023/24 left out, not the agreement's year 2025/26: row 7",
    ]


def test_a_scheme_with_no_rows_is_missing_not_a_full_underspend() -> None:
    rows = [("2025/26", "HC", "2025-04", "2400.00", ""), ("2025/26", "AL", "2025-04", "1", "QZZ")]
    figures = parse_actuals(table(*rows), FUND).figures
    reported = {(f.scheme, f.partner) for f in figures}
    problems = missing_actuals(FUND, reported)
    assert [(p.path, p.value) for p in problems] == [
        ("schemes.1", "RB"),
        ("schemes.2", "AL:E06099001"),
    ]
    assert "no actuals by E06099001" in problems[1].rule
    # Without the check, settle itself refuses: the scheme is missing, not zero
    with pytest.raises(SettlementError, match="no expenditure for RB"):
        settle(FUND, year_end_outturn(FUND, figures))


def test_a_scheme_declared_nil_settles_as_spending_nothing() -> None:
    figures = parse_actuals(table(("2025/26", "HC", "2025-04", "2400.00", "")), FUND).figures
    reported = {(f.scheme, f.partner) for f in figures}
    nil = ["RB", "AL:E06099001", "AL:QZZ"]
    assert missing_actuals(FUND, reported, nil) == []
    result = settle(FUND, year_end_outturn(FUND, figures, nil))
    # Reablement spent nothing: its £600 is all underspend, returned to the ICB
    assert result.scheme("RB").underspend.returned == {"QZZ": Decimal("600.00")}
    assert result.scheme("HC").variance == Decimal("0.00")


def test_a_nil_declaration_must_name_a_scheme_of_the_agreement() -> None:
    problems = missing_actuals(FUND, {("HC", None), ("RB", None)}, ["AL", "XX", "HC:QZZ"])
    assert [(p.path, p.value) for p in problems] == [("nil", "HC:QZZ"), ("nil", "XX")]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    body = """\
schemes:
  - {code: HC, name: Home care, contributions: {E06099001: 1200.00, QZZ: 1200.00}}
  - {code: RB, name: Reablement, contributions: {QZZ: 600.00}}
"""
    (tmp_path / "agreement.yaml").write_text(HEAD + body)
    (tmp_path / "actuals.csv").write_text(
        "financial_year,scheme_code,month,actual\n"
        "2024-25,HC,2024-04,100.00\n"
        "2025-26,HC,2025-04,2400.00\n"
    )
    return tmp_path / "agreement.yaml", tmp_path / "actuals.csv"


def _settle(files: tuple[Path, Path], *more: str) -> object:
    agreement, actuals = files
    command = ["fund", "settle", "--agreement", str(agreement), "--actuals", str(actuals)]
    return CliRunner().invoke(app, [*command, "--json", *more])


def test_fund_settle_refuses_a_scheme_without_actuals_with_exit_2(files: tuple[Path, Path]) -> None:
    result = _settle(files)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    out = " ".join(result.output.split())  # type: ignore[attr-defined]
    assert "schemes.1: 'RB': no actuals for the year" in out
    assert "actuals.csv: 1 row of 2024/25 left out, not the agreement's year 2025/26: row 2" in out


def test_fund_settle_with_the_scheme_declared_nil(files: tuple[Path, Path]) -> None:
    result = _settle(files, "--nil", "RB")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert '"underspend_returned": "600.00"' in result.stdout  # type: ignore[attr-defined]
