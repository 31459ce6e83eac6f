"""Spec: instalments, variations, budget profiles and the forecast, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onebudget.funds.agreement import AgreementError
from onebudget.funds.monitoring import (
    MonthlyFigure,
    budget_profile,
    forecast_settlement,
    instalments,
    positions,
)
from onebudget.funds.settlement import Outturn, settle
from tests.spec.funds.conftest import agreement

D = Decimal
HOME_CARE = """
        schemes:
          - code: BCF02
            name: Home care capacity
            contributions: {QZZ: 1200000.00, E06099001: 300000.00}
"""
MID_YEAR = """
        variations:
          - id: V1
            effective: 2025-10-01
            scheme: BCF02
            partner: QZZ
            change: 120000.00
            agreed_by: [ICB chief finance officer, Council director of adult social services]
            agreed_on: 2025-09-15
            reason: Winter discharge capacity
"""


def test_a_mid_year_variation_raises_the_remaining_instalments_and_the_share() -> None:
    fund = agreement(HOME_CARE + MID_YEAR)
    paid = instalments(fund, "BCF02", "QZZ")
    assert paid[0] == (date(2025, 4, 1), D("100000.00"))
    assert paid[5] == (date(2025, 9, 1), D("100000.00"))
    assert paid[6] == (date(2025, 10, 1), D("120000.00"))
    assert paid[11] == (date(2026, 3, 1), D("120000.00"))
    assert sum(amount for _, amount in paid) == D("1320000.00")
    # A £162,000 overspend shared 1,320,000 : 300,000 = 22 : 5
    over = settle(fund, Outturn({"BCF02": D("1782000.00")})).scheme("BCF02").overspend
    assert over.shares == {"QZZ": D("132000.00"), "E06099001": D("30000.00")}


def test_a_reduction_without_the_notice_the_agreement_requires_is_refused() -> None:
    short = MID_YEAR.replace("change: 120000.00", "change: -120000.00")
    with pytest.raises(AgreementError) as caught:
        agreement(HOME_CARE + "        notice: {reduction_months: 3}\n" + short)
    (problem,) = caught.value.problems
    assert problem.path == "variations.0.agreed_on"
    assert problem.value == date(2025, 9, 15)
    assert problem.rule == "a reduction needs 3 months' notice; 0 given"


def test_fixed_and_variable_profiles_give_the_budget_to_date() -> None:
    """An even profile: half the year is half the budget. A winter profile (weights 1 in
    April to September, 3 in October to March): six months are a quarter of it."""
    fund = agreement("""
        schemes:
          - {code: EVEN, name: Carers, contributions: {E06099001: 120000.00}}
          - code: WINTER
            name: Urgent community response
            contributions: {QZZ: 240000.00}
            profile: [1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3]
        """)
    assert budget_profile(fund, "WINTER")[6] == D("30000.00")
    figures = [MonthlyFigure("EVEN", m, D("11000.00")) for m in range(1, 7)]
    figures += [MonthlyFigure("WINTER", m, D("9000.00")) for m in range(1, 7)]
    even, winter = positions(fund, figures, to_month=6)
    assert (even.budget_to_date, even.actual_to_date, even.variance_to_date) == (
        D("60000.00"),
        D("66000.00"),
        D("6000.00"),
    )
    assert (winter.budget_to_date, winter.variance_to_date) == (D("60000.00"), D("-6000.00"))
    # No forecast recorded: actual to date plus the budget still to come
    assert even.forecast_outturn == D("126000.00")
    assert winter.forecast_variance == D("-6000.00")


def test_the_latest_recorded_forecast_settles_like_the_year_end() -> None:
    fund = agreement(HOME_CARE)
    figures = [
        MonthlyFigure("BCF02", 3, D("380000.00"), forecast_outturn=D("1560000.00")),
        MonthlyFigure("BCF02", 2, D("370000.00"), forecast_outturn=D("1530000.00")),
    ]
    (position,) = positions(fund, figures, to_month=3)
    assert position.forecast_outturn == D("1560000.00")
    shares = forecast_settlement(fund, figures, 3).scheme("BCF02").overspend.shares
    assert shares == {"QZZ": D("48000.00"), "E06099001": D("12000.00")}
