"""An outcome-based contract's indicator results from a place's linked data: for the period
paid, each indicator the contract names, as the outcomes engine publishes it (its value and
95% interval, after disclosure control), so a statement pays on the published figure rather
than one typed again. Here, in the CLI, because the contract and outcomes engines never
import each other.

A result the file of figures gives as well is a problem (one source for each figure), as is
an indicator the engine withholds for the period (a count suppressed by disclosure control,
or no value at all): it is named, never paid on as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from onebudget.contracts.inputs import Inputs
from onebudget.contracts.model import Contract, OutcomeBased
from onebudget.contracts.periods import Period
from onebudget.io.problems import Problem
from onebudget.outcomes.calendar import Period as OutcomePeriod
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines import Engine

PLACES = Decimal("0.000001")  # a result's figure: six places, as an inputs file allows


def indicator_ids(contract: Contract) -> list[str]:
    """The outcomes engine's indicators the contract pays on (an outcome-based contract's)."""
    if not isinstance(contract.mechanism, OutcomeBased):
        return []
    return [i.indicator for i in contract.mechanism.indicators]


def outcome_period(period: Period) -> OutcomePeriod:
    """The outcomes engine's period for a contract's: a financial quarter, or a month."""
    if period.frequency == "quarterly":
        return OutcomePeriod.financial_quarter(period.year, period.number)
    return OutcomePeriod.month(period.start.year, period.start.month)


def with_results(
    contract: Contract,
    period: Period,
    inputs: Inputs,
    engine: Engine,
    span: tuple[date, date] | None,
) -> tuple[Inputs, list[Problem]]:
    """``inputs`` with each indicator's result, lower and upper from the data, or every
    problem (a result given twice, an indicator without a published value, a period the
    data do not wholly cover). ``span``: the data's first day and the day after its last."""
    found: dict[str, dict[str, Decimal]] = {"result": {}, "lower": {}, "upper": {}}
    when = outcome_period(period)
    problems = _uncovered(contract, period, span)
    if problems:
        return inputs, problems
    for code in indicator_ids(contract):
        path = f"data.{code}.{period.label}"
        if code in inputs.result:
            rule = "given in the file of figures and by the data: give it in one"
            problems.append(
                Problem(path=f"inputs.result.{code}", value=inputs.result[code], rule=rule)
            )
            continue
        ends = span[1] if span else None
        table = compute(indicators()[code], engine, [when], data_end=ends)
        row = _row(table.rows, when.label)
        value = _figure(row, "value")
        if value is None:
            problems.append(Problem(path=path, value=None, rule=_why_none(row)))
            continue
        found["result"][code] = value
        for end in ("lower", "upper"):
            if (bound := _figure(row, end)) is not None:
                found[end][code] = bound
    merged = {k: {**getattr(inputs, k), **v} for k, v in found.items()}
    return replace(inputs, **merged), problems


def _uncovered(contract: Contract, period: Period, span: tuple[date, date] | None) -> list[Problem]:
    """A period outside the data would be paid on counts of nothing: named instead."""
    if span is None or not indicator_ids(contract):
        return []
    first, after = span
    if first <= period.start and period.end < after:
        return []
    last = after - timedelta(days=1)
    rule = f"a period the data cover: they run from {first:%-d %B %Y} to {last:%-d %B %Y}"
    return [Problem(path="period", value=period.label, rule=rule)]


def _row(rows: Sequence[Mapping[str, Any]], label: str) -> Mapping[str, Any] | None:
    return next((r for r in rows if r.get("period") == label), None)


def _figure(row: Mapping[str, Any] | None, key: str) -> Decimal | None:
    value = None if row is None else row.get(key)
    if value is None:
        return None
    return Decimal(str(value)).quantize(PLACES, ROUND_HALF_UP)


def _why_none(row: Mapping[str, Any] | None) -> str:
    if row is None:
        return "the data do not cover the period (or not with its full follow-up)"
    if None in (row.get("numerator"), row.get("denominator")):
        return "withheld by disclosure control (a small count): the statement cannot pay on it"
    return "no value for the period (nothing to count)"
