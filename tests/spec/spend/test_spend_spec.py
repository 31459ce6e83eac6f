"""Spec: mapping rules, elimination and reconciliation, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onebudget.spend.engine import identify
from onebudget.spend.mapping import MappingError, load_mapping
from onebudget.spend.rules import SpendLine

D = Decimal
HEAD = """
partner: {partner}
name: Test
ledger: {{file: gl.csv}}
columns:
  cost_centre: CC
  account: AC
  description: Text
  amount: Amount
  reference: Ref
  month: {{column: Date, format: "%d/%m/%Y"}}
"""


def mapping(partner: str, body: str):
    return load_mapping(HEAD.format(partner=partner) + body, source=f"{partner}.yaml")


def line(
    partner: str, cc: str, amount: str, *, account: str = "5000", text: str = "", ref: str = ""
) -> SpendLine:
    return SpendLine(partner, "gl.csv", 2, cc, account, text, "2025-04", D(amount), reference=ref)


def test_the_lowest_priority_then_the_most_specific_rule_wins_and_is_kept() -> None:
    m = mapping(
        "A",
        """
services:
  - {id: by-pattern, service: ASC_HOME_CARE, description: {pattern: "(?i)home"}}
  - {id: by-prefix, service: ASC_RESIDENTIAL, cost_centre: {prefix: ASC1}}
  - {id: by-code, service: ASC_NURSING, cost_centre: {exact: ASC120}}
  - id: override
    service: CARERS
    cost_centre: {prefix: ASC}
    description: {prefix: Carer}
    priority: 1
""",
    )
    lines = [
        line("A", "ASC120", "10.00", text="Home care"),  # exact beats prefix beats pattern
        line("A", "ASC110", "20.00", text="Home care"),  # prefix beats pattern
        line("A", "ZZZ", "30.00", text="home visits"),  # only the pattern
        line("A", "ASC120", "40.00", text="Carers breaks"),  # priority 1 beats all
        line("A", "ZZZ", "50.00", text="Stationery"),  # nothing: unmapped
    ]
    placed = identify(lines, {"A": m.rules}).placed
    assert [(p.service, p.rule) for p in placed] == [
        ("ASC_NURSING", "by-code"),
        ("ASC_RESIDENTIAL", "by-prefix"),
        ("ASC_HOME_CARE", "by-pattern"),
        ("CARERS", "override"),
        (None, None),
    ]


def test_transfers_are_eliminated_when_both_sides_match_and_listed_when_not() -> None:
    rules = (
        "transfers:\n  - {id: s75, kind: section_75, reference: {prefix: S75-}}\n"
        "services:\n  - {id: all, service: ACUTE, cost_centre: {prefix: ''}}\n"
    )
    council, icb = mapping("C", rules), mapping("I", rules)
    lines = [
        line("C", "BCF", "-1000.00", ref="S75-2025-04"),
        line("I", "608", "1000.00", ref="S75-2025-04"),  # matched: eliminated
        line("C", "BCF", "-500.00", ref="S75-2025-05"),
        line("I", "608", "499.99", ref="S75-2025-05"),  # a penny out: mismatched
        line("C", "BCF", "-250.00", ref="S75-2025-06"),  # no other side: unmatched
        line("C", "ASC", "77.77"),
    ]
    view = identify(lines, {"C": council.rules, "I": icb.rules})
    assert [(g.reference, g.status) for g in view.transfers] == [
        ("S75-2025-04", "eliminated"),
        ("S75-2025-05", "mismatched"),
        ("S75-2025-06", "unmatched"),
    ]
    c, i = view.reconciliations
    assert (c.ledger_total, c.mapped, c.eliminated, c.unmatched) == (
        D("-1672.23"),
        D("77.77"),
        D("-1000.00"),
        D("-750.00"),
    )
    assert (i.ledger_total, i.eliminated, i.unmatched) == (D("1499.99"), D("1000.00"), D("499.99"))
    assert c.balances
    assert i.balances


def test_reconciliation_holds_with_deliberately_unmapped_lines() -> None:
    m = mapping("A", "services:\n  - {id: acute, service: ACUTE, cost_centre: {exact: '601100'}}\n")
    lines = [line("A", "601100", "100.01"), line("A", "999999", "-0.02"), line("A", "888", "3.00")]
    view = identify(lines, {"A": m.rules})
    (r,) = view.reconciliations
    assert (r.ledger_total, r.mapped, r.unmapped) == (D("102.99"), D("100.01"), D("2.98"))
    assert [p.line.cost_centre for p in view.unmapped] == ["999999", "888"]
    assert view.totals == {("ACUTE", "A", "view"): D("100.01")}


BAD_RULES = [
    ("{id: x, service: NOT_A_SERVICE, cost_centre: {exact: A}}", "services.0.service"),
    ("{id: x, service: ACUTE}", "services.0"),
    ("{id: x, service: ACUTE, cost_centre: {regex: A}}", "services.0.cost_centre"),
    ("{id: x, service: ACUTE, cost_centre: {pattern: '('}}", "services.0.cost_centre"),
    ("{id: x, service: ACUTE, cost_centre: {exact: A}, colour: red}", "services.0"),
    ("{id: x, service: ACUTE, cost_centre: {exact: A}, priority: high}", "services.0.priority"),
]


@pytest.mark.parametrize(("rule", "path"), BAD_RULES)
def test_each_kind_of_bad_rule_is_named(rule: str, path: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping("A", f"services:\n  - {rule}\n")
    assert path in {p.path for p in caught.value.problems}


def test_every_problem_in_a_mapping_file_is_reported_at_once() -> None:
    text = (
        "partner: A\nname: x\nledger: {}\ncolumns: {amount: 5}\namount_sign: 2\n"
        "budgets:\n  - {budget: shared, cost_centre: {exact: A}}\n"
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(text, source="a.yaml")
    paths = {p.path for p in caught.value.problems}
    assert {
        "ledger.file",
        "columns.amount",
        "columns.month",
        "amount_sign",
        "budgets.0.budget",
    } <= paths


def test_an_icb_line_is_apportioned_to_the_place_by_population_to_the_penny() -> None:
    from onebudget.spend.places import Share, apportion

    icb = mapping("I", "services:\n  - {id: acute, service: ACUTE, cost_centre: {prefix: ''}}\n")
    council = mapping(
        "C", "services:\n  - {id: care, service: CARERS, cost_centre: {prefix: ''}}\n"
    )
    lines = [line("I", "601100", "1000.01"), line("C", "ASC", "50.00")]
    view = identify(lines, {"I": icb.rules, "C": council.rules})
    rows = apportion(view, "P", D("3000"), {"I": Share(D("1000"), D("3000"))})
    amounts = {r["partner"]: (r["place_amount"], r["per_head"]) for r in rows}
    # a third of £1,000.01 is £333.337: the place gets 333.34, the rest 666.67
    assert amounts == {"I": (D("333.34"), D("0.11")), "C": (D("50.00"), D("0.02"))}


def test_a_debit_and_credit_layout_with_title_rows_reconciles_with_its_loose_ends() -> None:
    """The Westvale example: its ICB's ledger is not given, so its Section 75 income is
    listed as unmatched; the suspense line is unmapped; both stay in the reconciliation."""
    from pathlib import Path

    from onebudget.spend.mapping import EXAMPLES, read_ledger, read_mapping

    folder = Path(str(EXAMPLES)) / "westvale"
    m = read_mapping(folder / "E06099002.yaml")
    lines = read_ledger(folder, m)
    assert len(lines) == 17
    assert lines[0].row == 4
    assert lines[0].month == "2025-04"
    assert lines[0].amount == D("84210.55")
    assert lines[1].amount == D("-21044.10")  # a credit is income
    view = identify(lines, {m.partner: m.rules})
    (r,) = view.reconciliations
    assert r.balances
    assert r.unmapped == D("1250.00")
    assert r.unmatched == D("-114750.00")
    assert {g.status for g in view.transfers} == {"unmatched"}
    assert r.ledger_total == sum(line.amount for line in lines)
    assert view.totals[("ASC_REABLEMENT", "E06099002", "pooled")] == D("30999.99")


@pytest.mark.parametrize(
    "columns",
    ["  debit: Dr\n", "  amount: Amount\n  debit: Dr\n  credit: Cr\n"],
)
def test_an_amount_column_or_debit_and_credit_columns_but_not_both(columns: str) -> None:
    text = HEAD.format(partner="A").replace("  amount: Amount\n", columns)
    with pytest.raises(MappingError) as caught:
        load_mapping(text, source="a.yaml")
    assert "columns.amount" in {p.path for p in caught.value.problems}
