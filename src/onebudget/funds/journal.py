"""The pooled fund's year as balanced ledger transactions: partners' instalments in, monthly
actuals out, and the year-end settlement.

Every transaction's key is made from what it records (scheme, partner, month), so posting
the same figures twice has one effect, and a changed figure for a posted month is refused by
the ledger until the first is reversed. Accounts come from the chart (``accounts``), never
spelt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from onebudget.funds.accounts import (
    Account,
    Kind,
    aligned_memo,
    aligned_spend,
    bank,
    contribution,
    expenditure,
)
from onebudget.funds.agreement import Agreement
from onebudget.funds.ledger import Posting, Transaction
from onebudget.funds.monitoring import MonthlyFigure, instalments
from onebudget.funds.settlement import SchemeResult, Settlement
from onebudget.periods import month_end


def leg(account: Account, amount: Decimal) -> Posting:
    """A posting to an account of the chart."""
    return Posting(str(account), amount)


def instalment_transactions(agreement: Agreement) -> list[Transaction]:
    """Each partner's contributions to each pooled scheme, paid into the pool's bank on the
    agreement's schedule (``monitoring.instalments``)."""
    txs = []
    for scheme in (s for s in agreement.schemes if s.budget == "pooled"):
        for partner in agreement.contributions(scheme.code):
            for n, (day, amount) in enumerate(instalments(agreement, scheme.code, partner), 1):
                if amount:
                    legs = (
                        leg(bank(), amount),
                        leg(contribution(scheme.code, partner), -amount),
                    )
                    text = f"Instalment {n} from {partner} to {scheme.code}"
                    key = f"instalment:{scheme.code}:{partner}:{n}"
                    txs.append(Transaction(key, day, text, legs))
    return txs


def actual_transactions(
    agreement: Agreement, figures: Sequence[MonthlyFigure]
) -> list[Transaction]:
    """Pooled spending leaves the pool's bank; aligned spending is recorded as a memorandum
    (it stays in the partner's own books) so the settlement can read it from the ledger."""
    txs = []
    for f in (f for f in figures if f.actual):
        on = month_end(agreement.financial_year, f.month)
        if f.partner is None:
            legs = (leg(expenditure(f.scheme), f.actual), leg(bank(), -f.actual))
            key = f"actual:{f.scheme}:{on:%Y-%m}"
        else:
            legs = (
                leg(aligned_spend(f.scheme, f.partner), f.actual),
                leg(aligned_memo(f.partner), -f.actual),
            )
            key = f"actual:{f.scheme}:{f.partner}:{on:%Y-%m}"
        txs.append(Transaction(key, on, f"Actual spend, {f.scheme}, {on:%B %Y}", legs))
    return txs


def settlement_transactions(result: Settlement, on: date) -> list[Transaction]:
    """The year-end settlement as balanced transactions, one per pooled scheme."""
    out = []
    for s in result.schemes:
        legs = [p for p in _settlement_legs(s) if p.amount]
        if legs:
            key = f"settlement:{result.agreement.id}:{s.scheme}"
            out.append(Transaction(key, on, f"Year-end settlement of {s.scheme}", tuple(legs)))
    return out


def _settlement_legs(s: SchemeResult) -> list[Posting]:
    code = s.scheme

    def pair(
        kind: Kind, pool: Account, amount: Decimal, partner: str | None = None
    ) -> list[Posting]:
        """The scheme's side of a movement and the fund's side, which balances it."""
        return [leg(Account(kind, code, partner), amount), leg(pool, -amount)]

    legs: list[Posting] = []
    if s.cascade:
        legs += pair(Kind.CASCADE, Account(Kind.CASCADE), -s.cascade)
    if s.reserve:
        legs += pair(Kind.RESERVE, Account(Kind.RESERVE_USED), -s.reserve)
    for p, v in s.overspend.shares.items():
        legs += pair(Kind.OVERSPEND, Account(Kind.DUE, partner=p), -v, p)
    if s.overspend.held:
        legs += pair(Kind.HELD, Account(Kind.HELD_FOR_DECISION), -s.overspend.held)
    for p, v in s.underspend.returned.items():
        legs += pair(Kind.RETURNED, Account(Kind.DUE, partner=p), v, p)
    for kind, v in (
        (Kind.CARRIED_FORWARD, s.underspend.carried_forward),
        (Kind.RETAINED, s.underspend.retained),
    ):
        if v:
            legs += pair(kind, Account(kind), v)
    return legs
