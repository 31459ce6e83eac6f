"""An attacker holding the published segments table tries to recover what it hides.

Before issue 13, cost and cost per head were published exactly beside a rounded count, so
cost ÷ cost per head gave the exact count of every segment (1,405 shown, 1,404 derived),
and the Total row's exact cost less the published segments gave a suppressed segment's
cost. Here, for 1,000 generated places, the attacker tries both and recovers nothing: the
counts consistent with a row's cost and cost per head always include the published count,
and are never the exact count alone; a total's cost and people are the sums of the
published segments.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.outcomes.disclosure import TOTAL
from onebudget.outcomes.segments import SEGMENTS, segment_table

PENNY = Decimal("0.01")
people_counts = st.one_of(st.integers(1, 12), st.integers(8, 200), st.integers(200, 50_000))


@st.composite
def places(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """(period, segment, people, pence) rows, as the segmentation query gives them."""
    rows = []
    for period in draw(st.lists(st.sampled_from(["2023", "2024"]), min_size=1, unique=True)):
        for segment in draw(st.lists(st.sampled_from(list(SEGMENTS)), min_size=1, unique=True)):
            people = draw(people_counts)
            per_head_pence = draw(st.integers(0, 5_000_000))
            rows.append(
                (period, segment, people, people * per_head_pence + draw(st.integers(0, 99)))
            )
    return rows


def counts_consistent_with(cost: Decimal, per_head: Decimal, near: int) -> set[int]:
    """Every count n that an attacker finds consistent: cost / n rounds to the per head."""
    if per_head == 0:
        return set()
    guess = int(cost / per_head)
    return {
        n
        for n in range(max(1, guess - 3), guess + 4)
        if (cost / n).quantize(PENNY, rounding=ROUND_HALF_UP) == per_head
    } | ({near} if near and (cost / near).quantize(PENNY) == per_head else set())


@settings(max_examples=1_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=places())
def test_the_segments_table_gives_back_no_hidden_count_or_cost(rows: list[tuple[Any, ...]]) -> None:
    exact = {(str(p), SEGMENTS[s]): (n, Decimal(c) / 100) for p, s, n, c in rows}
    published = segment_table(rows).rows
    for row in published:
        key = (row["period"], row["segment"])
        if row["segment"] == TOTAL:
            cells = [r for r in published if r["period"] == row["period"] and r["segment"] != TOTAL]
            assert row["people"] == sum(r["people"] for r in cells if r["people"] is not None)
            assert row["cost"] == sum(r["cost"] for r in cells if r["cost"] is not None)
            continue
        people, _ = exact[key]
        if row["people"] is None:
            assert (row["cost"], row["cost_per_head"]) == (None, None)
            continue
        found = counts_consistent_with(row["cost"], row["cost_per_head"], row["people"])
        if row["cost_per_head"]:
            assert row["people"] in found
        assert found != {people} or people == row["people"], (key, people, row)
