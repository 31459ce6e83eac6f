"""Spec: a prime provider and its subcontractors, worked by hand in each docstring."""

from __future__ import annotations

from decimal import Decimal

from onebudget.contracts.prime import (
    Computed,
    FixedSum,
    Flow,
    PrimeTerms,
    ShareOfPrime,
    Subcontract,
    flows,
)

D = Decimal
TWO = (
    Subcontract("RVN", ShareOfPrime(D(30))),
    Subcontract("VCS01", FixedSum(D("200000.00"))),
)


def test_a_prime_with_two_subcontractors() -> None:
    """The ICB pays the prime £1,000,000. The community trust's subcontract is 30% of that,
    £300,000; the voluntary sector's a fixed £200,000. The prime keeps a 5% management fee
    on each: £15,000 and £10,000, so it pays on £285,000 and £190,000 and keeps
    £1,000,000 - £285,000 - £190,000 = £525,000 (its own £500,000 share plus the fees)."""
    result, problems = flows(PrimeTerms("QZZ", "RPRIME", D("1000000.00"), TWO, D(5)))
    assert problems == []
    assert result is not None
    assert result.flows == (
        Flow("QZZ", "RPRIME", D("1000000.00")),
        Flow("RPRIME", "RVN", D("285000.00")),
        Flow("RPRIME", "VCS01", D("190000.00")),
    )
    assert [p.fee for p in result.subcontracts] == [D("15000.00"), D("10000.00")]
    assert result.kept == D("525000.00")
    assert sum(step.amount for step in result.steps) == result.kept


def test_the_prime_payment_worked_out_by_a_callable_and_a_fee_per_subcontract() -> None:
    """The prime's payment from its own mechanism (£333,333.33); the trust's 30% is
    £99,999.999 -> £100,000.00 (the penny the split leaves goes to the largest remainder),
    with no fee; the voluntary sector's £50,000.01, worked out elsewhere, with a 2.5% fee:
    £1,250.0025, the split giving the fee £1,250.00 and the subcontractor £48,750.01.
    The prime keeps £333,333.33 - £100,000.00 - £48,750.01 = £184,583.32."""
    subs = (
        Subcontract("RVN", ShareOfPrime(D(30)), fee_percent=D(0)),
        Subcontract("VCS01", Computed(D("50000.01")), fee_percent=D("2.5")),
    )
    result, problems = flows(PrimeTerms("QZZ", "RPRIME", lambda: D("333333.33"), subs))
    assert problems == []
    assert result is not None
    assert [(p.value, p.fee, p.paid) for p in result.subcontracts] == [
        (D("100000.00"), D("0.00"), D("100000.00")),
        (D("50000.01"), D("1250.00"), D("48750.01")),
    ]
    assert result.kept == D("184583.32")


def test_a_subcontract_worth_more_than_the_prime_receives_is_a_named_problem() -> None:
    """The prime receives £150,000 and the voluntary sector's fixed sum is £200,000."""
    result, problems = flows(PrimeTerms("QZZ", "RPRIME", D("150000.00"), TWO, D(5)))
    assert result is None
    assert [(p.path, p.value) for p in problems] == [("subcontracts.1", D("200000.00"))]
    assert "£150,000.00" in problems[0].rule


def test_subcontracts_together_worth_more_than_the_prime_receives_are_a_problem() -> None:
    """£250,000 received: £75,000 (30%) and £200,000 are each within it, but £275,000
    together is not."""
    result, problems = flows(PrimeTerms("QZZ", "RPRIME", D("250000.00"), TWO))
    assert result is None
    assert [(p.path, p.value) for p in problems] == [("subcontracts", D("275000.00"))]
