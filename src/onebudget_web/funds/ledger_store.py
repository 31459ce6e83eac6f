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
from django.db.models import Lookup, Q, QuerySet
from django.utils import timezone

from onebudget.funds.ledger import Ledger, Transaction
from onebudget.funds.ledger_store import REVISION
from onebudget.funds.months import month_key
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
        for rows in _keyed(self.fund.transactions.all(), keys):
            for row in rows.prefetch_related("entries").select_related("reverses"):
                found[row.key] = as_record(row)
        return found

    def reversed_among(self, keys: Collection[str]) -> set[str]:
        found: set[str] = set()
        for rows in _keyed(self.fund.transactions.filter(reversed_by__isnull=False), keys):
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


class AnyOf(Lookup):
    """``key = ANY(%s)`` with the keys sent as one array (PostgreSQL): one parameter, which
    the planner answers from the (fund, key) index, where a list of 10,000 placeholders is
    planned as a scan of the whole table (benchmarks/fund_ledger.py)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


LedgerTransaction._meta.get_field("key").register_lookup(AnyOf)


def _keyed(rows: QuerySet[LedgerTransaction], keys: Collection[str]) -> Iterator[QuerySet[Any]]:
    """``rows`` narrowed to ``keys``: one query on PostgreSQL, else ``CHUNK`` keys a query
    (SQLite's limit on parameters)."""
    if connection.vendor == "postgresql":
        yield rows.filter(key__any_of=list(keys))
        return
    items = list(keys)
    for i in range(0, len(items), CHUNK):
        yield rows.filter(key__in=items[i : i + CHUNK])


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
    for rows in _keyed(fund.transactions.all(), keys):
        found.update(rows.values_list("key", "pk"))
    return found
