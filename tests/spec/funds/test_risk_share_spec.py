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
