"""A fund's ledger rows as the library's ``LedgerStore``: the service posts through the
library's ``Ledger`` (which checks every rule) over this store (which only reads and
writes rows). The database's triggers refuse the same things again (migration 0002).

Write inside a database transaction after ``lock``: concurrent postings to one fund are
then applied one after another, each against what the one before it wrote.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from onebudget.funds.ledger import Ledger, Transaction, month_key
from onebudget.funds.ledger_store import REVISION
from onebudget.money import to_pence
from onebudget_web.accounts.models import User
from onebudget_web.funds.models import ClosedPeriod, Fund, LedgerEntry, LedgerTransaction
from onebudget_web.funds.selectors import as_record, balances

CHUNK = 5000  # keys a query: well inside SQLite's limit on parameters


def lock(fund: Fund) -> None:
    """Lock the fund's row until the database transaction ends (``SELECT ... FOR UPDATE``)."""
    Fund.objects.select_for_update().get(pk=fund.pk)


def ledger_of(fund: Fund, *, by: User | None = None) -> Ledger:
    """The library's ledger over the fund's rows; ``by``: who posts or closes (writes)."""
    return Ledger(DjangoLedgerStore(fund, by=by))


def year_end(fund: Fund) -> date:
    """The day after the fund's financial year ends."""
    return date(fund.financial_year + 1, 4, 1)


class DjangoLedgerStore:
    """``LedgerStore`` over ``LedgerTransaction``, ``LedgerEntry`` and ``ClosedPeriod`` rows.
    ``ids``: the row id of each transaction this store appended, by key."""

    def __init__(self, fund: Fund, *, by: User | None = None) -> None:
        self.fund = fund
        self.by = by
        self.ids: dict[str, int] = {}

    def fetch(self, keys: Collection[str]) -> dict[str, Transaction]:
        found = {}
        for chunk in _chunks(keys):
            rows = self.fund.transactions.filter(key__in=chunk)
            for row in rows.prefetch_related("entries").select_related("reverses"):
                found[row.key] = as_record(row)
        return found

    def reversed_among(self, keys: Collection[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(keys):
            rows = self.fund.transactions.filter(key__in=chunk, reversed_by__isnull=False)
            found.update(rows.values_list("key", flat=True))
        return found

    def revisions(self, bases: Collection[str]) -> dict[str, list[Transaction]]:
        found: dict[str, list[Transaction]] = {base: [] for base in bases}
        wanted = Q(pk__in=[])
        for base in bases:
            wanted |= Q(key=base) | Q(key__startswith=f"{base}{REVISION}")
        rows = self.fund.transactions.filter(wanted).prefetch_related("entries")
        for row in rows.select_related("reverses"):
            for base in bases:
                if row.key == base or row.key.startswith(f"{base}{REVISION}"):
                    found[base].append(as_record(row))
        return found

    def closed_periods(self) -> frozenset[str]:
        return frozenset(self.fund.closed_periods.values_list("period", flat=True))

    def close(self, period: str) -> None:
        ClosedPeriod.objects.get_or_create(
            fund=self.fund, period=period, defaults={"closed_by": self._by()}
        )

    def append(self, batch: Sequence[Transaction]) -> None:
        self.ids |= _insert(self.fund, list(batch), self._by())

    def balances(self, prefix: str = "") -> dict[str, Decimal]:
        return balances(self.fund, prefix)

    def __iter__(self) -> Iterator[Transaction]:
        rows = self.fund.transactions.order_by("pk").prefetch_related("entries")
        return (as_record(row) for row in rows.select_related("reverses"))

    def __len__(self) -> int:
        return self.fund.transactions.count()

    def _by(self) -> User:
        if self.by is None:
            raise ValueError("writing to a fund's ledger needs the user who writes (by=)")
        return self.by


def _chunks(keys: Collection[str]) -> Iterator[list[str]]:
    """``CHUNK`` keys a query; 20,000 on PostgreSQL (no limit that low on parameters), which
    plans a list of thousands of keys as one scan of the whole table, costing the same for
    5,000 keys as for 10,000: a batch's keys in one query read the table once, not twice
    (benchmarks/fund_ledger.py)."""
    size = 20_000 if connection.vendor == "postgresql" else CHUNK
    items = list(keys)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _insert(fund: Fund, new: list[Transaction], by: User) -> dict[str, int]:
    """Originals first, then reversals (which point at them): rows are never updated.
    Returns the new rows' ids by key.

    Multi-row INSERTs of plain values rather than model instances: a million postings
    through the ORM spend most of their time building objects, and one statement per row
    most of theirs in round trips (benchmarks/fund_ledger.py). PostgreSQL gives the ids
    before the COPY; elsewhere they are looked up by key after the INSERTs."""
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
                    month_key(tx.on),
                    tx.description[:300],
                    ids[tx.reverses] if tx.reverses else None,
                    by.pk,
                    now,
                )
                for tx in wave
            ]
            given = _insert_rows(cursor, LedgerTransaction, TX_COLUMNS, rows, ids=True)
            keys = [tx.key for tx in wave]
            ids |= dict(zip(keys, given, strict=True)) if given else _ids(fund, keys)
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
    cursor: Any,
    model: Any,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    ids: bool = False,
) -> list[int]:
    """COPY on PostgreSQL (row and statement triggers still fire), else INSERTs of 500 rows.
    Names come from the models; every value is sent as data, never as SQL. ``ids``: on
    PostgreSQL, the rows' ids are drawn from the table's sequence first (one query) and
    returned in row order, sparing the caller a look-up by key after; else returns []."""
    table = connection.ops.quote_name(model._meta.db_table)
    given: list[int] = []
    if ids and rows and connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence(%s, 'id')::regclass)) "
            "FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        given = [pk for (pk,) in cursor.fetchall()]
        columns, rows = ("id", *columns), [(pk, *r) for pk, r in zip(given, rows, strict=True)]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return given
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(chunk))  # noqa: S608
        cursor.execute(sql, [value for row in chunk for value in row])
    return given


def _ids(fund: Fund, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        found.update(fund.transactions.filter(key__in=chunk).values_list("key", "pk"))
    return found
