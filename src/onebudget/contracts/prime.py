"""Prime-provider contracts: the commissioner pays one provider, which pays its subcontractors.

The prime's own payment comes from any mechanism: given as an amount already worked out, or
worked out by a callable passed in. Each subcontract has its own terms (a fixed sum, a
percentage of the prime's payment, or an amount worked out elsewhere), and the prime keeps a
management fee on each, a percentage of the subcontract's value (a "top slice": the
contract's fee unless the subcontract states its own). The flows are commissioner to prime
and prime to each subcontractor, and they balance to the penny: what the prime keeps is what
it received less what it paid on. A subcontract worth more than the prime receives, or
subcontracts that together are, is a problem, not a payment; so is a negative payment to the
prime (a clawback is not passed down by this engine: our own choice). Shares of the prime's
payment are split in one call to ``money.allocate``, so together they never exceed it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from onebudget.contracts.model import Step, figure, pounds
from onebudget.io.problems import Problem
from onebudget.money import ZERO, MoneyError, allocate, exact

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FixedSum:
    amount: Decimal


@dataclass(frozen=True)
class ShareOfPrime:
    percent: Decimal  # of the prime's payment


@dataclass(frozen=True)
class Computed:
    amount: Decimal  # worked out by the subcontract's own mechanism
    how: str = "worked out by the subcontract's own mechanism"


@dataclass(frozen=True)
class Subcontract:
    code: str
    terms: FixedSum | ShareOfPrime | Computed
    fee_percent: Decimal | None = None  # the prime's fee on it; the contract's, unless stated


@dataclass(frozen=True)
class PrimeTerms:
    commissioner: str
    prime: str
    payment: Decimal | Callable[[], Decimal]  # the prime's payment, or how to work it out
    subcontracts: tuple[Subcontract, ...] = ()
    fee_percent: Decimal = ZERO


@dataclass(frozen=True)
class Flow:
    payer: str
    payee: str
    amount: Decimal


@dataclass(frozen=True)
class Passed:
    """One subcontract: its value, the prime's fee kept from it, and what the prime pays."""

    code: str
    value: Decimal
    fee: Decimal
    paid: Decimal


@dataclass(frozen=True)
class PrimeResult:
    received: Decimal
    subcontracts: tuple[Passed, ...]
    kept: Decimal  # received less paid on: what the steps add up to
    flows: tuple[Flow, ...]
    steps: tuple[Step, ...]  # the prime's statement


def flows(terms: PrimeTerms) -> tuple[PrimeResult | None, list[Problem]]:
    """The money from commissioner to prime to each subcontractor; or None and the problems."""
    received = terms.payment() if callable(terms.payment) else terms.payment
    found = problems(terms, received)
    if found:
        return None, found
    passed = _passed(terms, received)
    out = [Flow(terms.commissioner, terms.prime, received)]
    out += [Flow(terms.prime, p.code, p.paid) for p in passed]
    rule = "the prime's payment, from its own mechanism"
    steps = [Step("received from the commissioner", {}, rule, received)]
    for sub, p in zip(terms.subcontracts, passed, strict=True):
        steps += _subcontract_steps(sub, p, terms, received)
    kept = received - sum((p.paid for p in passed), ZERO)
    return PrimeResult(received, passed, kept, tuple(out), tuple(steps)), []


def _passed(terms: PrimeTerms, received: Decimal) -> tuple[Passed, ...]:
    values = _values(terms.subcontracts, received)
    passed = []
    for sub, value in zip(terms.subcontracts, values, strict=True):
        fee, paid = allocate(value, [_fee(sub, terms), HUNDRED - _fee(sub, terms)])
        passed.append(Passed(sub.code, value, fee, paid))
    return tuple(passed)


def _values(subcontracts: tuple[Subcontract, ...], received: Decimal) -> list[Decimal]:
    """Each subcontract's value: shares of the prime's payment split together, to the penny."""
    percents = [
        s.terms.percent if isinstance(s.terms, ShareOfPrime) else ZERO for s in subcontracts
    ]
    shares = allocate(received, [*percents, HUNDRED - sum(percents, ZERO)])
    return [
        share if isinstance(s.terms, ShareOfPrime) else s.terms.amount
        for s, share in zip(subcontracts, shares, strict=False)
    ]


def _fee(sub: Subcontract, terms: PrimeTerms) -> Decimal:
    return terms.fee_percent if sub.fee_percent is None else sub.fee_percent


def _subcontract_steps(
    sub: Subcontract, passed: Passed, terms: PrimeTerms, received: Decimal
) -> list[Step]:
    if isinstance(sub.terms, ShareOfPrime):
        inputs = {"prime's payment": pounds(received), "share": f"{figure(sub.terms.percent)}%"}
        rule = "a share of the prime's payment, split to the penny"
    elif isinstance(sub.terms, FixedSum):
        inputs, rule = {"sum": pounds(sub.terms.amount)}, "a fixed sum"
    else:
        inputs, rule = {}, sub.terms.how
    value = Step(f"subcontract {sub.code}", inputs, rule, -passed.value)
    fee = f"{figure(_fee(sub, terms))}%"
    kept = Step(
        f"management fee on {sub.code}",
        {"subcontract value": pounds(passed.value), "fee": fee},
        "kept by the prime from the subcontract's value, split to the penny",
        passed.fee,
    )
    return [value, kept] if _fee(sub, terms) else [value]


def problems(terms: PrimeTerms, received: Decimal) -> list[Problem]:
    """Everything that prevents ``flows``, each with its path, value and rule."""
    found = _pence("payment", received)
    found += _percent("fee_percent", terms.fee_percent)
    for n, sub in enumerate(terms.subcontracts):
        found += _subcontract_problems(f"subcontracts.{n}", sub)
    codes = [terms.commissioner, terms.prime, *(s.code for s in terms.subcontracts)]
    found += [
        Problem(path="subcontracts", value=code, rule="each party named once")
        for code in sorted({c for c in codes if codes.count(c) > 1})
    ]
    return found or _share_problems(terms) or _over_problems(terms, received)


def _share_problems(terms: PrimeTerms) -> list[Problem]:
    shares = [s.terms.percent for s in terms.subcontracts if isinstance(s.terms, ShareOfPrime)]
    return share_problems(shares)


def share_problems(percents: Sequence[Decimal], path: str = "subcontracts") -> list[Problem]:
    """Shares of the prime's payment may not pay on more than the prime receives: checked when
    a contract is loaded (``load.check``) and again when it pays."""
    total = sum(percents, ZERO)
    if total <= HUNDRED:
        return []
    rule = "shares of the prime's payment adding up to 100 or less"
    return [Problem(path=path, value=total, rule=rule)]


def _subcontract_problems(path: str, sub: Subcontract) -> list[Problem]:
    found = [] if sub.fee_percent is None else _percent(f"{path}.fee_percent", sub.fee_percent)
    if isinstance(sub.terms, ShareOfPrime):
        return found + _percent(f"{path}.terms.percent", sub.terms.percent)
    return found + _pence(f"{path}.terms.amount", sub.terms.amount)


def _over_problems(terms: PrimeTerms, received: Decimal) -> list[Problem]:
    """No subcontract, and not all of them together, may take more than the prime receives."""
    rule = f"no more than the prime receives ({pounds(received)})"
    values = _values(terms.subcontracts, received)
    found = [
        Problem(path=f"subcontracts.{n}", value=value, rule=rule)
        for n, value in enumerate(values)
        if value > received
    ]
    together = sum(values, ZERO)
    if not found and together > received:
        found.append(Problem(path="subcontracts", value=together, rule=f"together, {rule}"))
    return found


def _pence(path: str, value: Decimal) -> list[Problem]:
    try:
        exact(value)
    except (MoneyError, TypeError) as error:
        return [Problem(path=path, value=value, rule=getattr(error, "rule", "an amount"))]
    return [Problem(path=path, value=value, rule="an amount of 0 or more")] if value < 0 else []


def _percent(path: str, value: Decimal) -> list[Problem]:
    if isinstance(value, Decimal) and value.is_finite() and 0 <= value <= HUNDRED:
        return []
    return [Problem(path=path, value=value, rule="a percentage from 0 to 100")]
