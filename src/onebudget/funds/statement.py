"""The year-end memorandum account of each partner and the payments that settle the fund
(the settlement as ledger transactions is ``journal.settlement_transactions``).

Signs: a partner's ``settlement`` is what it pays (positive) or receives (negative). The
host holds the pool, so pooled settlements are paid to or by the host; charge-backs on
aligned budgets are paid by one partner to the other directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from onebudget.funds.settlement import Settlement
from onebudget.money import ZERO


@dataclass(frozen=True)
class Memorandum:
    partner: str
    contributions: Decimal  # pooled, agreed for the year with every variation
    overspend_share: Decimal  # additional contribution to pooled overspends
    underspend_returned: Decimal
    reserve_used: Decimal  # drawn from its payment into the risk reserve
    aligned_budget: Decimal
    aligned_spend: Decimal
    charge_backs: Decimal  # paid (+) or received (-) for aligned spend

    @property
    def pooled_expenditure(self) -> Decimal:
        """Its share of what the pool spent: what it put in, plus its share of overspends and
        the reserve used, less what comes back."""
        return (
            self.contributions + self.overspend_share + self.reserve_used - self.underspend_returned
        )

    @property
    def settlement(self) -> Decimal:
        return self.overspend_share - self.underspend_returned + self.charge_backs


def memoranda(result: Settlement) -> list[Memorandum]:
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for s in result.schemes:
        for p, v in s.contributions.items():
            sums[p]["contributions"] += v
        for p, v in s.overspend.shares.items():
            sums[p]["overspend_share"] += v
        for p, v in s.underspend.returned.items():
            sums[p]["underspend_returned"] += v
    for p, v in result.reserve_used.items():
        sums[p]["reserve_used"] += v
    for a in result.aligned:
        for p, v in a.budgets.items():
            sums[p]["aligned_budget"] += v
        for p, v in a.spend.items():
            sums[p]["aligned_spend"] += v
        for payer, spender, amount in a.charge_backs:
            sums[payer]["charge_backs"] += amount
            sums[spender]["charge_backs"] -= amount
    fields = Memorandum.__dataclass_fields__
    return [
        Memorandum(p, **{f: sums[p][f] for f in fields if f != "partner"})
        for p in result.agreement.partner_codes
    ]


def payments(result: Settlement) -> list[tuple[str, str, Decimal]]:
    """(payer, payee, amount) between different partners, netted pair by pair."""
    host = result.agreement.host
    owed: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for s in result.schemes:
        for p, v in s.overspend.shares.items():
            owed[(p, host)] += v
        for p, v in s.underspend.returned.items():
            owed[(host, p)] += v
    for a in result.aligned:
        for payer, spender, amount in a.charge_backs:
            owed[(payer, spender)] += amount
    net: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for (payer, payee), v in owed.items():
        if payer != payee:
            first, second = sorted((payer, payee))
            net[(first, second)] += v if payer == first else -v
    return [
        (first, second, v) if v > 0 else (second, first, -v)
        for (first, second), v in sorted(net.items())
        if v
    ]
