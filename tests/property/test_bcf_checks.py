"""Property: for any generated plan, the stream check's shortfall or excess is exactly the
allocation less the planned spend, to the penny; each month's capacity gap is exactly demand
less capacity, and only where capacity is below it; and a plan dumped to YAML loads back the
same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.bcf.capacity import capacity_gaps, months_missing
from onebudget.bcf.checks import balances, check_streams
from onebudget.bcf.framework import framework
from onebudget.bcf.plan import MONTHS, Plan, dump_plan, load_plan
from onebudget.io import yamlio

YEAR = framework("2025/26")
pounds = st.integers(0, 10**11).map(lambda p: Decimal(p) / 100)
streams = st.sampled_from(YEAR.stream_ids)


counts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@st.composite
def by_month(draw: st.DrawFn, values: st.SearchStrategy[Decimal] = counts) -> dict[str, Any]:
    """Some of the twelve months, in the year's order, each with a count."""
    given = draw(st.sets(st.sampled_from(MONTHS)))
    return {m: draw(values) for m in MONTHS if m in given}


@st.composite
def capacity_lines(draw: st.DrawFn, values: st.SearchStrategy[Decimal] = counts) -> list[Any]:
    """Lines of the capacity and demand plan, each category and service once."""
    line = st.fixed_dictionaries(
        {
            "category": st.sampled_from(["hospital_discharge", "community", "step_up_2"]),
            "label": st.text(min_size=1, max_size=12),
            "unit": st.sampled_from(["people", "packages", "beds"]),
            "demand": by_month(values),
            "capacity": by_month(values),
        }
    )
    return draw(st.lists(line, max_size=3, unique_by=lambda d: (d["category"], d["label"])))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    allocations = draw(st.dictionaries(streams, pounds, max_size=5))
    count = draw(st.integers(0, 8))
    schemes = [
        {
            "id": f"S{i}",
            "name": draw(
                st.text(
                    st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=20
                )
            ),
            "scheme_type": "Home care",
            "commissioner": draw(st.sampled_from(["council", "icb"])),
            "provider": "A provider",
            "source": draw(streams),
            "spend": draw(pounds),
            "new": draw(st.booleans()),
            "adult_social_care": draw(st.booleans()),
        }
        for i in range(count)
    ]
    data: dict[str, Any] = {
        "hwb": {"code": "E06099001", "name": "Fernmouth"},
        "year": "2025/26",
        "partners": {
            "council": {"code": "E06099001", "name": "Fernmouth Council"},
            "icb": {"code": "QZZ", "name": "NHS Fernmouth ICB"},
        },
        "allocations": allocations,
        "schemes": schemes,
        "metrics": {"discharge_delays": {"Q1": draw(pounds)}},
        "narrative": {"Overview": draw(st.text(max_size=40))},
        "capacity_demand": draw(capacity_lines()),
    }
    return Plan.model_validate(data)


@settings(max_examples=200, deadline=None)
@given(plans())
def test_each_streams_shortfall_is_its_allocation_less_planned_spend(plan: Plan) -> None:
    problems = {p.path: p for p in check_streams(plan, YEAR)}
    for b in balances(plan, YEAR):
        allocation = plan.allocations.get(b.stream, Decimal(0))
        planned = sum((s.spend for s in plan.schemes if s.source == b.stream), Decimal(0))
        expected = allocation - planned
        problem = problems.get(f"allocations.{b.stream}")
        if expected == 0:
            assert problem is None
        else:
            assert problem is not None
            assert problem.shortfall == expected  # type: ignore[attr-defined]
            assert problem.rule.startswith(f"£{abs(expected):,.2f} ")


@settings(max_examples=100, deadline=None)
@given(plans())
def test_each_capacity_gap_is_demand_less_capacity_and_every_month_is_accounted(
    plan: Plan,
) -> None:
    gaps = {(g.line, g.month): g for g in capacity_gaps(plan)}
    missing = {path for path, *_ in months_missing(plan)}
    for i, line in enumerate(plan.capacity_demand):
        for m in MONTHS:
            demand, capacity = line.demand.get(m), line.capacity.get(m)
            assert (f"capacity_demand.{i}.demand.{m}" in missing) == (demand is None)
            assert (f"capacity_demand.{i}.capacity.{m}" in missing) == (capacity is None)
            gap = gaps.get((i, m))
            if demand is None or capacity is None or capacity >= demand:
                assert gap is None
            else:
                assert gap is not None
                assert gap.shortfall == demand - capacity > 0


@settings(max_examples=200, deadline=None)
@given(plans())
def test_a_plan_dumped_to_yaml_loads_back_the_same(plan: Plan) -> None:
    text = dump_plan(plan)
    assert load_plan(text) == plan
    assert yamlio.load(dump_plan(load_plan(text))) == yamlio.load(text)
