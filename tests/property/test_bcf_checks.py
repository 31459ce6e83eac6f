"""Property: for any generated plan, the stream check's shortfall or excess is exactly the
allocation less the planned spend, to the penny; and a plan dumped to YAML loads back the
same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.bcf.checks import balances, check_streams
from onebudget.bcf.framework import framework
from onebudget.bcf.plan import Plan, dump_plan, load_plan
from onebudget.io import yamlio

YEAR = framework("2025/26")
pounds = st.integers(0, 10**11).map(lambda p: Decimal(p) / 100)
streams = st.sampled_from(YEAR.stream_ids)


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


@settings(max_examples=200, deadline=None)
@given(plans())
def test_a_plan_dumped_to_yaml_loads_back_the_same(plan: Plan) -> None:
    text = dump_plan(plan)
    assert load_plan(text) == plan
    assert yamlio.load(dump_plan(load_plan(text))) == yamlio.load(text)
