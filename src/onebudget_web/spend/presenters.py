"""Plain data for the spend pages: services by partner, money by budget, spend per head,
the year shown and why, the years side by side, and a ledger's preview; names before codes,
the period always said."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from onebudget.figures import count, pounds
from onebudget.money import ZERO
from onebudget.periods import YearChoice, month_end, month_start, year_label
from onebudget.spend.engine import Reconciliation, SpendView
from onebudget.spend.places import per_head, per_head_by_service
from onebudget.spend.preview import LedgerSummary, YearChange
from onebudget.spend.taxonomy import services
from onebudget.spend.years import mapped_by_year
from onebudget_web.spend.selectors import PlaceAmounts

Row = dict[str, Any]
WHY = {
    "asked": "the year chosen",
    "current": "the current financial year",
    "latest": "the latest year in the ledgers",
}


def service_table(rows: Sequence[Row], partners: list[str]) -> list[Row]:
    """Each service's spend by partner (in ``partners`` order) and in total, largest first."""
    by: dict[str, Row] = {}
    for r in rows:
        entry = by.setdefault(
            r["service"], {"name": r["service_name"], "amounts": defaultdict(lambda: ZERO)}
        )
        entry["amounts"][r["partner"]] += r["amount"]
    table = [
        {
            "name": e["name"],
            "amounts": [e["amounts"][p] for p in partners],
            "total": sum(e["amounts"].values(), ZERO),
        }
        for e in by.values()
    ]
    return sorted(table, key=lambda t: -t["total"])


def budget_table(rows: Sequence[Row]) -> list[Row]:
    """Pooled, aligned and in-view-only money by partner."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        totals[(r["partner"], r["budget"])] += r["amount"]
    partners = sorted({p for p, _ in totals})
    return [
        {"partner": p, **{b: totals[(p, b)] for b in ("pooled", "aligned", "view")}}
        for p in partners
    ]


def year_shown(choice: YearChoice, years: Sequence[int], asked_badly: bool) -> Row:
    """The year shown, its months, why it is the one shown, the years to choose from, and
    what was wrong with the year asked for (beside the field)."""
    error = None
    if asked_badly:
        error = "Choose a financial year from the list"
    elif choice.refused is not None:
        error = f"The ledgers have no lines in {year_label(choice.refused)}: choose another year"
    if choice.year is None:
        label, months, reason = "no year", "", "The ledgers have no lines in any year."
    else:
        label, months = year_label(choice.year), _span(choice.year)
        reason = f"Showing {label}, {WHY[choice.why]}."
    return {
        "year": choice.year,
        "label": label,
        "months": months,
        "reason": reason,
        "options": [(y, year_label(y)) for y in reversed(years)],
        "error": error,
    }


def _span(year: int) -> str:
    first, last = month_start(year, 1), month_end(year, 12)
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def trend(years: Mapping[int, SpendView], names: Mapping[str, str], shown: int | None) -> Row:
    """Money mapped to services in each year by partner (names), and rows for the chart."""
    found = mapped_by_year(years)
    partners = sorted({p for parts in found.values() for p in parts})
    rows = [
        {
            "year": year_label(year),
            "value": year,
            "shown": year == shown,
            "amounts": [parts.get(p, ZERO) for p in partners],
            "total": sum(parts.values(), ZERO),
        }
        for year, parts in found.items()
    ]
    chart = [
        {"year": year_label(year), "partner": names.get(p, p), "amount": amount}
        for year, parts in found.items()
        for p, amount in parts.items()
    ]
    return {"partners": [names.get(p, p) for p in partners], "rows": rows, "chart": chart}


def per_head_table(found: PlaceAmounts | None, place: str, year: str) -> Row | None:
    """The place's spend per head in the year, in total and by service, each with what it
    divides by."""
    if found is None or not found.population:
        return None
    total, by_service = per_head_by_service(found.rows, found.population)
    names = {s.code: s.name for s in services().services}
    return {
        "population": found.population,
        "source": found.population_source,
        "when": found.population_when,
        "total": total,
        "per_head": per_head(total, found.population),
        "definition": definition(found, place, year),
        "services": [
            {"name": names.get(code, code), "amount": amount, "per_head": each}
            for code, amount, each in by_service
        ],
    }


def definition(found: PlaceAmounts, place: str, year: str) -> str:
    """What "per head" means here, in one sentence: the page's and the workbook's."""
    return (
        f"{place}'s part of the money mapped to services in {year}, divided by "
        f"{count(found.population)} {found.population_source}, counted "
        f"{found.population_when}. A ledger that covers more than {place} is shared by "
        "population first."
    )


def about_sheet(place: str, choice: Row, amounts: PlaceAmounts | None) -> list[Row]:
    """The workbook's first sheet: the period and the definitions its figures use."""
    rows = [
        {"item": "Place", "value": place},
        {"item": "Financial year", "value": choice["label"] or "none"},
        {"item": "Months", "value": choice["months"]},
        {"item": "Why this year", "value": choice["reason"]},
        {"item": "Amounts", "value": "Every sheet holds the financial year's lines only."},
    ]
    if amounts is not None and amounts.population:
        text = definition(amounts, place, choice["label"])
        rows.append({"item": "per_head (Spend for place)", "value": text})
    return rows


def ledger_preview(summary: LedgerSummary, changes: Sequence[YearChange]) -> Row:
    """A held ledger: what it holds, and the partner's figures year by year before and
    after it replaces the ledger in use."""
    return {
        "rows": summary.rows,
        "total": summary.total,
        "mapped": summary.mapped,
        "unmapped": summary.unmapped,
        "transfers": summary.transfers,
        "coverage": [
            {"year": year_label(year), "months": months_covered(months)}
            for year, months in summary.months.items()
        ],
        "changes": [_change(c) for c in changes],
    }


def _change(change: YearChange) -> Row:
    """One year's figures now and after, and each change in words."""
    before, after = _figures(change.before), _figures(change.after)
    said = {}
    for key in ("total", "mapped", "unmapped"):
        was, will = (before or {}).get(key, ZERO), (after or {}).get(key, ZERO)
        step = will - was
        said[key] = (
            "no change" if not step else f"{'up' if step > 0 else 'down'} {pounds(abs(step))}"
        )
    return {"year": year_label(change.year), "before": before, "after": after, "change": said}


def _figures(found: Reconciliation | None) -> dict[str, Decimal] | None:
    if found is None:
        return None
    return {"total": found.ledger_total, "mapped": found.mapped, "unmapped": found.unmapped}


def months_covered(months: Sequence[str]) -> str:
    """ "April 2024 to March 2025 (12 months)", naming any month missing in between."""
    days = [date.fromisoformat(f"{m}-01") for m in months]
    first, last = days[0], days[-1]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    said = f"{first:%B %Y}" if span == 1 else f"{first:%B %Y} to {last:%B %Y}"
    said += f" ({len(days)} month{'s' if len(days) != 1 else ''}"
    if span == len(days):
        return said + ")"
    have = set(months)
    missing = []
    for n in range(span):
        month = date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        if f"{month:%Y-%m}" not in have:
            missing.append(f"{month:%B %Y}")
    return f"{said}; none in {', '.join(missing)})"
