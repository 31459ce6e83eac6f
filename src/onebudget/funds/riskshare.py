"""Risk-share rules: who bears a scheme's overspend, and what happens to an underspend.

Each rule is a small frozen record whose ``share(amount, terms)`` is a pure function: an
overspend (pounds, > 0) and the scheme's terms (each partner's contribution, the host) in;
an ``Allocation`` out (each partner's share, and any amount held for the partners' joint
decision) that adds up to the amount to the penny. Rules compose: ``Capped`` and ``Tiered``
wrap another rule, as the clauses of real agreements do ("pro rata to contributions, each
partner's share capped at its contribution, the excess to the ICB"). Pro rata may be to the
scheme's contributions or to each partner's contributions to the whole fund, and a cap may
be an amount, the contribution, or a percentage of the contribution (to the scheme or the
fund).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Literal, Protocol

from onebudget.money import PENNY, ZERO, allocate

JOINT = "joint decision"  # an excess no partner has agreed to bear in advance


class RiskShareError(ValueError):
    """A rule that cannot share the amount (no contributions to share pro rata, say)."""


@dataclass(frozen=True)
class Terms:
    """What a rule may look at: pooled contributions by partner (after variations), the host
    partner, and, for aligned budgets, each partner's own variance."""

    contributions: Mapping[str, Decimal]
    host: str
    own: Mapping[str, Decimal] = field(default_factory=dict)
    fund: Mapping[str, Decimal] = field(default_factory=dict)  # to all pooled schemes


@dataclass(frozen=True)
class Allocation:
    shares: Mapping[str, Decimal]
    held: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.shares.values(), ZERO) + self.held

    def plus(self, other: Allocation) -> Allocation:
        shares = dict(self.shares)
        for partner, amount in other.shares.items():
            shares[partner] = shares.get(partner, ZERO) + amount
        return Allocation(shares, self.held + other.held)


class Rule(Protocol):
    def share(self, amount: Decimal, terms: Terms) -> Allocation: ...


def _split(amount: Decimal, weights: Mapping[str, Decimal]) -> Allocation:
    partners = sorted(weights)
    if not partners or sum(weights.values(), ZERO) <= 0:
        raise RiskShareError("nothing to share in proportion to: every weight is zero")
    parts = allocate(amount, [weights[p] for p in partners])
    return Allocation(dict(zip(partners, parts, strict=True)))


Basis = Literal["scheme", "fund"]


def _basis(terms: Terms, basis: Basis) -> Mapping[str, Decimal]:
    return terms.fund if basis == "fund" else terms.contributions


@dataclass(frozen=True)
class ProRata:
    """In proportion to each partner's contribution to the scheme, or (``basis="fund"``) to
    each partner's total contributions to the whole pooled fund, so a partner that puts
    nothing into this scheme still bears its share of the fund's risk."""

    basis: Basis = "scheme"

    def share(self, amount: Decimal, terms: Terms) -> Allocation:
        return _split(amount, _basis(terms, self.basis))


@dataclass(frozen=True)
class Fixed:
    """Fixed percentages, agreed in advance (they must add up to 100)."""

    percentages: Mapping[str, Decimal]

    def share(self, amount: Decimal, terms: Terms) -> Allocation:
        if sum(self.percentages.values(), ZERO) != 100:
            raise RiskShareError("fixed shares must add up to 100%")
        return _split(amount, self.percentages)


@dataclass(frozen=True)
class Own:
    """Aligned budgets: each partner bears the variance on its own budget."""

    def share(self, amount: Decimal, terms: Terms) -> Allocation:
        if sum(terms.own.values(), ZERO) != amount:
            raise RiskShareError("each partner's own variances do not add up to the amount")
        return Allocation(dict(terms.own))


@dataclass(frozen=True)
class HostBears:
    """The host partner bears it all."""

    def share(self, amount: Decimal, terms: Terms) -> Allocation:
        return Allocation({terms.host: amount})


@dataclass(frozen=True)
class PercentCap:
    """A cap of ``percent`` of the partner's contribution to the scheme (or to the whole
    fund), rounded down to the penny so that the cap is never exceeded."""

    percent: Decimal
    of: Basis = "scheme"

    def limit(self, partner: str, terms: Terms) -> Decimal:
        base = _basis(terms, self.of).get(partner, ZERO)
        return (base * self.percent / 100).quantize(PENNY, rounding=ROUND_FLOOR)


Cap = Decimal | Literal["contribution"] | PercentCap


def cap_limit(cap: Cap, partner: str, terms: Terms) -> Decimal:
    """The most a partner bears under its cap."""
    if isinstance(cap, PercentCap):
        return cap.limit(partner, terms)
    return terms.contributions.get(partner, ZERO) if cap == "contribution" else cap


@dataclass(frozen=True)
class Capped:
    """Another rule's shares, each capped at the partner's contribution (``"contribution"``),
    an amount, or a percentage of its contribution; the excess goes to a named partner, or
    is held for joint decision."""

    rule: Rule
    caps: Mapping[str, Cap]
    excess_to: str = JOINT

    def share(self, amount: Decimal, terms: Terms) -> Allocation:
        first = self.rule.share(amount, terms)
        shares, excess = dict(first.shares), ZERO
        for partner, cap in self.caps.items():
            limit = cap_limit(cap, partner, terms)
            over = shares.get(partner, ZERO) - max(limit, ZERO)
            if over > 0:
                shares[partner] -= over
                excess += over
        if self.excess_to == JOINT:
            return Allocation(shares, first.held + excess)
        shares[self.excess_to] = shares.get(self.excess_to, ZERO) + excess
        return Allocation(shares, first.held)


@dataclass(frozen=True)
class Tiered:
    """The first ``first`` pounds to one partner, the rest by another rule."""

    first: Decimal
    partner: str
    then: Rule

    def share(self, amount: Decimal, terms: Terms) -> Allocation:
        head = min(amount, self.first)
        base = Allocation({self.partner: head})
        rest = amount - head
        return base if rest <= 0 else base.plus(self.then.share(rest, terms))


@dataclass(frozen=True)
class Underspend:
    """What becomes of an underspend: returned to partners (by a rule), carried forward to
    next year's pool, or retained in the pool for purposes the partners agree."""

    returned: Mapping[str, Decimal] = field(default_factory=dict)
    carried_forward: Decimal = ZERO
    retained: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.returned.values(), ZERO) + self.carried_forward + self.retained


@dataclass(frozen=True)
class Return:
    rule: Rule = ProRata()

    def treat(self, amount: Decimal, terms: Terms) -> Underspend:
        shared = self.rule.share(amount, terms)
        return Underspend(dict(shared.shares), retained=shared.held)


@dataclass(frozen=True)
class CarryForward:
    def treat(self, amount: Decimal, terms: Terms) -> Underspend:
        return Underspend(carried_forward=amount)


@dataclass(frozen=True)
class Retain:
    def treat(self, amount: Decimal, terms: Terms) -> Underspend:
        return Underspend(retained=amount)


UnderspendRule = Return | CarryForward | Retain
