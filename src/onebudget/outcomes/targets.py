"""Status of an indicator against its target, judged by its confidence interval.

An interval wholly on the good side of the target (by the indicator's polarity) has met it;
wholly on the bad side has not; an interval that contains the target cannot tell them apart.
This is how public-health profiles compare a value with a benchmark.

Targets are set per financial year, so the targets of successive years form a trajectory,
each year judged against its own; a target may be set for the year after the data end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Status = Literal["met", "not met", "not significantly different", "not judged"]

_WRITTEN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?", re.ASCII)
LARGEST_RATE = Decimal(10**9)  # a rate per 100,000 or per 1,000,000 stays well below


def parse_target(text: str, multiplier: float) -> tuple[Decimal | None, str]:
    """A target as a person types it (``92.5``, ``1,933``): a number of 0 or more with at
    most two decimal places, no more than 100 for a percentage (multiplier 100) or one
    billion otherwise. The value, or None and the rule it breaks."""
    written = text.strip()
    ceiling = Decimal(100) if multiplier == 100 else LARGEST_RATE
    rule = (
        "a percentage from 0 to 100, like 92.5"
        if multiplier == 100
        else "a number of 0 or more, like 1,933.5"
    )
    if not _WRITTEN.fullmatch(written):
        return None, rule
    value = Decimal(written.replace(",", ""))
    return (value, "") if value <= ceiling else (None, rule)


def status(
    value: float | None, lower: float | None, upper: float | None, target: float, polarity: str
) -> Status:
    if value is None or lower is None or upper is None or polarity == "no judgement":
        return "not judged"
    if lower <= target <= upper:
        return "not significantly different"
    above = lower > target
    return "met" if above == (polarity == "higher is better") else "not met"


def data_years(first_year: int, last_year: int) -> list[int]:
    """The financial years (by the year they start) wholly inside linked data that runs
    from 1 January ``first_year`` to 31 December ``last_year``: April to March, so a year
    cut short at either end is left out rather than shown as if it were whole."""
    return list(range(first_year, last_year))


def target_years(first_year: int, last_year: int) -> list[int]:
    """The years a target may be set for: each financial year of the data, and the one
    after the last (the year being planned for, which has no data yet)."""
    years = data_years(first_year, last_year)
    return [*years, years[-1] + 1] if years else []


Judged = Literal[Status, "no target", "no data yet"]


@dataclass(frozen=True)
class YearAgainstTarget:
    """One year of an indicator's trajectory: the published value (None when suppressed or
    not yet known), its interval, the target set for the year and how the value stands."""

    year: int
    value: float | None
    lower: float | None
    upper: float | None
    target: Decimal | None
    status: Judged


def trajectory(
    years: Sequence[int],
    actuals: Mapping[int, tuple[float | None, float | None, float | None]],
    targets: Mapping[int, Decimal],
    polarity: str,
) -> list[YearAgainstTarget]:
    """Each year's value beside its target, in order: the targets set year by year form
    the trajectory, and each year that has data is judged against its own target."""
    found = []
    for year in sorted(set(years) | set(targets)):
        value, lower, upper = actuals.get(year, (None, None, None))
        target = targets.get(year)
        judged: Judged
        if target is None:
            judged = "no target"
        elif year not in actuals:
            judged = "no data yet"
        else:
            judged = status(value, lower, upper, float(target), polarity)
        found.append(YearAgainstTarget(year, value, lower, upper, target, judged))
    return found
