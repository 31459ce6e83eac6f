"""Compute an indicator on an engine: counts, then disclosure control, then the statistics.

Values and confidence intervals of proportions and crude rates are computed from the
*published* (rounded) counts, so what a reader sees is consistent; a directly standardised
rate needs the age-specific counts, so it is computed from them and suppressed with its
numerator. Nothing leaves here without ``disclosure.apply``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from onebudget.outcomes import disclosure, stats
from onebudget.outcomes.definitions import Indicator
from onebudget.outcomes.engines import Engine, Key
from onebudget.outcomes.model import ESP_BANDS, FollowedBy, Period

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


def _dsr(by_band: Mapping[int, tuple[Any, Any]], multiplier: float) -> stats.DsrResult | None:
    weights = dict(zip(ESP_BANDS, stats.ESP2013, strict=True))
    present = [b for b in ESP_BANDS if by_band.get(b, (0, 0))[1] > 0]
    if not present:
        return None
    return stats.dsr(
        [by_band[b][0] for b in present],
        [by_band[b][1] for b in present],
        [weights[b] for b in present],
        multiplier=multiplier,
    )


def _crude(
    method: str, numerator: Any, denominator: Any, multiplier: float
) -> tuple[float, float, float] | None:
    if numerator is None or not denominator:
        return None
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


def follow_up_days(indicator: Indicator) -> int:
    """Days of data needed after a period ends to see every outcome of its index events."""
    return max(
        (m.days for m in (indicator.numerator, indicator.denominator) if isinstance(m, FollowedBy)),
        default=0,
    )


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
                "numerator": int(numerator),
                "denominator": int(denominator),
            }
        )
    table = disclosure.StatTable(dimensions, ("numerator", "denominator"), rows=tuple(rows))
    published = disclosure.waived(table, waiver) if waiver else disclosure.apply(table)
    return _with_values(published, indicator, merged)


def _with_values(
    published: disclosure.StatTable,
    indicator: Indicator,
    merged: Mapping[Key, Mapping[int, tuple[Any, Any]]],
) -> disclosure.StatTable:
    spec = indicator.spec
    rows = []
    for row in published.rows:
        group = tuple(row[d] for d in published.dimensions)
        if spec.method == "dsr":
            result = _dsr(merged[group], spec.multiplier) if row["numerator"] is not None else None
            values = None if result is None else (result.value, result.lower, result.upper)
        else:
            values = _crude(spec.method, row["numerator"], row["denominator"], spec.multiplier)
        rounded = (None, None, None) if values is None else tuple(round(v, 1) for v in values)
        rows.append({**row, **dict(zip(VALUE_COLUMNS, rounded, strict=True))})
    kind: disclosure.Kind = "rate" if spec.method == "dsr" else "interval"
    derived = {c: disclosure.Derived(kind, on="numerator") for c in VALUE_COLUMNS}
    notes = (*published.notes, f"{spec.name} ({spec.unit}). Source: {spec.source}.")
    return replace(published, derived=derived, rows=tuple(rows), notes=notes)
