"""Spec: a plan changed after sign-off is a new plan version and variations of the fund's
agreement: each partner's change to each scheme, which the funds engine loads and whose
year's contributions are then the new version's, to the penny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from onebudget.bcf.fund_variation import Varied, varied, vary
from onebudget.bcf.plan import Plan
from onebudget.bcf.to_fund import build_agreement
from onebudget.funds.agreement import Agreement, AgreementError
from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from tests.spec.bcf.test_plan_checks import COMPLETE, scheme, variant

COUNCIL, ICB = "E10099001", "QZZ"
AGREED_ON, EFFECTIVE = date(2025, 7, 1), date(2025, 10, 1)  # three months' notice


def signed() -> dict[str, Any]:
    built = build_agreement(
        variant(lambda d: None), COMPLETE, host=COUNCIL, pool_manager="Pool manager"
    )
    assert built.agreement is not None
    return built.agreement


def version_2(agreement: dict[str, Any], plan: Plan) -> Varied:
    return vary(
        agreement,
        plan,
        COMPLETE,
        effective=EFFECTIVE,
        agreed_by=["Westvale County Council", "NHS Westvale ICB"],
        agreed_on=AGREED_ON,
    )


def loaded(agreement: dict[str, Any], result: Varied) -> Agreement:
    return load_agreement(yamlio.dump(varied(agreement, result)), source="varied.yaml")


def moved(d: dict[str, Any]) -> None:
    """£100,000.00 of the NHS minimum moved from urgent response (S02) to home care (S01)."""
    scheme(d, "S01").update(spend="4256000.00")
    scheme(d, "S02").update(spend="3100000.00")


def test_money_moved_between_schemes_is_two_variations_the_engine_loads() -> None:
    agreement = signed()
    result = version_2(agreement, variant(moved))
    assert result.problems == ()
    assert [(v["id"], v["scheme"], v["partner"], v["change"]) for v in result.variations] == [
        ("V1", "BCF-S01", ICB, Decimal("100000.00")),
        ("V2", "BCF-S02", ICB, Decimal("-100000.00")),
    ]
    fund = loaded(agreement, result)
    assert fund.contributions("BCF-S01") == {ICB: Decimal("4256000.00")}
    assert fund.contributions("BCF-S02") == {ICB: Decimal("3100000.00")}
    # the amounts signed are not rewritten: the variations carry the change
    assert fund.scheme("BCF-S01").contributions == {ICB: Decimal("4156000.00")}
    assert fund.fund_contributions() == {
        ICB: Decimal("10000000.00"),
        COUNCIL: Decimal("6750000.00"),
    }


def test_an_unchanged_plan_is_no_variation() -> None:
    assert version_2(signed(), variant(lambda d: None)) == Varied()


def test_a_further_version_varies_from_the_amounts_with_every_variation() -> None:
    agreement = signed()
    first = varied(agreement, version_2(agreement, variant(moved)))

    def back_a_little(d: dict[str, Any]) -> None:
        scheme(d, "S01").update(spend="4255999.99")
        scheme(d, "S02").update(spend="3100000.01")

    result = version_2(first, variant(back_a_little))
    assert [(v["id"], v["scheme"], v["change"]) for v in result.variations] == [
        ("V3", "BCF-S01", Decimal("-0.01")),
        ("V4", "BCF-S02", Decimal("0.01")),
    ]
    assert loaded(first, result).contributions("BCF-S01") == {ICB: Decimal("4255999.99")}


def test_a_scheme_moved_to_another_stream_changes_who_pays_under_the_agreements_notice() -> None:
    # S06's £250,000.00 now comes from the ICB's additional contribution, not the council's:
    # the council withdraws from the scheme, which needs twelve months' notice, not three
    def change(d: dict[str, Any]) -> None:
        d["allocations"]["additional_icb"] = d["allocations"].pop("additional_council")
        scheme(d, "S06").update(source="additional_icb")

    agreement = signed()
    result = version_2(agreement, variant(change))
    assert [(v["scheme"], v["partner"], v["change"]) for v in result.variations] == [
        ("BCF-S06", COUNCIL, Decimal("-250000.00")),
        ("BCF-S06", ICB, Decimal("250000.00")),
    ]
    with pytest.raises(AgreementError) as refused:
        loaded(agreement, result)
    assert [p.rule for p in refused.value.problems] == [
        "a withdrawal needs 12 months' notice; 3 given"
    ]


def test_a_new_scheme_is_not_a_variation_but_a_new_version_of_the_agreement() -> None:
    def change(d: dict[str, Any]) -> None:
        scheme(d, "S06").update(spend="200000.00")
        d["schemes"].append({**scheme(d, "S06"), "id": "S07", "spend": "50000.00"})

    result = version_2(signed(), variant(change))
    assert result.variations == ()
    assert [(p.path, p.value) for p in result.problems] == [("schemes", "BCF-S07")]


def test_a_version_with_money_problems_or_of_another_year_gives_no_variations() -> None:
    def change(d: dict[str, Any]) -> None:
        d["year"] = "2026/27"
        scheme(d, "S04").update(spend="4999999.99")

    result = version_2(signed(), variant(change))
    assert result.variations == ()
    paths = [p.path for p in result.problems]
    assert "allocations.la_better_care_grant" in paths
    assert "year" in paths
