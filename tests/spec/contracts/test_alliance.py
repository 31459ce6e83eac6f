"""Spec: alliance gain and pain shares, worked by hand in each docstring."""

from __future__ import annotations

from decimal import Decimal

from onebudget.contracts.alliance import AllianceResult, AllianceTerms, Member, settle

D = Decimal
BUDGET = D("10000000.00")


def settled(terms: AllianceTerms, actual: str) -> AllianceResult:
    result, problems = settle(terms, D(actual))
    assert problems == []
    assert result is not None
    assert sum(step.amount for step in result.steps) == result.variance
    return result


def amounts(result: AllianceResult) -> dict[str, Decimal]:
    return {share.code: share.amount for share in result.shares}


def three(**caps: Decimal) -> tuple[Member, ...]:
    return (
        Member("RTRUST", D(50), max_gain=caps.get("a")),
        Member("RCOMM", D(30), max_gain=caps.get("b")),
        Member("VCSE1", D(20)),
    )


def test_a_capped_members_excess_is_shared_by_the_others_pro_rata() -> None:
    """Budget £10,000,000, actual £9,700,000: a £300,000 gain. The trust's 50% (£150,000)
    is over its £100,000 cap, so it has £100,000 and the other £200,000 is split 30:20:
    £120,000 and £80,000. Nothing is left to the commissioner."""
    result = settled(AllianceTerms(BUDGET, three(a=D("100000.00"))), "9700000.00")
    assert amounts(result) == {
        "RTRUST": D("100000.00"),
        "RCOMM": D("120000.00"),
        "VCSE1": D("80000.00"),
    }
    assert [share.capped for share in result.shares] == [True, False, False]
    assert result.commissioner == D("0.00")


def test_redistribution_repeats_until_no_member_is_over_its_cap() -> None:
    """As before, but the community trust is capped at £115,000: after the trust's cap its
    £120,000 (30/50 of £200,000) is over, so it has £115,000 and the voluntary sector
    member the last £85,000. £100,000 + £115,000 + £85,000 = £300,000."""
    terms = AllianceTerms(BUDGET, three(a=D("100000.00"), b=D("115000.00")))
    result = settled(terms, "9700000.00")
    assert amounts(result) == {
        "RTRUST": D("100000.00"),
        "RCOMM": D("115000.00"),
        "VCSE1": D("85000.00"),
    }


def test_or_the_commissioner_retains_the_excess() -> None:
    """With the excess retained by the commissioner: the trust £100,000 (capped), the others
    their own 30% and 20% (£90,000 and £60,000), and the commissioner the trust's £50,000."""
    terms = AllianceTerms(BUDGET, three(a=D("100000.00")), excess="commissioner")
    result = settled(terms, "9700000.00")
    assert amounts(result) == {
        "RTRUST": D("100000.00"),
        "RCOMM": D("90000.00"),
        "VCSE1": D("60000.00"),
    }
    assert result.commissioner == D("50000.00")
    assert result.steps[-1].what == "commissioner"


def test_pain_has_its_own_shares_and_caps() -> None:
    """Actual £10,300,000: a £300,000 loss. Pain shares 60/25/15: the trust's 60%
    (£180,000) is over its £150,000 loss cap, so it bears £150,000 and the other £150,000
    is split 25:15, £93,750 and £56,250. Losses are negative amounts."""
    members = (
        Member("RTRUST", D(50), pain_percent=D(60), max_loss=D("150000.00")),
        Member("RCOMM", D(30), pain_percent=D(25)),
        Member("VCSE1", D(20), pain_percent=D(15)),
    )
    result = settled(AllianceTerms(BUDGET, members), "10300000.00")
    assert result.variance == D("-300000.00")
    assert amounts(result) == {
        "RTRUST": D("-150000.00"),
        "RCOMM": D("-93750.00"),
        "VCSE1": D("-56250.00"),
    }


def test_when_every_sharing_member_is_capped_the_commissioner_keeps_the_rest() -> None:
    """A £300,000 gain 50/50 between two members each capped at £100,000: £100,000 each,
    and the £100,000 no one is left to take stays with the commissioner."""
    members = (
        Member("RTRUST", D(50), max_gain=D("100000.00")),
        Member("RCOMM", D(50), max_gain=D("100000.00")),
    )
    result = settled(AllianceTerms(BUDGET, members), "9700000.00")
    assert list(amounts(result).values()) == [D("100000.00"), D("100000.00")]
    assert result.commissioner == D("100000.00")


def test_an_odd_penny_goes_to_the_earliest_member() -> None:
    """A gain of £1,000.01 split 50/50: £500.01 and £500.00 (allocate's ties go to the
    earliest), adding up to the penny."""
    members = (Member("RTRUST", D(50)), Member("RCOMM", D(50)))
    result = settled(AllianceTerms(D("1000.01"), members), "0.00")
    assert list(amounts(result).values()) == [D("500.01"), D("500.00")]


def test_shares_that_do_not_add_up_to_100_are_a_named_problem() -> None:
    members = (Member("RTRUST", D(50)), Member("RCOMM", D(40), pain_percent=D(50)))
    result, problems = settle(AllianceTerms(BUDGET, members), D("9700000.00"))
    assert result is None
    assert [(p.path, p.value) for p in problems] == [("members.*.gain_percent", D(90))]
