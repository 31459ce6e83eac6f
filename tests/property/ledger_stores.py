"""The two stores a fund's ledger is kept in, for properties run against both: the
library's memory and the service's database (a fresh fund each time, so each Hypothesis
example starts with empty books without rolling the database back)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

from onebudget.funds.ledger import Ledger

LedgerFactory = Callable[[], Ledger]
_funds = count(1)


def in_memory() -> Ledger:
    return Ledger()


def in_the_database(world: object) -> LedgerFactory:
    """Ledgers over new funds of the ``world`` fixture's first place, posted by Alice."""
    from onebudget_web.funds.ledger_store import DjangoLedgerStore
    from onebudget_web.funds.models import Fund

    def fresh() -> Ledger:
        n = next(_funds)
        fund = Fund.objects.create(
            place=world.place_a,  # type: ignore[attr-defined]
            code=f"property-books-{n}",
            name=f"Property books {n}",
            financial_year=2025,
            host=world.org_a,  # type: ignore[attr-defined]
        )
        return Ledger(DjangoLedgerStore(fund, by=world.alice))  # type: ignore[attr-defined]

    return fresh
