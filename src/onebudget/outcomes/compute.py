"""Compute an indicator on an engine: counts, then disclosure control, then the statistics.

Values and confidence intervals of proportions, crude rates and means are computed from the
*published* figures (rounded counts, whole pounds), so no pair of them gives back a hidden
count. A directly standardised rate needs the age-specific counts, so its value is computed
from them (as the national method says) and suppressed with its numerator, but its interval
is built around the published count; a group with one age band is a crude rate. The
periods of a table form a series (``disclosure.StatTable.series``). Nothing leaves here
without ``disclosure.apply``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from onebudget.outcomes import disclosure, stats
from onebudget.outcomes.calendar import ESP_BANDS, Period
from onebudget.outcomes.definitions import Indicator
from onebudget.outcomes.engines import Engine, Key
from onebudget.outcomes.model import Measure, Population, Source, Total

VALUE_COLUMNS = ("value", "lower", "upper")


class BreakdownError(ValueError):
    """A breakdown the indicator's definition does not allow."""


def _merge(
    numerators: Mapping[Key, Any], denominators: Mapping[Key, Any], bands: bool
) -> dict[Key, dict[int, tuple[Any, Any]]]:
    """Group -> ESP band (or 0) -> (numerator, denominator), missing counts as 0."""
    merged: dict[Key, dict[int, tuple[Any, Any]]] = defaultdict(dict)
    for key in set(numerators) | set(denominators):
        group, band = (key[:-1], key[-1]) if bands else (key, 0)
        merged[group][band] = (numerators.get(key, 0), denominators.get(key, 0))
    return merged


def _dsr(
    by_band: Mapping[int, tuple[Any, Any]], multiplier: float, published: int
) -> stats.DsrResult | None:
    """The standardised rate, its interval around the ``published`` count; None with fewer
    than two age bands (one band's "standardised" rate is its crude rate, which with the
    Dobson variance would give back the exact count and population)."""
    weights = dict(zip(ESP_BANDS, stats.ESP2013, strict=True))
    present = [b for b in ESP_BANDS if by_band.get(b, (0, 0))[1] > 0]
    if len(present) < 2:
        return None
    return stats.dsr(
        [by_band[b][0] for b in present],
        [by_band[b][1] for b in present],
        [weights[b] for b in present],
        multiplier=multiplier,
        around=published,
    )


def _crude(
    method: str, numerator: Any, denominator: Any, multiplier: float
) -> tuple[float, float | None, float | None] | None:
    if numerator is None or not denominator:
        return None
    if method == "mean":  # whole pounds; a whole population's mean, so no interval
        return numerator / denominator * multiplier, None, None
    if method == "proportion":
        low, high = stats.wilson_ci(min(numerator, denominator), denominator)
    else:
        low, high = (
            stats.exact_poisson_ci(numerator)
            if numerator < stats.EXACT_BELOW
            else stats.byar_ci(numerator)
        )
        low, high = low / denominator, high / denominator
    return numerator / denominator * multiplier, low * multiplier, high * multiplier


def _sources(measure: Measure) -> list[Source]:
    if isinstance(measure, Total):
        return [p.source for p in measure.parts]
    return [] if isinstance(measure, Population) else [measure.source]


def follow_up_days(indicator: Indicator) -> int:
    """Days of data needed after a period ends to see every related row that may follow
    its rows (a readmission up to 30 days after a discharge, say)."""
    later = (
        r.days
        for m in (indicator.numerator, indicator.denominator)
        for s in _sources(m)
        for related in s.related
        for r in related.when
        if r.op in ("<", "<=", "=") and r.days > 0
    )
    return max(later, default=0)


def complete_periods(
    indicator: Indicator, periods: Sequence[Period], data_end: date | None
) -> list[Period]:
    """The periods whose follow-up lies wholly inside the data (``data_end``: the day after
    the last day of data). A readmission after the data ends cannot be seen, so a period
    without its full follow-up would understate the indicator."""
    days = follow_up_days(indicator)
    if data_end is None or not days:
        return list(periods)
    return [p for p in periods if p.end + timedelta(days=days) <= data_end]


def compute(
    indicator: Indicator,
    engine: Engine,
    periods: Sequence[Period],
    by: Sequence[str] = (),
    *,
    data_end: date | None = None,
    waiver: disclosure.Waiver | None = None,
) -> disclosure.StatTable:
    """The indicator for each period (and breakdown), disclosure-controlled.

    With ``data_end``, periods without their full follow-up are left out. With a
    ``waiver``, counts are not suppressed or rounded, and the notes say who may see them.
    """
    periods = complete_periods(indicator, periods, data_end)
    spec = indicator.spec
    wrong = [d for d in by if d not in spec.breakdowns]
    if wrong:
        raise BreakdownError(
            f"{spec.id} cannot be broken down by {wrong}; allowed: {spec.breakdowns}"
        )
    bands = spec.method == "dsr"
    money = spec.method == "mean"
    internal = [*by, "esp_band"] if bands else list(by)
    merged = _merge(
        engine.evaluate(indicator.numerator, periods, internal),
        engine.evaluate(indicator.denominator, periods, internal),
        bands,
    )
    dimensions = ("period", *by)
    rows = []
    for group in sorted(merged, key=lambda k: tuple(str(x) for x in k)):
        numerator = sum(n for n, _ in merged[group].values())
        denominator = sum(d for _, d in merged[group].values())
        rows.append(
            {
                **dict(zip(dimensions, group, strict=True)),
                "numerator": _whole_pounds(numerator) if money else int(numerator),
                "denominator": int(denominator),
            }
        )
    counts = ("denominator",) if money else ("numerator", "denominator")
    derived = {"numerator": disclosure.Derived("amount", on="denominator")} if money else {}
    table = disclosure.StatTable(
        dimensions, counts, derived, tuple(rows), series="period", partitions=tuple(by)
    )
    published = disclosure.waived(table, waiver) if waiver else disclosure.apply(table)
    return _with_values(published, indicator, merged)


def _whole_pounds(pence: int) -> int:
    """A total cost as published: whole pounds, half up (it is not a count to round to 5)."""
    return (int(pence) + 50) // 100


def _values(
    indicator: Indicator, row: Mapping[str, Any], by_band: Mapping[int, tuple[Any, Any]]
) -> tuple[float | None, float | None, float | None]:
    """Value and interval of one published row: a standardised rate from its age-specific
    counts (around the published count), everything else from the published figures."""
    spec = indicator.spec
    numerator = row["numerator"]
    if spec.method == "dsr" and numerator is not None:
        result = _dsr(by_band, spec.multiplier, numerator)
        if result is not None:
            return result.value, result.lower, result.upper
        return _crude("rate", numerator, row["denominator"], spec.multiplier) or (None,) * 3
    return _crude(spec.method, numerator, row["denominator"], spec.multiplier) or (None, None, None)


def _with_values(
    published: disclosure.StatTable,
    indicator: Indicator,
    merged: Mapping[Key, Mapping[int, tuple[Any, Any]]],
) -> disclosure.StatTable:
    spec = indicator.spec
    rows = []
    for row in published.rows:
        group = tuple(row[d] for d in published.dimensions)
        values = _values(indicator, row, merged[group])
        places = 2 if spec.method == "mean" else 1
        rounded = tuple(None if v is None else round(v, places) for v in values)
        rows.append({**row, **dict(zip(VALUE_COLUMNS, rounded, strict=True))})
    kind: disclosure.Kind = "rate" if spec.method == "dsr" else "interval"
    base = "denominator" if spec.method == "mean" else "numerator"
    derived = {
        **published.derived,
        **{c: disclosure.Derived(kind, on=base) for c in VALUE_COLUMNS},
    }
    notes = (*published.notes, f"{spec.name} ({spec.unit}). Source: {spec.source}.")
    return replace(published, derived=derived, rows=tuple(rows), notes=notes)
