"""Spec: the worked Westvale plan becomes a Section 75 agreement that the funds engine loads,
holds every pound of the plan with the partner that pays it, and settles to the penny.

The plan (westvale-2025-26.yaml) pays the ICB's NHS minimum contribution of £10,000,000.00
into S01 (£4,156,000.00), S02 (£3,200,000.00) and the jointly commissioned S03
(£2,644,000.00), and the council's £6,750,000.00 into S04 (the grant, £5,000,000.00), S05
(the DFG, £1,500,000.00) and S06 (its additional £250,000.00). Actuals are posted as twelve
monthly rows per scheme through the funds engine's actuals reader, then settled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from onebudget.bcf import framework as fw
from onebudget.bcf.plan import Plan, read_plan
from onebudget.bcf.to_fund import Built, build_agreement, by_partner, scheme_code
from onebudget.funds.actuals import parse_actuals
from onebudget.funds.agreement import Agreement, AgreementError
from onebudget.funds.monitoring import year_end_outturn
from onebudget.funds.settlement import Settlement, settle
from onebudget.funds.validation import load_agreement
from onebudget.io.tables import RawTable
from onebudget.money import allocate
from tests.spec.bcf.test_plan_checks import COMPLETE, WORKED, scheme, variant

COUNCIL, ICB = "E10099001", "QZZ"
MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
PLANNED = {
    "BCF-S01": Decimal("4156000.00"),
    "BCF-S02": Decimal("3200000.00"),
    "BCF-S03": Decimal("2644000.00"),
    "BCF-S04": Decimal("5000000.00"),
    "BCF-S05": Decimal("1500000.00"),
    "BCF-S06": Decimal("250000.00"),
}


def build(plan: Plan | None = None, **clauses: Any) -> Built:
    found = plan or read_plan(WORKED)[0]
    return build_agreement(
        found, COMPLETE, host=COUNCIL, pool_manager="Head of Integrated Care", **clauses
    )


def fund(**clauses: Any) -> Agreement:
    built = build(**clauses)
    assert built.problems == ()
    return load_agreement(built.yaml(), source="westvale-fund.yaml")


def settled(agreement: Agreement, spend: dict[str, Decimal]) -> Settlement:
    """Twelve monthly actuals rows per scheme, each year adding up to ``spend`` exactly."""
    rows = [
        (code, month, f"{part:f}")
        for code, total in spend.items()
        for month, part in zip(MONTHS, allocate(total, [1] * 12), strict=True)
    ]
    table = RawTable(
        "actuals.csv",
        ("scheme_code", "month", "actual"),
        tuple((i, r) for i, r in enumerate(rows, start=2)),
    )
    figures = parse_actuals(table, agreement).figures
    assert len(figures) == 12 * len(spend)
    return settle(agreement, year_end_outturn(agreement, figures))


def test_the_worked_plan_becomes_an_agreement_the_funds_engine_loads() -> None:
    agreement = fund()
    assert agreement.id == "BCF-E10099001-2025-26"
    assert agreement.financial_year == 2025
    assert (agreement.host, agreement.partner_codes) == (COUNCIL, [COUNCIL, ICB])
    assert {s.code: sum(s.contributions.values()) for s in agreement.schemes} == PLANNED


def test_each_stream_is_paid_by_its_contributor_even_when_jointly_commissioned() -> None:
    agreement = fund()
    # S03 is commissioned 60:40 by council and ICB, but funded from the NHS minimum
    assert agreement.scheme("BCF-S03").contributions == {ICB: Decimal("2644000.00")}
    assert agreement.scheme("BCF-S05").contributions == {COUNCIL: Decimal("1500000.00")}
    # 4,156,000 + 3,200,000 + 2,644,000 = 10,000,000.00, the NHS minimum allocation;
    # 5,000,000 + 1,500,000 + 250,000 = 6,750,000.00, the council's three streams
    assert agreement.fund_contributions() == {
        ICB: Decimal("10000000.00"),
        COUNCIL: Decimal("6750000.00"),
    }


def test_the_risk_share_defaults_are_the_agreements_own_and_can_be_given() -> None:
    default = fund().scheme("BCF-S01")
    assert (default.overspend, default.underspend) == (
        {"rule": "pro_rata"},
        {"treatment": "return"},
    )
    given = fund(overspend={"rule": "host"}).scheme("BCF-S01")
    assert given.overspend == {"rule": "host"}


def test_against_the_shipped_framework_the_gaps_are_notes_and_do_not_block() -> None:
    plan, _ = read_plan(WORKED)
    built = build_agreement(plan, fw.framework("2025/26"), host=ICB, pool_manager="Pool manager")
    assert built.problems == ()
    assert [n.split(":")[0] for n in built.notes] == [
        "(framework bcf-2025-26).out_of_hospital",
        "(framework bcf-2025-26).national_conditions",
        "(framework bcf-2025-26).scheme_types",
    ]
    assert load_agreement(built.yaml()).host == ICB


def test_a_plan_with_a_stream_not_fully_planned_is_refused_with_its_shortfall() -> None:
    built = build(variant(lambda d: scheme(d, "S04").update(spend="4876543.21")))
    assert built.agreement is None
    assert built.yaml() == ""
    (problem,) = built.problems
    assert problem.path == "allocations.la_better_care_grant"
    assert problem.shortfall == Decimal("123456.79")  # type: ignore[attr-defined]


def test_a_plan_with_a_condition_not_confirmed_is_not_agreed_so_refused() -> None:
    built = build(variant(lambda d: d["conditions"].pop("NC2")))
    assert built.agreement is None
    assert [p.path for p in built.problems] == ["conditions.NC2"]


def test_a_host_that_is_not_a_partner_is_the_agreements_own_problem() -> None:
    plan, _ = read_plan(WORKED)
    built = build_agreement(plan, COMPLETE, host="E07099001", pool_manager="Pool manager")
    with pytest.raises(AgreementError, match="the host is one of the partners"):
        load_agreement(built.yaml())


def test_a_scheme_planning_nothing_is_left_out_with_a_note() -> None:
    def change(d: dict[str, Any]) -> None:
        d["schemes"].append({**scheme(d, "S06"), "id": "S07", "spend": "0.00"})

    built = build(variant(change))
    assert built.agreement is not None
    assert [s["code"] for s in built.agreement["schemes"]] == list(PLANNED)
    assert built.notes == (
        "scheme S07 plans £0.00: a pooled scheme needs contributions, so it is not in the "
        "agreement",
    )


def test_scheme_codes_are_usable_however_the_plan_names_its_schemes() -> None:
    # "due" is a word of the fund's chart of accounts; prefixed, it is a usable code
    built = build(variant(lambda d: scheme(d, "S06").update(id="due")))
    assert scheme_code("due") == "BCF-due"
    assert load_agreement(built.yaml()).scheme("BCF-due").name == "Carers' breaks"


def test_every_scheme_spending_its_plan_settles_with_nothing_to_share() -> None:
    result = settled(fund(), PLANNED)
    for code, planned in PLANNED.items():
        s = result.scheme(code)
        assert (s.expenditure, s.variance) == (planned, Decimal("0.00"))
        assert s.overspend.shares == {}
        assert s.underspend.total == 0


def test_an_overspend_is_borne_by_the_schemes_contributor_by_default() -> None:
    # S02 (the ICB's, from the NHS minimum) spends 3,200,000.00 + 1,000.01
    spend = {**PLANNED, "BCF-S02": Decimal("3201000.01")}
    result = settled(fund(), spend)
    assert result.scheme("BCF-S02").variance == Decimal("1000.01")
    assert result.scheme("BCF-S02").overspend.shares == {ICB: Decimal("1000.01")}
    assert all(result.scheme(c).variance == 0 for c in PLANNED if c != "BCF-S02")


def test_an_overspend_shared_pro_rata_to_the_whole_fund_divides_to_the_penny() -> None:
    # 100,001p in the ratio council 6,750,000 : ICB 10,000,000 (of 16,750,000):
    # council 40,298.91p, ICB 59,702.09p; floors 40,298 + 59,702 = 100,000p, and the
    # penny left goes to the larger remainder (council's .91): £402.99 and £597.02
    share = {"rule": "pro_rata", "basis": "fund"}
    spend = {**PLANNED, "BCF-S02": Decimal("3201000.01")}
    result = settled(fund(overspend=share), spend)
    shares = result.scheme("BCF-S02").overspend.shares
    assert shares == {COUNCIL: Decimal("402.99"), ICB: Decimal("597.02")}
    assert sum(shares.values()) == Decimal("1000.01")


def test_an_underspend_is_returned_to_the_partner_that_paid_it() -> None:
    # S05 (the council's DFG) spends 1,500,000.00 - 0.07
    spend = {**PLANNED, "BCF-S05": Decimal("1499999.93")}
    result = settled(fund(), spend)
    assert result.scheme("BCF-S05").underspend.returned == {COUNCIL: Decimal("0.07")}


def test_contributions_by_partner_add_up_to_the_plans_allocations() -> None:
    built = build()
    assert built.agreement is not None
    assert by_partner(built.agreement) == {
        ICB: Decimal("10000000.00"),
        COUNCIL: Decimal("6750000.00"),
    }
