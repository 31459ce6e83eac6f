"""Outcome payments stay between their floor and cap; alliance shares add up exactly to the
gain or loss; a prime's flows balance to the penny; every result is the sum of its steps."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from onebudget.contracts.alliance import AllianceTerms, Member, settle
from onebudget.contracts.outcome_payment import (
    Indicator,
    Linear,
    Measured,
    OutcomeTerms,
    PerUnit,
    SharedSaving,
    Stepped,
    Threshold,
    pay,
)
from onebudget.contracts.prime import (
    Computed,
    FixedSum,
    PrimeTerms,
    ShareOfPrime,
    Subcontract,
    flows,
)
from onebudget.money import PENNY, ZERO, from_pence

Draw = Any  # hypothesis's draw function
pounds = st.integers(min_value=0, max_value=10**11).map(from_pence)
percent = st.integers(min_value=0, max_value=100).map(Decimal)
tenths = st.integers(min_value=-30000, max_value=30000).map(lambda n: Decimal(n) / 10)
polarity = st.sampled_from(["higher is better", "lower is better"])


def _toward(start: Decimal, by: int, better: str) -> Decimal:
    return start + by if better == "higher is better" else start - by


@st.composite
def indicators(draw: Draw, code: str) -> Indicator:
    better = draw(polarity)
    baseline = draw(st.integers(min_value=-1000, max_value=1000).map(Decimal))
    target = _toward(baseline, draw(st.integers(1, 500)), better)
    stretch = draw(st.none() | st.integers(1, 500).map(lambda by: _toward(target, by, better)))
    if draw(st.booleans()):
        ats = sorted(draw(st.lists(st.integers(-100, 700), min_size=1, max_size=4, unique=True)))
        percents = sorted(draw(st.lists(percent, min_size=len(ats), max_size=len(ats))))
        steps = (
            Threshold(_toward(baseline, at, better), p) for at, p in zip(ats, percents, strict=True)
        )
        gradient: Linear | Stepped = Stepped(tuple(steps))
    else:
        gradient = Linear(ZERO if stretch is None else draw(percent))
    weight = draw(st.integers(1, 10).map(Decimal))
    return Indicator(code, weight, baseline, target, stretch, better, gradient, draw(st.booleans()))


@st.composite
def measured(draw: Draw) -> Measured:
    value = draw(tenths)
    if draw(st.booleans()):
        return Measured(value)
    wide = st.integers(0, 2000).map(lambda n: Decimal(n) / 10)
    return Measured(value, value - draw(wide), value + draw(wide))


@st.composite
def outcome_cases(draw: Draw) -> tuple[OutcomeTerms, dict[str, Measured], Decimal]:
    inds = tuple(draw(indicators(f"i{n}")) for n in range(draw(st.integers(0, 4))))
    units = tuple(
        PerUnit(f"u{n}", draw(tenths), draw(pounds), draw(polarity), draw(st.booleans()))
        for n in range(draw(st.integers(0, 2)))
    )
    saving = draw(
        st.none()
        | st.builds(
            SharedSaving,
            pounds,
            percent,
            percent,
            st.sampled_from(["whole saving", "above the rate"]),
        )
    )
    bounds = sorted(draw(st.lists(pounds, min_size=2, max_size=2)))
    floor = draw(st.sampled_from([None, bounds[0]]))
    cap = draw(st.sampled_from([None, bounds[1]]))
    terms = OutcomeTerms(draw(pounds), draw(percent), inds, units, saving, floor, cap)
    results = {x.code: draw(measured()) for x in (*inds, *units)}
    significant = [x.code for x in (*inds, *units) if x.significant]
    for code in significant:  # significance needs an interval
        value = results[code].value
        results[code] = Measured(value, value - 1, value + draw(st.integers(0, 200)))
    return terms, results, draw(pounds)


@given(outcome_cases())
def test_outcome_payments_stay_within_floor_and_cap(
    case: tuple[OutcomeTerms, dict[str, Measured], Decimal],
) -> None:
    terms, results, cost = case
    payment, problems = pay(terms, results, cost)
    assert problems == []
    assert payment is not None
    assert terms.floor is None or payment.outcome >= terms.floor
    assert terms.cap is None or payment.outcome <= terms.cap
    assert payment.total == sum((s.amount for s in payment.steps), ZERO)
    assert payment.total == payment.guaranteed + payment.outcome
    assert all(ZERO <= line.paid <= line.earned for line in payment.lines)
    floor_top_up = sum((s.amount for s in payment.steps if s.what == "floor"), ZERO)
    assert sum((line.paid for line in payment.lines), ZERO) + floor_top_up == payment.outcome
    assert all(s.amount == s.amount.quantize(Decimal("0.01")) for s in payment.steps)


@st.composite
def hundred(draw: Draw, parts: int) -> list[Decimal]:
    """``parts`` whole percentages adding up to 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, 100]
    return [Decimal(b - a) for a, b in pairwise(edges)]


@st.composite
def alliances(draw: Draw) -> AllianceTerms:
    n = draw(st.integers(1, 6))
    gains, pains = draw(hundred(n)), draw(st.none() | hundred(n))
    cap = st.none() | st.integers(0, 10**9).map(from_pence)
    members = tuple(
        Member(f"M{i}", gains[i], None if pains is None else pains[i], draw(cap), draw(cap))
        for i in range(n)
    )
    excess = draw(st.sampled_from(["redistribute", "commissioner"]))
    return AllianceTerms(draw(pounds), members, excess)


@given(alliances(), pounds)
def test_alliance_shares_add_up_exactly_to_the_gain_or_loss(
    terms: AllianceTerms, actual: Decimal
) -> None:
    result, problems = settle(terms, actual)
    assert problems == []
    assert result is not None
    shared = sum((share.amount for share in result.shares), ZERO)
    assert shared + result.commissioner == result.variance == terms.budget - actual
    assert sum((s.amount for s in result.steps), ZERO) == result.variance
    gain = result.variance >= 0
    for member, share in zip(terms.members, result.shares, strict=True):
        cap = member.max_gain if gain else member.max_loss
        assert cap is None or abs(share.amount) <= cap
        assert share.amount == 0 or (share.amount > 0) == gain
    if terms.excess == "redistribute" and result.commissioner != 0:
        weights = [m.gain_percent if gain else m.pain for m in terms.members]
        assert all(s.capped for s, w in zip(result.shares, weights, strict=True) if w > 0)


@st.composite
def subcontracts(draw: Draw, n: int) -> Subcontract:
    terms = draw(
        st.builds(FixedSum, pounds)
        | st.builds(Computed, pounds)
        | st.builds(ShareOfPrime, st.integers(0, 40).map(Decimal))
    )
    return Subcontract(f"S{n}", terms, draw(st.none() | percent))


@given(
    pounds,
    st.integers(0, 5).flatmap(lambda n: st.tuples(*(subcontracts(i) for i in range(n)))),
    percent,
)
def test_prime_and_subcontract_flows_balance_to_the_penny(
    received: Decimal, subs: tuple[Subcontract, ...], fee: Decimal
) -> None:
    result, problems = flows(PrimeTerms("QZZ", "RPRIME", received, subs, fee))
    fixed = sum((s.terms.amount for s in subs if not isinstance(s.terms, ShareOfPrime)), ZERO)
    shares = sum((s.terms.percent for s in subs if isinstance(s.terms, ShareOfPrime)), ZERO)
    wanted = fixed + received * shares / 100  # the shares' split is within a penny of this
    if fixed > received or shares > 100 or wanted > received + PENNY:
        assert result is None
        assert problems
    if wanted <= received - PENNY and shares <= 100:
        assert result is not None
    if result is None:
        assert problems
        return
    assert problems == []
    paid_on = sum((f.amount for f in result.flows[1:]), ZERO)
    assert result.flows[0].amount == received == result.kept + paid_on
    assert result.kept >= 0
    assert sum((s.amount for s in result.steps), ZERO) == result.kept
    assert all(p.fee + p.paid == p.value and p.paid >= 0 for p in result.subcontracts)
