"""Posting to a fund's ledger: the library's ``Ledger`` (which checks every rule) over the
fund's rows (``ledger_store``), with the fund's row locked and the posting audited.

Balanced, whole pence, no closed period, a key used once (the same content again is no
change, so an import can be re-run), reversals that mirror their original, and a key whose
posting was reversed posted again as its next revision (how a figure is corrected): all
the library's rules, none repeated here. A batch is all or nothing. The fund's row is
locked while posting, so concurrent postings to one fund are applied one after another.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from onebudget.funds.ledger import Ledger, Transaction
from onebudget.roles import Permission
from onebudget_web.accounts.models import User
from onebudget_web.audit.log import record
from onebudget_web.funds.access import require
from onebudget_web.funds.ledger_store import DjangoLedgerStore, lock, year_end
from onebudget_web.funds.models import ActualsImport, Fund, PostedSettlement, PostingSource

Source = ActualsImport | PostedSettlement


@transaction.atomic
def post_transactions(
    *, by: User, fund: Fund, transactions: Sequence[Transaction], source: Source | None = None
) -> int:
    """Post a batch (all or nothing); returns how many were new. ``source``: the actuals file
    or settlement the new transactions belong to, so they can be reversed together."""
    require(by, fund.host, Permission.POST_TO_POOL, "Posting to the fund")
    lock(fund)
    store = DjangoLedgerStore(fund, by=by)
    ledger = Ledger(store)
    new, errors = ledger.apply(ledger.as_revisions(transactions, end=year_end(fund)))
    if errors:
        raise ValidationError([str(e) for e in errors])
    if source is not None:
        _link(source, [store.ids[tx.key] for tx in new])
    if new:
        record(
            by=by,
            action="fund.posted",
            obj=fund,
            organisation=fund.host,
            detail={"transactions": len(new), "first": new[0].key, "last": new[-1].key},
        )
    return len(new)


def _link(source: Source, ids: list[int]) -> None:
    field = "actuals" if isinstance(source, ActualsImport) else "settlement"
    PostingSource.objects.bulk_create(
        [PostingSource(transaction_id=pk, **{field: source}) for pk in ids], batch_size=5000
    )
