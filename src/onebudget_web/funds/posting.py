"""Posting to a fund's ledger: the library's rules (``onebudget.funds.ledger``) applied
against what the database already holds.

Balanced, whole pence, no closed period, a key used once (the same content again is no
change, so an import can be re-run), reversals that mirror their original, and a key whose
posting was reversed posted again as its next revision (how a figure is corrected). A batch
is all or nothing. The fund's row is locked while posting, so concurrent postings to one
fund are applied one after another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from onebudget.funds.ledger import (
    REVISION,
    Transaction,
    as_revision,
    period_of,
    problems,
    reversal_problems,
    revision,
)
from onebudget.money import to_pence
from onebudget.roles import Permission
from onebudget_web.accounts.models import User
from onebudget_web.audit.log import record
from onebudget_web.funds.access import require
from onebudget_web.funds.models import (
    ActualsImport,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    PostedSettlement,
    PostingSource,
)
from onebudget_web.funds.selectors import as_record

Source = ActualsImport | PostedSettlement


@transaction.atomic
def post_transactions(
    *, by: User, fund: Fund, transactions: Sequence[Transaction], source: Source | None = None
) -> int:
    """Post a batch (all or nothing); returns how many were new. ``source``: the actuals file
    or settlement the new transactions belong to, so they can be reversed together."""
    require(by, fund.host, Permission.POST_TO_POOL, "Posting to the fund")
    Fund.objects.select_for_update().get(pk=fund.pk)
    new, errors = _check_batch(fund, _as_revisions(fund, transactions))
    if errors:
        raise ValidationError(errors)
    ids = _insert(fund, new, by)
    if source is not None:
        _link(source, [ids[tx.key] for tx in new])
    if new:
        record(
            by=by,
            action="fund.posted",
            obj=fund,
            organisation=fund.host,
            detail={"transactions": len(new), "first": new[0].key, "last": new[-1].key},
        )
    return len(new)


def year_end(fund: Fund) -> date:
    """The day after the fund's financial year ends."""
    return date(fund.financial_year + 1, 4, 1)


def _as_revisions(fund: Fund, batch: Sequence[Transaction]) -> list[Transaction]:
    """Each transaction under the key the library says it takes now (its latest revision,
    or the next once that is reversed). Only keys reversed before have revisions, so the
    second query is small."""
    bases = [tx.key for tx in batch if not tx.reverses]
    reversed_bases = set(
        fund.transactions.filter(key__in=bases, reversed_by__isnull=False).values_list(
            "key", flat=True
        )
    )
    if not reversed_bases:
        return list(batch)
    wanted = Q()
    for base in reversed_bases:
        wanted |= Q(key=base) | Q(key__startswith=f"{base}{REVISION}")
    rows = fund.transactions.filter(wanted)
    earlier: dict[str, list[Transaction]] = defaultdict(list)
    for row in rows.prefetch_related("entries").select_related("reverses"):
        earlier[revision(row.key)[0]].append(as_record(row))
    undone = set(rows.filter(reversed_by__isnull=False).values_list("key", flat=True))
    closed = set(fund.closed_periods.values_list("period", flat=True))
    return [
        tx
        if tx.reverses or tx.key not in reversed_bases
        else as_revision(tx, earlier[tx.key], undone, closed=closed, end=year_end(fund))
        for tx in batch
    ]


def _check_batch(fund: Fund, batch: Sequence[Transaction]) -> tuple[list[Transaction], list[str]]:
    keys = [tx.key for tx in batch] + [tx.reverses for tx in batch if tx.reverses]
    stored = {
        row.key: row
        for row in fund.transactions.filter(key__in=keys)
        .prefetch_related("entries")
        .select_related("reverses")
    }
    reversed_keys = set(
        fund.transactions.filter(reverses__key__in=keys).values_list("reverses__key", flat=True)
    )
    closed = set(fund.closed_periods.values_list("period", flat=True))
    errors: list[str] = []
    new: list[Transaction] = []
    seen: dict[str, Transaction] = {}
    for tx in batch:
        if tx.key in stored or tx.key in seen:
            known = as_record(stored[tx.key]) if tx.key in stored else seen[tx.key]
            if known != tx:
                errors.append(f"{tx.key}: already posted with different content; reverse it first")
            continue
        found = problems(tx)
        if period_of(tx.on) in closed:
            found.append(f"period {period_of(tx.on)} is closed")
        if tx.reverses:
            found += _reversal(tx, stored, seen, reversed_keys)
        errors += [f"{tx.key}: {p}" for p in found]
        seen[tx.key] = tx
        new.append(tx)
    return new, errors


def _reversal(
    tx: Transaction, stored: dict[str, Any], seen: dict[str, Transaction], done: set[str]
) -> list[str]:
    """The library's reversal rules, against what is stored and what this batch posts."""
    original = (
        as_record(stored[tx.reverses]) if tx.reverses in stored else seen.get(tx.reverses or "")
    )
    already = tx.reverses in done or any(t.reverses == tx.reverses for t in seen.values())
    return reversal_problems(tx, original, already=already)


def _link(source: Source, ids: list[int]) -> None:
    field = "actuals" if isinstance(source, ActualsImport) else "settlement"
    PostingSource.objects.bulk_create(
        [PostingSource(transaction_id=pk, **{field: source}) for pk in ids], batch_size=5000
    )


def _insert(fund: Fund, new: list[Transaction], by: User) -> dict[str, int]:
    """Originals first, then reversals (which point at them): rows are never updated.
    Returns the new rows' ids by key.

    Multi-row INSERTs of plain values rather than model instances: a million postings
    through the ORM spend most of their time building objects, and one statement per row
    most of theirs in round trips (benchmarks/fund_ledger.py)."""
    now = timezone.now()
    ids: dict[str, int] = {}
    with connection.cursor() as cursor:
        for wave in ([tx for tx in new if not tx.reverses], [tx for tx in new if tx.reverses]):
            ids |= _ids(
                fund, [tx.reverses for tx in wave if tx.reverses and tx.reverses not in ids]
            )
            rows = [
                (
                    fund.pk,
                    tx.key,
                    tx.on,
                    period_of(tx.on),
                    tx.description[:300],
                    ids[tx.reverses] if tx.reverses else None,
                    by.pk,
                    now,
                )
                for tx in wave
            ]
            _insert_rows(cursor, LedgerTransaction, TX_COLUMNS, rows)
            ids |= _ids(fund, [tx.key for tx in wave])
        entries = [(ids[tx.key], p.account, to_pence(p.amount)) for tx in new for p in tx.postings]
        _insert_rows(cursor, LedgerEntry, ENTRY_COLUMNS, entries)
    return ids


TX_COLUMNS = (
    "fund_id",
    "key",
    "on",
    "period",
    "description",
    "reverses_id",
    "posted_by_id",
    "posted_at",
)
ENTRY_COLUMNS = ("transaction_id", "account", "pence")


def _insert_rows(
    cursor: Any, model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY on PostgreSQL (row triggers still fire), else INSERTs of 500 rows. Names come
    from the models; every value is sent as data, never as SQL."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(chunk))  # noqa: S608
        cursor.execute(sql, [value for row in chunk for value in row])


def _ids(fund: Fund, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(keys), 5000):
        rows = fund.transactions.filter(key__in=keys[i : i + 5000]).values_list("key", "pk")
        found.update(rows)
    return found
