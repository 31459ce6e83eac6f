"""A contract's statements as payments out of the fund that pays it (ADR 0023).

The contract engines (``onebudget.contracts``) and the fund's books (``onebudget.funds``)
know nothing of each other; this is where one meets the other. Pure: no database, so the
property that posting keeps a fund's ledger balanced runs on the library's own ledger.
"""

from __future__ import annotations

from collections.abc import Sequence

from onebudget.contracts.model import Contract
from onebudget.contracts.periods import Period
from onebudget.contracts.statement import Statement
from onebudget.funds.payments import Payment


def payment_key(contract: str, period: str, provider: str) -> str:
    """The ledger key of one provider's payment for one period: posting it again is a no-op."""
    return f"contract:{contract}:{period}:{provider}"


def payments_of(
    contract: Contract, period: Period, statements: Sequence[Statement]
) -> list[Payment]:
    """Each statement as a payment from the contract's scheme on the period's last day.
    An aligned scheme is paid from the budget of the contract's first commissioner."""
    if contract.funding is None:
        return []
    return [
        Payment(
            key=payment_key(contract.id, period.label, s.provider.code),
            on=period.end,
            scheme=contract.funding.scheme,
            amount=s.total,
            description=f"{contract.name}: {s.provider.name}, {period}",
            payer=contract.commissioners[0].code,
        )
        for s in statements
    ]
