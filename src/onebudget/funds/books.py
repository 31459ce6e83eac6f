"""What the ledger's balances say, read through the chart of accounts: the year's outturn
for the settlement, which budgets have reported spend, and each scheme's money received and
spent. ``books`` is the ledger's balance by account string (``Ledger.balances()``, or the
service's query of the same).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal

from onebudget.funds.accounts import Account, Kind, aligned_spend, expenditure, parse
from onebudget.funds.agreement import Agreement
from onebudget.funds.settlement import Outturn
from onebudget.money import ZERO

Books = Mapping[str, Decimal]


def typed(books: Books) -> dict[Account, Decimal]:
    """The balances by account; a string outside the chart is an ``AccountError``."""
    return {parse(name): amount for name, amount in books.items()}


def reported_spend(agreement: Agreement, books: Books) -> set[tuple[str, str | None]]:
    """``(scheme, partner)`` with spend in the ledger (partner ``None`` for pooled spend)."""
    found: set[tuple[str, str | None]] = set()
    for s in agreement.schemes:
        if s.budget == "pooled" and str(expenditure(s.code)) in books:
            found.add((s.code, None))
        for p in agreement.partner_codes if s.budget == "aligned" else []:
            if str(aligned_spend(s.code, p)) in books:
                found.add((s.code, p))
    return found


def outturn(agreement: Agreement, books: Books, nil: Collection[str] = ()) -> Outturn:
    """The year's spend from the ledger; a pooled scheme without spend is missing (``settle``
    refuses it) unless declared ``nil``."""
    pooled = {
        s.code: books.get(str(expenditure(s.code)), ZERO)
        for s in agreement.schemes
        if s.budget == "pooled" and (str(expenditure(s.code)) in books or s.code in nil)
    }
    aligned = {
        s.code: {
            p: books[str(aligned_spend(s.code, p))]
            for p in agreement.partner_codes
            if str(aligned_spend(s.code, p)) in books
        }
        for s in agreement.schemes
        if s.budget == "aligned"
    }
    return Outturn(pooled, aligned)


def received(accounts: Mapping[Account, Decimal], scheme: str) -> Decimal:
    """What the partners have paid into a scheme (contributions are credits). ``accounts``:
    the balances by account (``typed``), read once for every scheme."""
    return -_sum(accounts, scheme, {Kind.CONTRIBUTION})


def spent(accounts: Mapping[Account, Decimal], scheme: str) -> Decimal:
    """A scheme's spending: pooled expenditure and every partner's aligned spend."""
    return _sum(accounts, scheme, {Kind.EXPENDITURE, Kind.ALIGNED_SPEND})


def _sum(accounts: Mapping[Account, Decimal], scheme: str, kinds: set[Kind]) -> Decimal:
    return sum((v for a, v in accounts.items() if a.scheme == scheme and a.kind in kinds), ZERO)
