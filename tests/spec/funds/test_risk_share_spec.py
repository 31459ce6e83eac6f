"""Spec: risk-share clauses of real Section 75 agreements, worked by hand."""

from __future__ import annotations

from decimal import Decimal

from onebudget.funds import statement
from onebudget.funds.settlement import Outturn, settle
from tests.spec.funds.conftest import agreement

D = Decimal


def test_pro_rata_capped_at_contribution_excess_to_the_icb() -> None:
    """Council 20% of contributions; its pro rata share of a £1.5m overspend (£300,000) is
    capped at its £200,000 contribution and the £100,000 excess falls to the ICB."""
    fund = agreement("""
        schemes:
          - code: BCF03
            name: Care home placements
            contributions: {QZZ: 800000.00, E06099001: 200000.00}
            overspend:
              rule: capped
              of: {rule: pro_rata}
              caps: {E06099001: contribution}
              excess_to: QZZ
        """)
    result = settle(fund, Outturn({"BCF03": D("2500000.00")}))
    shares = result.scheme("BCF03").overspend.shares
    assert shares == {"E06099001": D("200000.00"), "QZZ": D("1300000.00")}
    assert statement.payments(result) == [("QZZ", "E06099001", D("1300000.00"))]


def test_a_cap_by_amount_holds_the_excess_for_joint_decision() -> None:
    fund = agreement("""
        schemes:
          - code: BCF03
            name: Care home placements
            contributions: {QZZ: 800000.00, E06099001: 200000.00}
            overspend: {rule: capped, caps: {E06099001: 50000.00}}
        """)
    over = settle(fund, Outturn({"BCF03": D("1300000.00")})).scheme("BCF03").overspend
    assert over.shares == {"E06099001": D("50000.00"), "QZZ": D("240000.00")}
    assert over.held == D("10000.00")  # the council's pro rata £60,000 less its £50,000 cap


def test_tiered_first_100k_to_the_host_the_rest_fixed_60_40() -> None:
    fund = agreement("""
        schemes:
          - code: BCF01
            name: Reablement
            contributions: {QZZ: 500000.00, E06099001: 500000.00}
            overspend:
              rule: tiered
              first: 100000
              partner: E06099001
              then: {rule: fixed, shares: {QZZ: 60, E06099001: 40}}
        """)
    over = settle(fund, Outturn({"BCF01": D("1250000.01")})).scheme("BCF01").overspend
    # £250,000.01: £100,000 to the council, £150,000.01 split 60/40 (the odd penny to QZZ)
    assert over.shares == {"E06099001": D("160000.00"), "QZZ": D("90000.01")}


def test_a_cascade_offsets_underspends_then_draws_the_risk_reserve_then_shares() -> None:
    """A is £120,000 over, B £50,000 under, C £30,000 over. B's underspend meets A and C in
    proportion (£40,000 and £10,000); the £60,000 reserve meets the next £48,000 and £12,000;
    A's last £32,000 is shared pro rata (3:1) and C's £8,000 is split 50/50."""
    fund = agreement("""
        cascade: true
        risk_reserve: {E06099001: 20000.00, QZZ: 40000.00}
        schemes:
          - {code: A, name: Home care, contributions: {QZZ: 750000.00, E06099001: 250000.00}}
          - {code: B, name: Carers, contributions: {E06099001: 200000.00}}
          - code: C
            name: Discharge
            contributions: {QZZ: 300000.00}
            overspend: {rule: fixed, shares: {QZZ: 50, E06099001: 50}}
        """)
    result = settle(fund, Outturn({"A": D("1120000"), "B": D("150000"), "C": D("330000")}))
    a, b, c = (result.scheme(x) for x in "ABC")
    assert (a.cascade, b.cascade, c.cascade) == (D("40000.00"), D("-50000.00"), D("10000.00"))
    assert (a.reserve, c.reserve) == (D("48000.00"), D("12000.00"))
    assert a.overspend.shares == {"E06099001": D("8000.00"), "QZZ": D("24000.00")}
    assert c.overspend.shares == {"E06099001": D("4000.00"), "QZZ": D("4000.00")}
    assert b.underspend.total == 0
    assert result.reserve_used == {"E06099001": D("20000.00"), "QZZ": D("40000.00")}
    council = next(m for m in statement.memoranda(result) if m.partner == "E06099001")
    assert (council.overspend_share, council.reserve_used, council.settlement) == (
        D("12000.00"),
        D("20000.00"),
        D("12000.00"),
    )


def test_an_underspend_is_carried_forward_or_returned_to_the_penny() -> None:
    fund = agreement("""
        schemes:
          - code: CF
            name: Carried forward
            contributions: {QZZ: 100000.00}
            underspend: {treatment: carry_forward}
          - code: RT
            name: Returned
            contributions: {QZZ: 2000.00, E06099001: 1000.00}
        """)
    result = settle(fund, Outturn({"CF": D("74999.63"), "RT": D("2899.99")}))
    assert result.scheme("CF").underspend.carried_forward == D("25000.37")
    assert result.scheme("CF").underspend.returned == {}
    # £100.01 back 1:2: £33.337 and £66.673 round to 33.34 and 66.67 (largest remainder)
    assert result.scheme("RT").underspend.returned == {
        "E06099001": D("33.34"),
        "QZZ": D("66.67"),
    }
    assert statement.payments(result) == [("E06099001", "QZZ", D("66.67"))]


FUND_WIDE = """
    schemes:
      - code: BCF01
        name: Intermediate care
        contributions: {QZZ: 3000000.00, E06099001: 1000000.00}
      - code: BCF02
        name: Carers' breaks
        contributions: {E06099001: 1000000.00}
        overspend: {rule: pro_rata, basis: fund}
"""


def test_an_overspend_shared_pro_rata_to_contributions_to_the_whole_fund() -> None:
    """The clause "overspends on any scheme are shared in proportion to each partner's total
    contribution to the pooled fund". Carers' breaks is funded by the council alone, but the
    fund is £5m: the ICB put in £3m (60%) and the council £2m (40%). A £100,000.01 overspend
    is shared £60,000.01 (ICB) and £40,000.00 (council): 60% of the odd penny is more than
    40% of it, so the largest remainder gives it to the ICB."""
    fund = agreement(FUND_WIDE)
    over = settle(fund, Outturn({"BCF01": D("4000000"), "BCF02": D("1100000.01")}))
    assert over.scheme("BCF02").overspend.shares == {
        "QZZ": D("60000.01"),
        "E06099001": D("40000.00"),
    }
    # pro rata to the scheme alone, the council would have borne all of it
    scheme_only = agreement(FUND_WIDE.replace("basis: fund", "basis: scheme"))
    alone = settle(scheme_only, Outturn({"BCF01": D("4000000"), "BCF02": D("1100000.01")}))
    assert alone.scheme("BCF02").overspend.shares == {"E06099001": D("100000.01")}


def test_the_whole_fund_counts_variations_and_leaves_out_aligned_budgets() -> None:
    """A £1m winter variation from the ICB to BCF01 makes the pooled fund £6m: ICB £4m
    (2/3), council £2m (1/3). The council's aligned £9m budget is not pooled and does not
    count. A £90,000 overspend on BCF02 is £60,000 (ICB) and £30,000 (council)."""
    fund = agreement(
        FUND_WIDE
        + """
      - code: BCF09
        name: Aligned home care
        budget: aligned
        contributions: {E06099001: 9000000.00}
        overspend: {rule: own}
    variations:
      - id: V1
        effective: 2025-12-01
        scheme: BCF01
        partner: QZZ
        change: 1000000.00
        agreed_by: [ICB chief finance officer, Council director of adult social services]
        agreed_on: 2025-11-15
    """
    )
    result = settle(fund, Outturn({"BCF01": D("5000000"), "BCF02": D("1090000")}))
    assert result.scheme("BCF02").overspend.shares == {
        "QZZ": D("60000.00"),
        "E06099001": D("30000.00"),
    }


def test_a_cap_as_a_percentage_of_the_partners_contribution() -> None:
    """ "The council's share of any overspend is capped at 10% of its contribution to the
    scheme; the excess falls to the ICB." Council £250,000 of £1m (25%). A £400,000
    overspend gives the council £100,000 pro rata, capped at 10% of £250,000 = £25,000;
    the ICB bears £300,000 + £75,000 = £375,000."""
    fund = agreement("""
        schemes:
          - code: BCF03
            name: Care home placements
            contributions: {QZZ: 750000.00, E06099001: 250000.00}
            overspend:
              rule: capped
              caps: {E06099001: {percent: 10}}
              excess_to: QZZ
        """)
    over = settle(fund, Outturn({"BCF03": D("1400000")})).scheme("BCF03").overspend
    assert over.shares == {"E06099001": D("25000.00"), "QZZ": D("375000.00")}


def test_a_percentage_cap_is_rounded_down_to_the_penny_and_may_be_of_the_fund() -> None:
    """12.5% of the council's £1,000.03 fund contribution is £125.00375: the cap is £125.00
    (rounded down, so it is never exceeded). The council's pro rata share of a £600
    overspend on a scheme it funds alone is all £600; £475 over the cap is held for joint
    decision (no excess_to)."""
    fund = agreement("""
        schemes:
          - {code: A, name: Rapid response, contributions: {E06099001: 500.00, QZZ: 5000.00}}
          - code: B
            name: Falls service
            contributions: {E06099001: 500.03}
            overspend:
              rule: capped
              caps: {E06099001: {percent: 12.5, of: fund}}
        """)
    over = settle(fund, Outturn({"A": D("5500"), "B": D("1100.03")})).scheme("B").overspend
    assert over.shares == {"E06099001": D("125.00")}
    assert over.held == D("475.00")
