"""Which counts of a table are published, and as what: the cell rules of disclosure control.

Three rules, each answering an attack (ADR 0018):

- **Primary**: a count of 1 to 7 is suppressed; others are rounded to the nearest 5.
- **Zeros along a series**: where a cell of a series (the months of a year, say) is
  suppressed, its zeros are suppressed too, or the months shown as 0 would say which month
  the suppressed events happened in.
- **Complementary**: cells of a breakdown (by sex, by practice) add up to the total that the
  same figure without the breakdown publishes. From that total and the other cells an
  attacker bounds a suppressed cell (interval arithmetic, which for one sum is exactly what
  linear programming gives). The total is taken as known exactly (other breakdowns of it
  narrow what its rounding hides), so bounds from any published total are no tighter.
  Where the bounds pin a suppressed cell to one value, the smallest published cell beside
  it is suppressed too (a 0 first), until none is pinned. A lone suppressed cell is known
  to be 1 to 7; once two are, either may hide any count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

SMALLEST_PUBLISHED = 8
ROUND_TO = 5
Box = tuple[float, float]


def round_count(value: int) -> int | None:
    """A published count: None (suppressed) for 1-7, else the nearest multiple of 5."""
    if value == 0:
        return 0
    if value < SMALLEST_PUBLISHED:
        return None
    return ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO)


def published_box(value: int | None, primary: bool, zeros_hidden: bool) -> Box:
    """What a reader may know of a cell from what is published: a rounded count is within 2
    of it; a cell suppressed as small is 1 to 7 (0 to 7 where zeros may be hidden), taken
    as known even beside others; a complement may be any count, 0 included."""
    if value is None:
        return (0 if zeros_hidden else 1, SMALLEST_PUBLISHED - 1) if primary else (0, math.inf)
    if value == 0:
        return (0, 0)
    return (max(SMALLEST_PUBLISHED, value - ROUND_TO // 2), value + ROUND_TO // 2)


def bounds(cells: Sequence[Box], total: Box) -> list[Box]:
    """Each cell's range, given every cell's box and that the cells add up to ``total``."""
    low = math.fsum(lo for lo, _ in cells)
    high = math.fsum(hi for _, hi in cells if math.isfinite(hi))
    unbounded = sum(not math.isfinite(hi) for _, hi in cells)
    result = []
    for lo, hi in cells:
        finite = math.isfinite(hi)
        others_high = high - hi if finite else high
        if unbounded - (0 if finite else 1):
            others_high = math.inf
        result.append((max(lo, total[0] - others_high), min(hi, total[1] - (low - lo))))
    return result


def _group_key(row: Mapping[str, Any], fixed: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row.get(d) for d in fixed)


def zeros_along(
    rows: Sequence[Mapping[str, Any]],
    cells: Sequence[int],
    name: str,
    along: str,
    fixed: Sequence[str],
) -> set[int]:
    """The cells of count ``name`` that are 0 in a series holding a suppressed cell."""
    keys = [d for d in fixed if d != along]
    broken = {_group_key(rows[i], keys) for i in cells if round_count(rows[i][name]) is None}
    return {i for i in cells if rows[i][name] == 0 and _group_key(rows[i], keys) in broken}


def complementary(
    rows: Sequence[Mapping[str, Any]],
    published: dict[int, int | None],
    partitions: Sequence[str],
    fixed: Sequence[str],
    name: str,
    zeros_hidden: bool,
) -> None:
    """Suppress, in ``published`` (row -> count), the cells needed so that no suppressed
    cell of a breakdown is pinned by the total the breakdown adds up to."""
    keys = [d for d in fixed if d not in partitions]
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i in published:
        groups[_group_key(rows[i], keys)].append(i)
    for members in groups.values():
        exact = sum(rows[i][name] for i in members)
        total = (exact, exact)  # as if known exactly: other breakdowns may narrow it
        small = {i for i in members if published[i] is None}
        while _pinned(members, published, small, total, zeros_hidden):
            shown = [i for i in members if published[i] is not None]
            if not shown:
                break
            published[min(shown, key=lambda i: (published[i], i))] = None


def _pinned(
    members: Sequence[int],
    published: Mapping[int, int | None],
    small: set[int],
    total: Box,
    zeros_hidden: bool,
) -> bool:
    boxes = [published_box(published[i], i in small, zeros_hidden) for i in members]
    return any(
        i in small and lo >= hi for i, (lo, hi) in zip(members, bounds(boxes, total), strict=True)
    )
