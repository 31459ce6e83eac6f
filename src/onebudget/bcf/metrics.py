"""A Better Care Fund plan's metrics against what happened, quarter by quarter.

For each metric of the year and each quarter (Q1 April to June ... Q4 January to March): the
planned value, the actual, its interval, whether it was suppressed, where it came from and
whether it is on track. A metric linked to an indicator (``framework.Metric.indicator``) is
"from data": its actual is the indicator's published value for the quarter, as the outcomes
engine computed it from the place's linked data, disclosure control and all. A metric with
no indicator, or a quarter the data do not give, takes the value the caller ``entered``,
marked "entered", so a figure typed in is never shown as computed.

The outcomes engine is a sibling package, so this module does not run it (ADR 0003's
layers): the caller computes each linked indicator over ``quarters(year)`` (the periods
``outcomes.calendar.Period.financial_quarter`` builds, labelled the same) and passes the
published rows. Nothing here raises on bad input: problems come back as data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, Literal

from onebudget.bcf.framework import Framework, Metric
from onebudget.bcf.plan import QUARTERS, Plan, Quarter
from onebudget.io import yamlio
from onebudget.io.problems import Problem

Source = Literal["from data", "entered"]
Polarity = Literal["higher is better", "lower is better", "no judgement"]
Rows = Sequence[Mapping[str, Any]]  # an indicator's published rows, as outcomes.compute gives
YEAR = re.compile(r"^(\d{4})/(\d{2})$")
ORDER: tuple[Quarter, ...] = ("Q1", "Q2", "Q3", "Q4")  # plan.QUARTERS, typed


@dataclass(frozen=True)
class BcfQuarter:
    """A quarter of a BCF year: ``label`` is the period label the indicator is computed
    under (``2025/26 Q1``); ``end`` is the day after its last day."""

    quarter: Quarter
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class QuarterActual:
    quarter: Quarter
    planned: Decimal | None
    actual: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    suppressed: bool
    source: Source
    on_track: bool | None


@dataclass(frozen=True)
class MetricActuals:
    metric: str
    name: str
    unit: str
    indicator: str | None
    quarters: tuple[QuarterActual, ...]


@dataclass(frozen=True)
class MetricsReport:
    year: str
    metrics: tuple[MetricActuals, ...]
    problems: tuple[Problem, ...]


def quarters(year: str) -> tuple[BcfQuarter, ...]:
    """The four quarters of a BCF year (``2025/26``): April-June to January-March."""
    first = int(year[:4])
    starts = [date(first, 4, 1), date(first, 7, 1), date(first, 10, 1), date(first + 1, 1, 1)]
    ends = [*starts[1:], date(first + 1, 4, 1)]
    return tuple(
        BcfQuarter(q, f"{year} {q}", s, e) for q, s, e in zip(ORDER, starts, ends, strict=True)
    )


@cache
def polarity(indicator: str) -> Polarity | None:
    """The polarity of a shipped indicator definition, read from its file (the framework
    validated that the file exists); None if it cannot be read."""
    path = resources.files("onebudget") / "definitions" / "indicators" / f"{indicator}.yaml"
    try:
        found = yamlio.load(path.read_text(encoding="utf-8"), source=path.name, aliases=True)
    except (OSError, ValueError):
        return None
    value = found.get("polarity") if isinstance(found, dict) else None
    return value if value in ("higher is better", "lower is better", "no judgement") else None


def _decimal(value: Any) -> Decimal | None:
    """A figure as an exact Decimal of its digits as published (a float rounded to its
    places reads back as those digits); None if there is none, or it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        found = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def on_track(actual: Decimal | None, planned: Decimal | None, way: Polarity | None) -> bool | None:
    """Whether the actual is at least as good as planned, by the indicator's polarity; None
    without an actual, a plan or a direction."""
    if actual is None or planned is None or way not in ("lower is better", "higher is better"):
        return None
    return actual <= planned if way == "lower is better" else actual >= planned


def _row(
    rows: Rows | None, label: str, path: str, problems: list[Problem]
) -> Mapping[str, Any] | None:
    """The place's one published row for the quarter, if the data give one."""
    found = [r for r in rows or () if r.get("period") == label]
    if len(found) > 1:
        rule = "the indicator's rows are broken down: give the place's totals, one per quarter"
        problems.append(Problem(path=path, value=label, rule=rule))
        return None
    return found[0] if found else None


def _from_data(
    q: BcfQuarter, row: Mapping[str, Any], planned: Decimal | None, way: Polarity | None
) -> QuarterActual:
    """The indicator's published figure for the quarter. Suppressed: disclosure control
    withheld a count (a quarter with no discharges has no value, but is not suppressed)."""
    actual = _decimal(row.get("value"))
    suppressed = actual is None and None in (row.get("numerator"), row.get("denominator"))
    low, high = _decimal(row.get("lower")), _decimal(row.get("upper"))
    verdict = on_track(actual, planned, way)
    return QuarterActual(q.quarter, planned, actual, low, high, suppressed, "from data", verdict)


def _quarter(
    metric: Metric,
    q: BcfQuarter,
    plan: Plan,
    rows: Rows | None,
    entered: Mapping[str, Any],
    problems: list[Problem],
) -> QuarterActual:
    """From data where the indicator gives the quarter, otherwise as entered."""
    path = f"metrics.{metric.id}.{q.quarter}"
    planned = plan.metrics.get(metric.id, {}).get(q.quarter)
    way = polarity(metric.indicator) if metric.indicator else None
    row = _row(rows, q.label, path, problems) if metric.indicator else None
    if row is not None:
        return _from_data(q, row, planned, way)
    given = entered.get(q.quarter)
    actual = _decimal(given)
    if actual is None and given is not None:
        where = f"entered.{metric.id}.{q.quarter}"
        problems.append(Problem(path=where, value=given, rule="not a number"))
    elif actual is None:
        why = f"no linked data for {metric.indicator}" if metric.indicator else "no indicator"
        problems.append(Problem(path=path, value=None, rule=f"{why} and no actual entered"))
    verdict = on_track(actual, planned, way)
    return QuarterActual(q.quarter, planned, actual, None, None, False, "entered", verdict)


def _unknown_entries(entered: Mapping[str, Mapping[str, Any]], ids: set[str]) -> list[Problem]:
    """Entered actuals for metrics or quarters the year does not have."""
    found = [
        Problem(path=f"entered.{k}", value=k, rule=f"not a metric of the year: {sorted(ids)}")
        for k in entered
        if k not in ids
    ]
    found += [
        Problem(path=f"entered.{k}.{q}", value=q, rule=f"a quarter is one of {list(QUARTERS)}")
        for k, by in entered.items()
        if k in ids
        for q in by
        if q not in QUARTERS
    ]
    return found


def metric_actuals(
    plan: Plan,
    framework: Framework,
    results: Mapping[str, Rows],
    entered: Mapping[str, Mapping[str, Any]] | None = None,
) -> MetricsReport:
    """Planned against actual for every metric of the plan's year and every quarter.
    ``results``: each linked indicator's published rows (by indicator id) for the place,
    computed over ``quarters(plan.year)``; ``entered``: actuals typed in, by metric id and
    quarter, used where the data give none."""
    entered = entered or {}
    problems: list[Problem] = []
    if plan.year != framework.year or not YEAR.match(plan.year):
        rule = f"the plan is for {plan.year}, the framework for {framework.year}"
        return MetricsReport(plan.year, (), (Problem(path="year", value=plan.year, rule=rule),))
    if framework.metrics.items is None:
        rule = f"{framework.year}: the metric set is not in the definitions"
        return MetricsReport(plan.year, (), (Problem(path="metrics", value=None, rule=rule),))
    found = []
    for metric in framework.metrics.items:
        rows = results.get(metric.indicator) if metric.indicator else None
        by = entered.get(metric.id, {})
        actuals = tuple(_quarter(metric, q, plan, rows, by, problems) for q in quarters(plan.year))
        found.append(MetricActuals(metric.id, metric.name, metric.unit, metric.indicator, actuals))
    problems += _unknown_entries(entered, {m.id for m in framework.metrics.items})
    return MetricsReport(plan.year, tuple(found), tuple(problems))
