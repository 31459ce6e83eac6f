"""Property: a generated plan that keeps its year's rules becomes an agreement the funds
engine loads, whose contributions per partner are the plan's stream allocations by
contributor, to the penny; one whose streams are not planned to the penny is refused; and a
later version's variations take the agreement to that version's amounts exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onebudget.bcf.checks import balances
from onebudget.bcf.fund_variation import varied, vary
from onebudget.bcf.plan import MONTHS, Plan
from onebudget.bcf.to_fund import build_agreement
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.money import ZERO
from tests.property.test_bcf_checks import YEAR, plans

PARTNERS = {"council": "E06099001", "icb": "QZZ"}


def keeping_the_rules(plan: Plan, *, planned: bool = True) -> Plan:
    """The plan with every condition confirmed, every metric quarter given, a capacity and
    demand line for every month, last year's adult social care at nothing and
    (``planned``) each stream allocated what it funds."""
    data: dict[str, Any] = plan.model_dump(mode="python")
    if planned:
        data["allocations"] = {b.stream: b.planned for b in balances(plan, YEAR)}
    data["asc_last_year"] = ZERO
    data["conditions"] = {c.id: {"confirmed": True} for c in YEAR.national_conditions.items or ()}
    data["metrics"] = {
        m.id: dict.fromkeys(("Q1", "Q2", "Q3", "Q4"), Decimal(1)) for m in YEAR.metrics.items or ()
    }
    every_month = dict.fromkeys(MONTHS, Decimal(1))
    data["capacity_demand"] = [
        {"category": "community", "label": "Reablement", "unit": "people",
         "demand": every_month, "capacity": every_month}
    ]  # fmt: skip
    return Plan.model_validate(data)


def by_contributor(plan: Plan) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for stream in YEAR.streams:
        code = PARTNERS[stream.contributor]
        total[code] = total.get(code, ZERO) + plan.allocations.get(stream.id, ZERO)
    return {code: amount for code, amount in total.items() if amount}


def build(plan: Plan) -> Any:
    return build_agreement(plan, YEAR, host=PARTNERS["council"], pool_manager="Pool manager")


@settings(max_examples=150, deadline=None)
@given(plans())
def test_a_plan_keeping_its_rules_builds_an_agreement_holding_every_allocation(raw: Plan) -> None:
    plan = keeping_the_rules(raw)
    built = build(plan)
    if not any(s.spend > 0 for s in plan.schemes):
        assert built.agreement is None
        assert [p.path for p in built.problems] == ["schemes"]
        return
    assert built.problems == ()
    agreement = load_agreement(built.yaml())
    assert agreement.fund_contributions() == by_contributor(plan)
    assert len(agreement.schemes) == sum(1 for s in plan.schemes if s.spend > 0)


@settings(max_examples=150, deadline=None)
@given(plans())
def test_a_plan_is_refused_exactly_when_a_stream_is_not_planned_to_the_penny(raw: Plan) -> None:
    plan = keeping_the_rules(raw, planned=False)
    built = build(plan)
    unplanned = {f"allocations.{b.stream}" for b in balances(plan, YEAR) if b.unplanned}
    assert {p.path for p in built.problems} - {"schemes"} == unplanned
    assert (built.agreement is None) == bool(built.problems)


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_a_later_versions_variations_reach_its_amounts_exactly(raw: Plan, data: Any) -> None:
    first = keeping_the_rules(raw)
    built = build(first)
    if built.agreement is None:
        return
    schemes = [
        s.model_copy(
            update={
                "spend": data.draw(st.integers(1, 10**9).map(lambda p: Decimal(p) / 100)),
                "source": data.draw(st.sampled_from(YEAR.stream_ids)),
            }
        )
        for s in first.schemes
        if s.spend > 0
    ]
    second = keeping_the_rules(first.model_copy(update={"schemes": tuple(schemes)}))
    # a year's notice, so that a withdrawal of one partner from a scheme is allowed too
    result = vary(
        built.agreement,
        second,
        YEAR,
        effective=date(2025, 10, 1),
        agreed_by=["Both partners"],
        agreed_on=date(2024, 10, 1),
    )
    assert result.problems == ()
    agreement = load_agreement(yamlio.dump(varied(built.agreement, result)))
    for s in second.schemes:
        payer = PARTNERS[next(x.contributor for x in YEAR.streams if x.id == s.source)]
        wanted = {payer: s.spend}
        now = {p: v for p, v in agreement.contributions(f"BCF-{s.id}").items() if v}
        assert now == wanted
    assert agreement.fund_contributions() == {
        **dict.fromkeys(agreement.fund_contributions(), ZERO),
        **by_contributor(second),
    }
