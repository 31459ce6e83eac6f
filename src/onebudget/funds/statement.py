"""The year-end memorandum account of each partner, the payments that settle the fund, and
the settlement as ledger transactions (so the books and the statement can be reconciled).

Signs: a partner's ``settlement`` is what it pays (positive) or receives (negative). The
host holds the pool, so pooled settlements are paid to or by the host; charge-backs on
aligned budgets are paid by one partner to the other directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onebudget.funds.ledger import Posting, Transaction
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


def journal(result: Settlement, on: date) -> list[Transaction]:
    """The year-end settlement as balanced transactions, one per pooled scheme."""
    out = []
    for s in result.schemes:
        code = s.scheme
        legs: list[Posting] = []
        if s.cascade:
            legs += [Posting(f"{code}:cascade", -s.cascade), Posting("cascade", s.cascade)]
        if s.reserve:
            legs += [Posting(f"{code}:reserve", -s.reserve), Posting("reserve-used", s.reserve)]
        for p, v in s.overspend.shares.items():
            legs += [Posting(f"{code}:overspend:{p}", -v), Posting(f"due:{p}", v)]
        if s.overspend.held:
            held = s.overspend.held
            legs += [Posting(f"{code}:held", -held), Posting("held-for-decision", held)]
        for p, v in s.underspend.returned.items():
            legs += [Posting(f"{code}:returned:{p}", v), Posting(f"due:{p}", -v)]
        for name, v in (
            ("carried-forward", s.underspend.carried_forward),
            ("retained", s.underspend.retained),
        ):
            if v:
                legs += [Posting(f"{code}:{name}", v), Posting(name, -v)]
        legs = [leg for leg in legs if leg.amount]
        if legs:
            key = f"settlement:{result.agreement.id}:{code}"
            out.append(Transaction(key, on, f"Year-end settlement of {code}", tuple(legs)))
    return out
