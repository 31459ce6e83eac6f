"""Year-end settlement of a pooled fund, to the penny.

For each pooled scheme the variance (expenditure less contributions) is found. With the
agreement's cascade, overspends are first met from other schemes' underspends, then from
the risk reserve, and only then shared by the scheme's risk-share rule; what is left of
each underspend is treated by its own clause. Aligned schemes are not shared: each partner
keeps its own variance, and charge-backs bill the agreed share of one partner's spend to
another. Every split is made with ``money.allocate``, so every figure adds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from onebudget.funds import riskshare as rs
from onebudget.funds.agreement import Agreement
from onebudget.money import ZERO, allocate


class SettlementError(ValueError):
    pass


@dataclass(frozen=True)
class Outturn:
    """Expenditure for the year: pooled schemes in total, aligned schemes by partner."""

    pooled: Mapping[str, Decimal] = field(default_factory=dict)
    aligned: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class SchemeResult:
    scheme: str
    contributions: Mapping[str, Decimal]
    expenditure: Decimal
    cascade: Decimal = ZERO  # met from (+) or given to (-) other schemes
    reserve: Decimal = ZERO  # met from the risk reserve
    overspend: rs.Allocation = field(default_factory=lambda: rs.Allocation({}))
    underspend: rs.Underspend = field(default_factory=rs.Underspend)

    @property
    def budget(self) -> Decimal:
        return sum(self.contributions.values(), ZERO)

    @property
    def variance(self) -> Decimal:
        """Positive for an overspend."""
        return self.expenditure - self.budget


@dataclass(frozen=True)
class AlignedResult:
    scheme: str
    budgets: Mapping[str, Decimal]
    spend: Mapping[str, Decimal]
    charge_backs: tuple[tuple[str, str, Decimal], ...] = ()  # (payer, spender, amount)

    def variance(self, partner: str) -> Decimal:
        return self.spend.get(partner, ZERO) - self.budgets.get(partner, ZERO)


@dataclass(frozen=True)
class Settlement:
    agreement: Agreement
    schemes: tuple[SchemeResult, ...]
    aligned: tuple[AlignedResult, ...]
    reserve_used: Mapping[str, Decimal]  # by the partner that paid it in

    def scheme(self, code: str) -> SchemeResult:
        return next(s for s in self.schemes if s.scheme == code)


def settle(agreement: Agreement, outturn: Outturn) -> Settlement:
    pooled = [s.code for s in agreement.schemes if s.budget == "pooled"]
    missing = [c for c in pooled if c not in outturn.pooled]
    unknown = sorted(set(outturn.pooled) - set(pooled))
    if missing or unknown:
        said = [f"no expenditure for {', '.join(missing)}"] if missing else []
        said += [f"{', '.join(unknown)}: not pooled schemes of the agreement"] if unknown else []
        raise SettlementError("; ".join(said))
    variances = {
        c: outturn.pooled[c] - sum(agreement.contributions(c).values(), ZERO) for c in pooled
    }
    cascade: dict[str, Decimal] = dict.fromkeys(pooled, ZERO)
    reserve: dict[str, Decimal] = dict.fromkeys(pooled, ZERO)
    reserve_used: dict[str, Decimal] = {}
    if agreement.cascade:
        cascade = _offset(variances)
        after_cascade = {c: variances[c] - cascade[c] for c in pooled}
        reserve, reserve_used = _from_reserve(after_cascade, agreement.risk_reserve)
    results = []
    for code in pooled:
        left = variances[code] - cascade[code] - reserve[code]
        terms = agreement.terms(code)
        over = agreement.overspend_rule(code).share(left, terms) if left > 0 else rs.Allocation({})
        under = agreement.underspend_rule(code).treat(-left, terms) if left < 0 else rs.Underspend()
        results.append(
            SchemeResult(
                code,
                agreement.contributions(code),
                outturn.pooled[code],
                cascade[code],
                reserve[code],
                over,
                under,
            )
        )
    aligned = tuple(_aligned(agreement, code, outturn) for code in _aligned_codes(agreement))
    return Settlement(agreement, tuple(results), aligned, reserve_used)


def _offset(variances: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Overspends met from underspends: each side shares the offset in proportion to its
    own over- or underspend. Positive: received; negative: given."""
    overs = {c: v for c, v in variances.items() if v > 0}
    unders = {c: -v for c, v in variances.items() if v < 0}
    total = min(sum(overs.values(), ZERO), sum(unders.values(), ZERO))
    moved = dict.fromkeys(variances, ZERO)
    if total <= 0:
        return moved
    for code, part in zip(overs, allocate(total, list(overs.values())), strict=True):
        moved[code] = part
    for code, part in zip(unders, allocate(total, list(unders.values())), strict=True):
        moved[code] = -part
    return moved


def _from_reserve(
    left: Mapping[str, Decimal], reserve: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Remaining overspends met from the risk reserve, as far as it goes; the reserve used is
    drawn from each partner's payment into it in proportion."""
    overs = {c: v for c, v in left.items() if v > 0}
    held = sum(reserve.values(), ZERO)
    total = min(sum(overs.values(), ZERO), held)
    used = dict.fromkeys(left, ZERO)
    if total <= 0:
        return used, {}
    for code, part in zip(overs, allocate(total, list(overs.values())), strict=True):
        used[code] = part
    payers = sorted(p for p, v in reserve.items() if v > 0)
    drawn = allocate(total, [reserve[p] for p in payers])
    return used, dict(zip(payers, drawn, strict=True))


def _aligned_codes(agreement: Agreement) -> list[str]:
    return [s.code for s in agreement.schemes if s.budget == "aligned"]


def _aligned(agreement: Agreement, code: str, outturn: Outturn) -> AlignedResult:
    budgets = agreement.contributions(code)
    spend = dict(outturn.aligned.get(code, {}))
    unknown = sorted(set(spend) - set(agreement.partner_codes))
    if unknown:
        raise SettlementError(f"{code}: spend by {unknown}, who are not partners")
    bills = []
    for c in agreement.charge_backs:
        if c.scheme == code:
            amount = allocate(spend.get(c.spender, ZERO), [c.percent, 100 - c.percent])[0]
            bills.append((c.payer, c.spender, amount))
    return AlignedResult(code, budgets, spend, tuple(bills))
