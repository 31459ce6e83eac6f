"""Status of an indicator against its target, judged by its confidence interval.

An interval wholly on the good side of the target (by the indicator's polarity) has met it;
wholly on the bad side has not; an interval that contains the target cannot tell them apart.
This is how public-health profiles compare a value with a benchmark.
"""

from __future__ import annotations

import re
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
