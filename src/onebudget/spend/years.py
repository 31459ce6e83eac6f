"""The spend one April-to-March financial year at a time.

A partner's ledger extract often holds several years; adding them together gives a figure
for no period at all. Each line's ``month`` (``yyyy-mm``) falls in one financial year (the
rule is ``onebudget.periods``'), and a view narrowed to a year is the view of that year's
lines alone: transfers are matched within the year (a Section 75 contribution one partner
booked in March and the other in April is unmatched in both years, as it is in each year's
accounts), and every partner is reconciled to its ledger's lines of that year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache

from onebudget.periods import financial_year_of
from onebudget.spend.engine import Placed, SpendView, view_of
from onebudget.spend.rules import SpendLine


@lru_cache(maxsize=4096)
def financial_year(month: str) -> int:
    """The financial year a ``yyyy-mm`` month falls in: "2025-03" -> 2024, "2025-04" -> 2025.
    Asked of ``periods``: the month's period starts in the next calendar year for January to
    March."""
    return financial_year_of(date(int(month[:4]), int(month[5:7]), 1))


def years_of(lines: Iterable[SpendLine]) -> tuple[int, ...]:
    """The financial years that have lines, earliest first."""
    return tuple(sorted({financial_year(line.month) for line in lines}))


def in_year(view: SpendView, year: int) -> SpendView:
    """The view of ``year``'s lines only, with the same partners reconciled: the same as
    identifying that year's lines afresh, without mapping any line again."""
    lines = [p for p in view.placed if financial_year(p.line.month) == year]
    return view_of(lines, _partners(view))


def by_year(view: SpendView) -> dict[int, SpendView]:
    """Each financial year that has lines, earliest first, and its view (one pass)."""
    found: dict[int, list[Placed]] = defaultdict(list)
    for p in view.placed:
        found[financial_year(p.line.month)].append(p)
    partners = _partners(view)
    return {year: view_of(found[year], partners) for year in sorted(found)}


def _partners(view: SpendView) -> list[str]:
    return [r.partner for r in view.reconciliations]


def mapped_by_year(views: Mapping[int, SpendView]) -> dict[int, dict[str, Decimal]]:
    """Money mapped to services, by year and partner (every partner, even at nil): the
    trend from one year to the next."""
    return {
        year: {r.partner: r.mapped for r in view.reconciliations} for year, view in views.items()
    }


def months_by_year(lines: Iterable[SpendLine]) -> dict[int, tuple[str, ...]]:
    """The months that have lines (``yyyy-mm``), by financial year, each in order."""
    found: dict[int, set[str]] = defaultdict(set)
    for line in lines:
        found[financial_year(line.month)].add(line.month)
    return {year: tuple(sorted(found[year])) for year in sorted(found)}
