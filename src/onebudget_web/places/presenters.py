"""Plain data for the outcomes pages: each indicator in a financial year with its target,
and an indicator's years against its trajectory of targets. Read from stored results only
(``places.outcomes``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget.outcomes.definitions import IndicatorFile, indicators
from onebudget.outcomes.report import Summary
from onebudget.outcomes.targets import YearAgainstTarget, trajectory
from onebudget.periods import year_label
from onebudget_web.places.models import IndicatorTarget, Place

Row = dict[str, Any]


def targets_of(place: Place, indicator: str | None = None) -> dict[tuple[str, int], Decimal]:
    """The place's targets by (indicator, year), in one query."""
    found = place.targets.all()
    if indicator is not None:
        found = found.filter(indicator=indicator)
    return {(t.indicator, t.year): t.value for t in found}


def year_choices(years: list[int], chosen: int | None) -> list[dict[str, Any]]:
    """Options for a select of financial years, latest first."""
    return [
        {"value": y, "label": year_label(y), "selected": y == chosen}
        for y in sorted(years, reverse=True)
    ]


def by_year(rows: list[Row]) -> dict[int, Row]:
    """An indicator's published rows by the year each financial year starts in."""
    return {int(str(r["period"])[:4]): r for r in rows}


def year_row(
    spec: IndicatorFile, rows: list[Row], year: int, targets: dict[tuple[str, int], Decimal]
) -> dict[str, Any]:
    """One indicator in ``year``: its figures (None if the year has none), how it moved
    since the year before, and its target for the year and how it stands against it."""
    years = by_year(rows)
    shown = years.get(year)
    before = years.get(year - 1)
    direction = "not judged"
    if shown is not None and before is not None:
        direction = Summary(indicators()[spec.id], (before, shown)).direction
    actual = {year: _values(shown)} if shown is not None else {}
    target = targets.get((spec.id, year))
    judged = trajectory([year], actual, {year: target} if target is not None else {}, spec.polarity)
    return {
        "spec": spec,
        "row": shown,
        "direction": direction,
        "target": target,
        "status": judged[0].status,
    }


def summary_rows(
    summaries: dict[str, list[Row]], year: int, targets: dict[tuple[str, int], Decimal]
) -> list[dict[str, Any]]:
    """Every indicator, in definition order, in ``year``."""
    return [year_row(i.spec, summaries.get(i.id, []), year, targets) for i in indicators().values()]


def trajectory_rows(
    spec: IndicatorFile, rows: list[Row], years: list[int], targets: dict[int, Decimal]
) -> list[dict[str, Any]]:
    """Each year of the data (and any year with a target) with its figures and target."""
    published = by_year(rows)
    actuals = {y: _values(r) for y, r in published.items()}
    found: list[YearAgainstTarget] = trajectory(years, actuals, targets, spec.polarity)
    return [
        {"year": t.year, "label": year_label(t.year), "row": published.get(t.year), "trajectory": t}
        for t in found
    ]


def _values(row: Row) -> tuple[float | None, float | None, float | None]:
    return row["value"], row["lower"], row["upper"]


def target_set(place: Place, indicator: str, year: int) -> IndicatorTarget | None:
    return place.targets.filter(indicator=indicator, year=year).first()
