"""Statistical process control: the XmR chart as NHS England's "Making Data Count" uses it.

An XmR (individuals and moving range) chart separates common-cause variation from special
causes worth a look. The process limits are the mean ± 2.66 times the mean moving range
(2.66 = 3 / d₂ with d₂ = 1.128 for ranges of two), and four rules flag special causes.
Points exactly on the mean count as neither above nor below it, so they break a run.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

LIMIT_FACTOR = 2.66
SHIFT_RUN = 7  # consecutive points on one side of the mean
TREND_RUN = 6  # consecutive points each strictly above (or below) the one before

OUTSIDE_LIMITS = "outside limits"
SHIFT = "shift"
TREND = "trend"
NEAR_LIMIT = "two of three near a limit"


@dataclass(frozen=True)
class XmrResult:
    """An XmR chart: centre line, process limits and, per point, the special-cause rules met."""

    values: tuple[float, ...]
    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    signals: tuple[frozenset[str], ...]


def xmr(values: Sequence[float], *, baseline: int | None = None) -> XmrResult:
    """Build an XmR chart; ``baseline`` fixes the mean and limits on the first k points.

    The mean is computed exactly (``statistics.mean``) so a constant series sits exactly on
    its own mean rather than a rounding error to one side of it.
    """
    points = tuple(float(v) for v in values)
    if len(points) < 2:
        raise ValueError(f"an XmR chart needs at least 2 values, got {len(points)}")
    if not all(math.isfinite(v) for v in points):
        raise ValueError("XmR values must all be finite numbers")
    k = len(points) if baseline is None else baseline
    if not 2 <= k <= len(points):
        raise ValueError(f"baseline must be between 2 and {len(points)} points, got {k}")
    base = points[:k]
    centre = statistics.mean(base)
    mr_bar = statistics.mean(abs(b - a) for a, b in itertools.pairwise(base))
    half_width = LIMIT_FACTOR * mr_bar
    chart = XmrResult(points, centre, mr_bar, centre + half_width, centre - half_width, ())
    return dataclasses.replace(chart, signals=_signals(chart))


def _signals(chart: XmrResult) -> tuple[frozenset[str], ...]:
    flags: list[set[str]] = [set() for _ in chart.values]
    for i, v in enumerate(chart.values):
        if v > chart.upper_limit or v < chart.lower_limit:
            flags[i].add(OUTSIDE_LIMITS)
    sides = [_sign(v - chart.mean) for v in chart.values]
    for start, end in _runs(sides, SHIFT_RUN):
        for i in range(start, end):
            flags[i].add(SHIFT)
    steps = [_sign(b - a) for a, b in itertools.pairwise(chart.values)]
    for start, end in _runs(steps, TREND_RUN - 1):  # n points make n - 1 steps
        for i in range(start, end + 1):
            flags[i].add(TREND)
    for i in _two_of_three_near_limit(chart):
        flags[i].add(NEAR_LIMIT)
    return tuple(frozenset(f) for f in flags)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _runs(keys: Sequence[int], min_length: int) -> Iterator[tuple[int, int]]:
    """Yield (start, stop) of each maximal run of one non-zero key at least min_length long."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] != 0 and i - start >= min_length:
                yield start, i
            start = i


def _two_of_three_near_limit(chart: XmrResult) -> set[int]:
    """Points in the outer third (or beyond) where 2 of 3 consecutive points are on one side."""
    upper_zone = chart.mean + (chart.upper_limit - chart.mean) * 2 / 3
    lower_zone = chart.mean - (chart.mean - chart.lower_limit) * 2 / 3
    zones = [(v > upper_zone) - (v < lower_zone) for v in chart.values]
    flagged: set[int] = set()
    for start in range(len(zones) - 2):
        for side in (1, -1):
            near = [i for i in range(start, start + 3) if zones[i] == side]
            if len(near) >= 2:
                flagged.update(near)
    return flagged
