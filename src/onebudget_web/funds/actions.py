"""Writes to pooled funds: each checks permission, runs in one transaction and is audited.

Posting follows the library's ledger rules (``onebudget.funds.ledger``) against what the
database already holds: balanced, whole pence, no closed period, a key used once (the same
content again is no change, so an import can be re-run), reversals that mirror their
original. A batch is all or nothing. The fund row is locked while posting, so concurrent
postings to one fund are applied one after another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from onebudget.funds.agreement import AgreementError
from onebudget.funds.ledger import Transaction, period_of, problems, reversal_problems
from onebudget.funds.validation import load_agreement
from onebudget.money import to_pence
from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import record
from onebudget_web.funds.models import (
    AgreementVersion,
    ClosedPeriod,
    Fund,
    LedgerEntry,
    LedgerTransaction,
)
from onebudget_web.funds.selectors import as_record
from onebudget_web.places.models import Place


def _require(by: User, organisation: Organisation, permission: Permission, what: str) -> None:
    if not has_permission(by, organisation, permission):
        raise PermissionDenied(
            f"{what} needs the {permission.value} permission at {organisation.code}"
        )


@transaction.atomic
def create_fund(*, by: User, place: Place, text: str, source: str = "agreement.yaml") -> Fund:
    """A fund from its agreement file; its partners must be partners of the place."""
    try:
        agreement = load_agreement(text, source=source)
    except AgreementError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    codes = agreement.partner_codes
    found = {o.code: o for o in place.partners.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError([f"partners: {c}: not a partner of {place.name}" for c in missing])
    host = found[agreement.host]
    _require(by, host, Permission.POST_TO_POOL, "Setting up a pooled fund")
    code = slugify(agreement.id)
    if Fund.objects.filter(code=code).exists():
        raise ValidationError([f"id: {agreement.id}: a fund with this id already exists"])
    fund = Fund.objects.create(
        place=place,
        code=code,
        name=agreement.name,
        financial_year=agreement.financial_year,
        host=host,
    )
    fund.partners.set(found.values())
    AgreementVersion.objects.create(fund=fund, number=1, text=text, recorded_by=by, note="Agreed")
    record(by=by, action="fund.created", obj=fund, organisation=host, detail={"fund": code})
    return fund


@transaction.atomic
def record_variation(*, by: User, fund: Fund, text: str, note: str) -> AgreementVersion:
    """A new version of the agreement (the same id, partners, host and year)."""
    _require(by, fund.host, Permission.POST_TO_POOL, "Recording a variation")
    try:
        agreement = load_agreement(text, source=f"{fund.code} variation")
    except AgreementError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    same = (
        slugify(agreement.id) == fund.code
        and agreement.host == fund.host.code
        and agreement.financial_year == fund.financial_year
        and set(agreement.partner_codes) == set(fund.partners.values_list("code", flat=True))
    )
    if not same:
        raise ValidationError(["a variation keeps the agreement's id, host, partners and year"])
    number = fund.versions.count() + 1
    version = AgreementVersion.objects.create(
        fund=fund, number=number, text=text, recorded_by=by, note=note
    )
    record(
        by=by,
        action="fund.varied",
        obj=fund,
        organisation=fund.host,
        detail={"version": number, "note": note},
    )
    return version


@transaction.atomic
def post_transactions(*, by: User, fund: Fund, transactions: Sequence[Transaction]) -> int:
    """Post a batch (all or nothing); returns how many were new."""
    _require(by, fund.host, Permission.POST_TO_POOL, "Posting to the fund")
    Fund.objects.select_for_update().get(pk=fund.pk)
    new, errors = _check_batch(fund, transactions)
    if errors:
        raise ValidationError(errors)
    _insert(fund, new, by)
    if new:
        record(
            by=by,
            action="fund.posted",
            obj=fund,
            organisation=fund.host,
            detail={"transactions": len(new), "first": new[0].key, "last": new[-1].key},
        )
    return len(new)


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


def _insert(fund: Fund, new: list[Transaction], by: User) -> None:
    """Originals first, then reversals (which point at them): rows are never updated.

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


@transaction.atomic
def close_period(*, by: User, fund: Fund, period: str) -> ClosedPeriod:
    _require(by, fund.host, Permission.POST_TO_POOL, "Closing a period")
    Fund.objects.select_for_update().get(pk=fund.pk)
    closed, created = ClosedPeriod.objects.get_or_create(
        fund=fund, period=period, defaults={"closed_by": by}
    )
    if created:
        record(
            by=by,
            action="fund.period_closed",
            obj=fund,
            organisation=fund.host,
            detail={"period": period},
        )
    return closed
