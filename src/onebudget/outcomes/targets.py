"""Status of an indicator against its target, judged by its confidence interval.

An interval wholly on the good side of the target (by the indicator's polarity) has met it;
wholly on the bad side has not; an interval that contains the target cannot tell them apart.
This is how public-health profiles compare a value with a benchmark.
"""

from __future__ import annotations

from typing import Literal

Status = Literal["met", "not met", "not significantly different", "not judged"]


def status(
    value: float | None, lower: float | None, upper: float | None, target: float, polarity: str
) -> Status:
    if value is None or lower is None or upper is None or polarity == "no judgement":
        return "not judged"
    if lower <= target <= upper:
        return "not significantly different"
    above = lower > target
    return "met" if above == (polarity == "higher is better") else "not met"
