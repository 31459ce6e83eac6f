"""Disclosure control over 3,000 generated tables: no published output breaks a rule."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.outcomes.disclosure import TOTAL, Derived, StatTable, apply

small_heavy_counts = st.one_of(st.integers(0, 10), st.integers(0, 60), st.integers(0, 10**6))
DERIVED = {
    "pct": Derived("percentage", on="numerator", over="denominator", multiplier=100),
    "crude": Derived("crude_rate", on="numerator", over="denominator", multiplier=1000, decimals=2),
    "dsr": Derived("rate", on="numerator", multiplier=100_000),
    "mean_cost": Derived("mean", on="denominator"),
}


@st.composite
def tables(draw: st.DrawFn) -> StatTable:
    areas = draw(st.lists(st.sampled_from("ABCDEFGH"), min_size=1, max_size=6, unique=True))
    bands = draw(
        st.lists(st.sampled_from(["0-17", "18-64", "65+"]), min_size=1, max_size=3, unique=True)
    )
    rows: list[dict[str, Any]] = []
    for area in areas:
        for band in bands:
            numerator = draw(small_heavy_counts)
            denominator = numerator + draw(small_heavy_counts)
            rows.append(
                {
                    "area": area,
                    "band": band,
                    "numerator": numerator,
                    "denominator": denominator,
                    "pct": 0.0,
                    "crude": 0.0,
                    "dsr": draw(st.floats(0, 5000)),
                    "mean_cost": 1.0,
                }
            )
    totals = [{"area": a, "band": TOTAL} for a in areas] + [{"area": TOTAL, "band": TOTAL}]
    for total in totals:
        rows.append(
            {
                **total,
                "numerator": 0,
                "denominator": 0,
                "pct": 0.0,
                "crude": 0.0,
                "dsr": 1.0,
                "mean_cost": 1.0,
            }
        )
    return StatTable(("area", "band"), ("numerator", "denominator"), DERIVED, tuple(rows))


def _cells_of(total: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        r
        for r in rows
        if TOTAL not in (r["area"], r["band"])
        and all(total[d] in (TOTAL, r[d]) for d in ("area", "band"))
    ]


@settings(max_examples=3_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_published_table_breaks_a_rule(table: StatTable) -> None:
    published = [dict(r) for r in apply(table).rows]
    for original, row in zip(table.rows, published, strict=True):
        is_total = TOTAL in (row["area"], row["band"])
        for name in table.counts:
            value = row[name]
            if value is None:
                assert not is_total
                assert 1 <= original[name] <= 7
                continue
            assert value == 0 or (value >= 10 and value % 5 == 0), (name, value)
            if not is_total:
                assert abs(value - original[name]) <= 2
                assert (value == 0) == (original[name] == 0)
        for name, spec in DERIVED.items():
            bases = [row[spec.on]] + ([row[spec.over]] if spec.over else [])
            if any(b is None for b in bases):
                assert row[name] is None, name
            elif spec.kind in ("percentage", "crude_rate") and row["denominator"]:
                expected = round(
                    row["numerator"] / row["denominator"] * spec.multiplier, spec.decimals
                )
                assert row[name] == expected
        if is_total:
            for name in table.counts:
                parts = [c[name] for c in _cells_of(row, published)]
                assert row[name] == sum(p for p in parts if p is not None)
