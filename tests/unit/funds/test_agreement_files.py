"""Agreement files: every problem reported at once, with path, value and rule; round trips."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from onebudget.funds.actuals import ActualsError, read_actuals
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import dump_agreement, load_agreement
from tests.spec.funds.conftest import HEAD, agreement

BAD = """
host: NOPE
schemes:
  - code: A
    name: Home care
    contributions: {QZZ: 100.005, XXX: 5.00}
    overspend: {rule: fixed, shares: {QZZ: 60, E06099001: 30}}
  - code: A
    name: Duplicate
    budget: aligned
    contributions: {QZZ: 1.00}
    overspend: {rule: pro_rata}
"""


def test_every_problem_is_reported_with_its_path_value_and_rule() -> None:
    with pytest.raises(AgreementError) as caught:
        load_agreement(HEAD.replace("host: E06099001\n", "") + BAD, source="bad.yaml")
    found = {(p.path, str(p.value), p.rule) for p in caught.value.problems}
    assert ("host", "NOPE", "the host is one of the partners") in found
    assert ("schemes", "A", "each scheme code appears once") in found
    assert ("schemes.0.contributions.XXX", "XXX", "a partner of the agreement") in found
    assert (
        "schemes.0.contributions.QZZ",
        "100.005",
        "money has at most two decimal places",
    ) in found
    assert (
        "schemes.0.overspend.shares",
        "{'QZZ': 60, 'E06099001': 30}",
        "fixed shares add up to 100",
    ) in found
    assert any(p.path == "schemes.1.overspend" and "own" in p.rule for p in caught.value.problems)
    assert str(caught.value).startswith("bad.yaml: ")


def test_structure_errors_name_the_field() -> None:
    with pytest.raises(AgreementError) as caught:
        load_agreement(HEAD + "schemes: []\nsurprise: 1\n", source="x.yaml")
    paths = {p.path for p in caught.value.problems}
    assert {"schemes", "surprise"} <= paths


def test_an_agreement_round_trips_through_yaml_exactly() -> None:
    fund = agreement("""
        schemes:
          - code: A
            name: Home care
            contributions: {QZZ: 1200000.10, E06099001: 0.01}
            overspend: {rule: capped, of: {rule: pro_rata}, caps: {E06099001: contribution}}
        """)
    text = dump_agreement(fund)
    assert "1200000.10" in text
    again = load_agreement(text)
    assert again == fund
    assert again.contributions("A")["QZZ"] == Decimal("1200000.10")


def test_actuals_errors_name_file_row_column_value_and_rule(tmp_path: Path) -> None:
    fund = agreement("""
        schemes:
          - {code: A, name: Home care, contributions: {QZZ: 1200.00}}
          - {code: B, name: Aligned, budget: aligned, contributions: {QZZ: 1.00},
             overspend: {rule: own}}
        """)
    path = tmp_path / "actuals.csv"
    path.write_text(
        "scheme_code,month,actual,partner_code\n"
        "A,2025-04,100.00,\n"
        "Z,2025-05,1.00,\n"
        "A,2024-05,1.005,\n"
        "\n"
        "B,2025-06,2.00,\n"
        "A,2025-04,3.00,\n",
        encoding="utf-8",
    )
    with pytest.raises(ActualsError) as caught:
        read_actuals(path, fund)
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert found == {
        (3, "scheme_code", "Z"),
        (4, "month", "2024-05"),
        (4, "actual", "1.005"),
        (6, "partner_code", ""),
        (7, "scheme_code", "A"),
    }
    assert (
        "actuals.csv, row 7, column scheme_code: 'A': the same scheme, month and partner as row 2"
        in str(caught.value)
    )


def test_actuals_read_from_a_workbook_keep_whole_pence(tmp_path: Path) -> None:
    from onebudget.io.excel import write_sheets

    fund = agreement("""
        schemes:
          - {code: A, name: Home care, contributions: {QZZ: 1200.00}}
        """)
    path = tmp_path / "actuals.xlsx"
    rows = [
        {
            "scheme_code": "A",
            "month": "2025-04",
            "actual": Decimal("100.10"),
            "forecast_outturn": "",
        },
        {
            "scheme_code": "A",
            "month": "2026-03",
            "actual": Decimal("0.07"),
            "forecast_outturn": Decimal("1300.00"),
        },
    ]
    write_sheets(path, {"Actuals": rows})
    figures = read_actuals(path, fund).figures
    assert [(f.month, f.actual, f.forecast_outturn) for f in figures] == [
        (1, Decimal("100.10"), None),
        (12, Decimal("0.07"), Decimal("1300.00")),
    ]
