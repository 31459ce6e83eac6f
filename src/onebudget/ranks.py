"""The nearest-rank percentile, the one rule every engine's percentiles follow: the
⌈p/100 × n⌉-th smallest value (the least for p = 0), so each percentile reported is one real
run's figure, never an interpolation between two."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def nearest_rank(ordered: Sequence[T], p: int) -> T:
    """The ``p``th percentile of ``ordered`` (sorted, not empty), in whole-number arithmetic."""
    if not ordered:
        raise ValueError("a percentile of nothing")
    return ordered[max(1, -(-p * len(ordered) // 100)) - 1]
