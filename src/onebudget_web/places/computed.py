"""A dataset's outcomes worked out by the engines, by financial year, as plain rows to store.

Every figure comes from ``onebudget.outcomes.compute`` or ``segments.segmentation``, so
disclosure control has been applied (``disclosure.apply``) before a row is made; a waiver
gives the unsuppressed figures, which are shown at once and never stored (ADR 0019). The
pieces fall into groups that are built together: the overview (every indicator by year, and
the segments of each year) and one group per indicator (its monthly chart and its GP
practices in each year). Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from onebudget.bcf.framework import framework as bcf_framework
from onebudget.bcf.framework import years as bcf_years
from onebudget.outcomes.calendar import Period, months
from onebudget.outcomes.charts import funnel_svg, trend_svg
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import Indicator, indicators
from onebudget.outcomes.disclosure import Waiver
from onebudget.outcomes.report import PlaceOutcomes
from onebudget.outcomes.segments import segmentation
from onebudget.outcomes.targets import data_years

OVERVIEW = "overview"
Row = dict[str, Any]


@dataclass(frozen=True)
class Piece:
    """One stored result: what it is (``kind``), of which indicator and year, its data."""

    kind: str
    indicator: str
    period: str
    data: dict[str, Any]


def indicator_group(indicator_id: str) -> str:
    return f"indicator:{indicator_id}"


def all_groups() -> list[str]:
    return [OVERVIEW, *(indicator_group(i) for i in indicators())]


def open_report(folder: Path) -> PlaceOutcomes:
    """The engine over a dataset's files: the one costly step, made only to build results
    (or for a waiver holder's view), then closed."""
    return PlaceOutcomes(folder)


def close(report: PlaceOutcomes) -> None:
    """Let the engine's memory go now, not when the worker ends."""
    report.engine.con.close()
    report.engine.answers.clear()


def label(year: int) -> str:
    return Period.financial_year(year).label


def pieces(report: PlaceOutcomes, groups: Iterable[str]) -> dict[str, list[Piece]]:
    """The pieces of each group, from the report's engine, published figures only."""
    built: dict[str, list[Piece]] = {}
    for group in groups:
        if group == OVERVIEW:
            built[group] = overview_pieces(report)
        else:
            built[group] = indicator_pieces(report, indicators()[group.split(":", 1)[1]])
    return built


def overview_pieces(report: PlaceOutcomes, waiver: Waiver | None = None) -> list[Piece]:
    years = data_years(report.first_year, report.last_year)
    found = [
        Piece(
            "summary", i.id, "", {"years": summary_rows(report, i, waiver)} | _quarters(report, i)
        )
        for i in indicators().values()
    ]
    found += [
        Piece("segments", "", label(y), {"rows": segment_rows(report, y, waiver)}) for y in years
    ]
    return found


@cache
def quarterly() -> frozenset[str]:
    """The indicators a Better Care Fund metric of any shipped year is computed by: their
    figures are kept by financial quarter too, for the plan's quarterly trajectory."""
    return frozenset(
        m.indicator
        for year in bcf_years()
        for m in bcf_framework(year).metrics.items or ()
        if m.indicator
    )


def _quarters(report: PlaceOutcomes, indicator: Indicator) -> dict[str, list[Row]]:
    """The published figures of each financial quarter wholly inside the data (so April to
    December of a year whose data end in December), for a BCF metric's indicator; nothing
    for any other."""
    if indicator.id not in quarterly():
        return {}
    first, end = date(report.first_year, 1, 1), date(report.last_year + 1, 1, 1)
    periods = [
        p
        for y in range(report.first_year - 1, report.last_year + 1)
        for p in (Period.financial_quarter(y, q) for q in (1, 2, 3, 4))
        if first <= p.start and p.end <= end
    ]
    table = compute(indicator, report.engine, periods, data_end=report.data_end)
    return {"quarters": [plain(r) for r in table.rows]}


def unsuppressed(
    report: PlaceOutcomes, year: int, waiver: Waiver
) -> tuple[dict[str, list[Row]], list[Row]]:
    """Every indicator by year, and the segments of ``year``, under a waiver."""
    found = {i.id: summary_rows(report, i, waiver) for i in indicators().values()}
    return found, segment_rows(report, year, waiver)


def summary_rows(
    report: PlaceOutcomes, indicator: Indicator, waiver: Waiver | None = None
) -> list[Row]:
    """The indicator in each financial year of the data (a year without its follow-up in
    the data is left out by ``compute``)."""
    periods = [Period.financial_year(y) for y in data_years(report.first_year, report.last_year)]
    table = compute(indicator, report.engine, periods, data_end=report.data_end, waiver=waiver)
    return [plain(r) for r in table.rows]


def segment_rows(report: PlaceOutcomes, year: int, waiver: Waiver | None = None) -> list[Row]:
    table = segmentation(report.engine.con, [Period.financial_year(year)], waiver)
    return [plain(r) for r in table.rows]


def indicator_pieces(report: PlaceOutcomes, indicator: Indicator) -> list[Piece]:
    """The monthly chart, and the GP practices in each year with their funnel plot."""
    spec = indicator.spec
    monthly = compute(
        indicator,
        report.engine,
        months(report.first_year, report.last_year),
        data_end=report.data_end,
    )
    points = [
        (r["period"], r["value"])
        for r in monthly.rows
        if r["value"] is not None or r["numerator"] is None  # None: suppressed
    ]
    chart = trend_svg(f"{spec.name}: by month", spec.unit, points)
    found = [Piece("trend", spec.id, "", {"svg": chart})]
    if "gp_practice_code" not in spec.breakdowns:
        return found
    places = {r["period"]: r for r in summary_rows(report, indicator)}
    for year in data_years(report.first_year, report.last_year):
        rows = practice_rows(report, indicator, year)
        place = places.get(label(year))
        funnel = _funnel(indicator, rows, label(year), place["value"] if place else None)
        found.append(Piece("practices", spec.id, label(year), {"rows": rows, "funnel": funnel}))
    return found


def practice_rows(report: PlaceOutcomes, indicator: Indicator, year: int) -> list[Row]:
    period = [Period.financial_year(year)]
    by = ["gp_practice_code"]
    table = compute(indicator, report.engine, period, by, data_end=report.data_end)
    return [plain(r) for r in table.rows]


def _funnel(
    indicator: Indicator, rows: list[Row], period: str, place_value: float | None
) -> str | None:
    """A funnel plot of the practices against the place, for proportions and crude rates."""
    spec = indicator.spec
    if place_value is None or spec.method not in ("proportion", "rate"):
        return None
    units = [
        {"unit": r["gp_practice_code"], "value": r["value"], "denominator": r["denominator"]}
        for r in rows
    ]
    title = f"{spec.name}: GP practices, {period}"
    return funnel_svg(title, spec.unit, units, place_value, spec.method, spec.multiplier)


def plain(row: Mapping[str, Any]) -> Row:
    """A row as JSON keeps it: an amount of money as its exact text (read back by
    ``money``), everything else (counts, values, labels, None) as it is."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}


MONEY = ("cost", "cost_per_head")


def money(row: Mapping[str, Any]) -> Row:
    """A stored row with its amounts of money exact again."""
    return {k: Decimal(v) if k in MONEY and v is not None else v for k, v in row.items()}
