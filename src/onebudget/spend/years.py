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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from onebudget.periods import month_start, period_of
from onebudget.spend.engine import Placed, SpendView, view_of
from onebudget.spend.rules import SpendLine

Why = Literal["asked", "current", "latest", "none"]


@lru_cache(maxsize=4096)
def financial_year(month: str) -> int:
    """The financial year a ``yyyy-mm`` month falls in: "2025-03" -> 2024, "2025-04" -> 2025.
    Asked of ``periods``: the month's period starts in the next calendar year for January to
    March."""
    year, number = int(month[:4]), int(month[5:7])
    return year - (month_start(year, period_of(number)).year - year)


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


@dataclass(frozen=True)
class YearChoice:
    """The year to show and why; ``refused`` is a year asked for that has no lines."""

    year: int | None
    why: Why
    refused: int | None = None


def choose_year(years: Sequence[int], today: date, asked: int | None = None) -> YearChoice:
    """The year asked for if it has lines; else the current financial year if it has lines;
    else the latest year that has lines (``year`` is None only when no year has)."""
    if asked is not None and asked in years:
        return YearChoice(asked, "asked")
    refused = asked
    current = financial_year(f"{today:%Y-%m}")
    if current in years:
        return YearChoice(current, "current", refused)
    if years:
        return YearChoice(max(years), "latest", refused)
    return YearChoice(None, "none", refused)


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
