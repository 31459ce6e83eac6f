"""The spend one financial year at a time: a line's year from its month, a view narrowed to
a year equal to identifying that year's lines afresh, the year a page shows by default, the
trend, and what a new ledger would change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onebudget.periods import YearChoice, choose_year, year_label
from onebudget.spend.charts import years_svg
from onebudget.spend.engine import PartnerRules, identify
from onebudget.spend.preview import changes, summary
from onebudget.spend.rules import Match, Rule, SpendLine
from onebudget.spend.years import (
    by_year,
    financial_year,
    in_year,
    mapped_by_year,
    months_by_year,
    years_of,
)

D = Decimal
RULES = {
    "LA": PartnerRules(
        "LA",
        services=(Rule("home", "ASC_HOME_CARE", (Match("cost_centre", "exact", "ASC130"),)),),
        transfers=(Rule("s75", "section_75", (Match("account", "exact", "9001"),)),),
    ),
    "ICB": PartnerRules(
        "ICB",
        services=(Rule("acute", "ACUTE", (Match("cost_centre", "prefix", "AC"),)),),
        transfers=(Rule("s75", "section_75", (Match("account", "exact", "9001"),)),),
    ),
}


def line(partner: str, month: str, cc: str, amount: str, *, ref: str = "") -> SpendLine:
    account = "9001" if ref else "5000"
    return SpendLine(partner, "gl.csv", 2, cc, account, "", month, D(amount), reference=ref)


LINES = [
    line("LA", "2024-03", "ASC130", "100.00"),  # 2023/24
    line("LA", "2024-04", "ASC130", "200.00"),  # 2024/25
    line("LA", "2025-03", "ZZZ", "7.00"),  # 2024/25, unmapped
    line("ICB", "2024-12", "AC1", "1000.00"),  # 2024/25
    line("LA", "2024-06", "X", "-50.00", ref="S75-1"),  # matched within 2024/25
    line("ICB", "2024-06", "X", "50.00", ref="S75-1"),
    line("LA", "2025-03", "X", "-30.00", ref="S75-2"),  # March by one, April by the other
    line("ICB", "2025-04", "X", "30.00", ref="S75-2"),
    line("ICB", "2025-05", "AC2", "500.00"),  # 2025/26
]


@pytest.mark.parametrize(
    ("month", "year"),
    [("2025-03", 2024), ("2025-04", 2025), ("2025-12", 2025), ("2026-01", 2025), ("2000-04", 2000)],
)
def test_april_to_march(month: str, year: int) -> None:
    assert financial_year(month) == year


def test_a_year_narrowed_is_the_year_identified_afresh() -> None:
    whole = identify(LINES, RULES)
    assert years_of(LINES) == (2023, 2024, 2025)
    for year in (2023, 2024, 2025, 2019):
        mine = [x for x in LINES if financial_year(x.month) == year]
        assert in_year(whole, year) == identify(mine, RULES), year
    assert by_year(whole) == {y: in_year(whole, y) for y in (2023, 2024, 2025)}


def test_a_year_has_only_its_own_money_and_still_reconciles() -> None:
    year = in_year(identify(LINES, RULES), 2024)
    assert sum(year.totals.values()) == D("1200.00")  # not the 1,800.00 of every year
    la = next(r for r in year.reconciliations if r.partner == "LA")
    assert (la.ledger_total, la.mapped, la.unmapped) == (D("127.00"), D("200.00"), D("7.00"))
    assert (la.eliminated, la.unmatched) == (D("-50.00"), D("-30.00"))
    assert all(r.balances for r in year.reconciliations)
    # a transfer booked in two years is matched in neither: each year's accounts show it
    assert [(g.reference, g.status) for g in year.transfers] == [
        ("S75-1", "eliminated"),
        ("S75-2", "unmatched"),
    ]
    assert [r.partner for r in in_year(identify(LINES, RULES), 2019).reconciliations] == [
        "ICB",
        "LA",
    ]


def test_the_year_shown_is_the_one_asked_for_then_the_current_then_the_latest() -> None:
    years = (2023, 2024, 2025)
    assert choose_year(years, date(2026, 2, 1), 2023) == YearChoice(2023, "asked")
    assert choose_year(years, date(2026, 2, 1)).year == 2025  # February 2026 is in 2025/26
    assert choose_year(years, date(2026, 2, 1)).why == "current"
    assert choose_year(years, date(2026, 4, 1)).why == "latest"  # 2026/27 has no lines
    assert choose_year(years, date(2024, 5, 1), 2019).year == 2024
    assert choose_year(years, date(2024, 5, 1), 2019).refused == 2019
    assert choose_year((), date(2024, 5, 1)).year is None


def test_the_trend_is_mapped_money_by_year_and_partner() -> None:
    trend = mapped_by_year(by_year(identify(LINES, RULES)))
    assert trend == {
        2023: {"ICB": D("0"), "LA": D("100.00")},
        2024: {"ICB": D("1000.00"), "LA": D("200.00")},
        2025: {"ICB": D("500.00"), "LA": D("0")},
    }


def test_the_trend_chart_is_named_by_its_years_and_totals() -> None:
    rows = [
        {"year": year_label(y), "partner": p, "amount": a}
        for y, parts in mapped_by_year(by_year(identify(LINES, RULES))).items()
        for p, a in parts.items()
    ]
    drawn = years_svg("Mapped spend by year", rows)
    assert drawn is not None
    assert 'role="img"' in drawn
    assert "3 financial years from 2023/24 to 2025/26" in drawn
    assert "2023/24 £100.00; 2024/25 £1,200; 2025/26 £500.00" in drawn
    assert years_svg("Nothing", [{"year": "2024/25", "partner": "LA", "amount": D(0)}]) is None


def test_months_are_listed_by_year_in_order() -> None:
    assert months_by_year(LINES) == {
        2023: ("2024-03",),
        2024: ("2024-04", "2024-06", "2024-12", "2025-03"),
        2025: ("2025-04", "2025-05"),
    }


def test_a_new_ledger_is_summarised_and_compared_year_by_year() -> None:
    before = identify(LINES, RULES)
    new_la = [
        line("LA", "2024-04", "ASC130", "250.00"),
        line("LA", "2025-04", "ZZZ", "9.00"),
        line("LA", "2024-06", "X", "-50.00", ref="S75-1"),
    ]
    after = identify([x for x in LINES if x.partner != "LA"] + new_la, RULES)
    found = summary(after, "LA")
    assert (found.rows, found.total) == (3, D("209.00"))
    assert (found.mapped, found.unmapped, found.transfers) == (D("250.00"), D("9.00"), D("-50"))
    assert found.months == {2024: ("2024-04", "2024-06"), 2025: ("2025-04",)}
    by = {c.year: c for c in changes(by_year(before), by_year(after), "LA")}
    assert sorted(by) == [2023, 2024, 2025]
    assert by[2023].before is not None
    assert by[2023].after is None
    assert by[2024].before is not None
    assert by[2024].after is not None
    assert (by[2024].before.mapped, by[2024].after.mapped) == (D("200.00"), D("250.00"))
    assert by[2025].before is None  # the old ledger had nothing in 2025/26
    assert by[2025].after is not None
    assert by[2025].after.unmapped == D("9.00")
