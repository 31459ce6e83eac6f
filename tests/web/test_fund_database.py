"""The database keeps the ledger's rules even against raw SQL, and concurrent postings from
several processes end with the serial result (PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from onebudget.funds.ledger import Posting, Transaction
from onebudget.money import D
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds import actions, ledger_store, selectors, settlements
from onebudget_web.funds.models import (
    Fund,
    LedgerEntry,
    LedgerTransaction,
    PostedSettlement,
    Settlement,
)

ROOT = Path(__file__).resolve().parents[2]


def raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred checks now


def new_transaction(fund: Fund, key: str, on: date) -> int:
    manager = User.objects.get(username="pool-manager")
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO funds_ledgertransaction (fund_id, key, "on", period, description, '
            "posted_by_id, posted_at) VALUES (%s, %s, %s, %s, 'raw', %s, %s) RETURNING id",
            [fund.pk, key, on, f"{on:%Y-%m}", manager.pk, "2026-03-01T00:00:00+00:00"],
        )
        return int(cursor.fetchone()[0])


@transaction.atomic
def raw_transaction(fund: Fund, key: str, pence: list[int]) -> None:
    """Insert a transaction and its entries in raw SQL, then run the deferred checks."""
    tx = new_transaction(fund, key, date(2026, 3, 2))
    with connection.cursor() as cursor:
        for amount in pence:
            cursor.execute(
                "INSERT INTO funds_ledgerentry (transaction_id, account, pence) "
                "VALUES (%s, 'x', %s)",
                [tx, amount],
            )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgresql
def test_postgresql_accepts_a_balanced_transaction_in_raw_sql(fund: Fund) -> None:
    raw_transaction(fund, "raw-0", [100, -40, -60])
    assert LedgerTransaction.objects.get(key="raw-0").entries.count() == 3


@pytest.mark.postgresql
def test_postgresql_refuses_an_unbalanced_transaction_in_raw_sql(fund: Fund) -> None:
    with pytest.raises(IntegrityError, match="unbalanced"):
        raw_transaction(fund, "raw-1", [100, -99])
    assert not LedgerTransaction.objects.filter(key="raw-1").exists()


@pytest.mark.postgresql
def test_postgresql_refuses_a_transaction_with_no_entries(fund: Fund) -> None:
    with pytest.raises(IntegrityError, match="unbalanced"):
        raw_transaction(fund, "raw-2", [])


ENTRY = "INSERT INTO funds_ledgerentry (transaction_id, account, pence) VALUES (%s, 'x', %s)"
UNBALANCED = (
    "INSERT INTO funds_ledgerentry (transaction_id, account, pence) "
    "VALUES (%(tx)s, 'x', 100), (%(tx)s, 'y', -99)"
)


def fixture_checked() -> None:
    """Run the deferred checks still pending from the fixture's postings (made in the test's
    database transaction, which never commits), so only the test's own rows are left to
    check: otherwise the fixture's checks could refuse what the test's should."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def with_new_transaction(
    fund: Fund, key: str, *statements: str, immediate: bool = True, **params: object
) -> None:
    """Insert transaction ``key`` without entries, run ``statements`` (``%(tx)s``: its id),
    then the deferred checks (at commit if not ``immediate``)."""
    tx = new_transaction(fund, key, date(2026, 3, 2))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, {"tx": tx, **params})
        if immediate:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_at_commit_a_transaction_with_no_entries_or_unbalanced(
    fund: Fund,
) -> None:
    """Without ``SET CONSTRAINTS ALL IMMEDIATE``: the deferred check runs at COMMIT."""
    with pytest.raises(IntegrityError, match="0 entries summing to 0 pence"):
        with_new_transaction(fund, "raw-5", immediate=False)
    with pytest.raises(IntegrityError, match="2 entries summing to 1 pence"):
        with_new_transaction(fund, "raw-6", UNBALANCED, immediate=False)
    assert not LedgerTransaction.objects.filter(key__in=["raw-5", "raw-6"]).exists()


@pytest.mark.postgresql
def test_postgresql_refuses_an_entry_added_later_to_a_balanced_transaction(fund: Fund) -> None:
    fixture_checked()
    posted = LedgerEntry.objects.first().transaction
    count = posted.entries.count()
    with pytest.raises(IntegrityError, match=f"transaction {posted.pk} is unbalanced"):
        raw(ENTRY, [posted.pk, 1])
    assert posted.entries.count() == count


@pytest.mark.postgresql
def test_postgresql_checks_an_earlier_transaction_given_an_entry_beside_new_ones(
    fund: Fund,
) -> None:
    """An entry statement leaves out the transactions just queued by its database
    transaction (checked at commit anyway), and no others."""
    fixture_checked()
    posted = LedgerEntry.objects.first().transaction_id
    sql = (
        "INSERT INTO funds_ledgerentry (transaction_id, account, pence) "
        "VALUES (%(tx)s, 'x', 5), (%(tx)s, 'y', -5), (%(posted)s, 'x', 7)"
    )
    with pytest.raises(IntegrityError, match=f"transaction {posted} is unbalanced"):
        with_new_transaction(fund, "raw-7", sql, posted=posted)


@transaction.atomic
def copied(fund: Fund, batch: list[Transaction]) -> None:
    """Write ``batch`` as the store does (a COPY of the transactions, then one of their
    entries), past the library's checks, then run the deferred checks."""
    ledger_store._insert(fund, batch, User.objects.get(username="pool-manager"))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgresql
def test_postgresql_refuses_the_unbalanced_transaction_in_a_copied_batch(fund: Fund) -> None:
    fixture_checked()
    legs = (Posting("bank", D("1.00")), Posting("y", D("-1.00")))
    batch = [Transaction(f"copy-{n}", date(2026, 3, 2), "copy", legs) for n in range(100)]
    bad = (Posting("bank", D("1.00")), Posting("y", D("-0.99")))
    batch.insert(50, Transaction("copy-bad", date(2026, 3, 2), "copy", bad))
    with pytest.raises(IntegrityError, match="2 entries summing to 1 pence"):
        copied(fund, batch)
    assert not LedgerTransaction.objects.filter(key__startswith="copy-").exists()
    copied(fund, batch[:50])
    assert LedgerTransaction.objects.filter(key__startswith="copy-").count() == 50


@pytest.mark.postgresql
def test_postgresql_checks_a_queued_balance_whatever_is_done_to_the_queue(fund: Fund) -> None:
    """The check reads its queued row as inserted: deleting the row skips nothing, and
    changing it (which could hide transactions from a later entry statement) is refused."""
    fixture_checked()
    with pytest.raises(IntegrityError, match="unbalanced"):
        with_new_transaction(fund, "raw-8", "DELETE FROM funds_balance_check_queue")
    with pytest.raises(DatabaseError, match="append-only"):
        with_new_transaction(
            fund, "raw-9", "UPDATE funds_balance_check_queue SET transactions = '{}'"
        )


@pytest.mark.postgresql
def test_postgresql_refuses_a_period_that_is_not_the_month_of_the_date(fund: Fund) -> None:
    sql = (
        'INSERT INTO funds_ledgertransaction (fund_id, key, "on", period, description, '
        "posted_by_id, posted_at) VALUES (%s, 'raw-10', '2026-03-02', '2026-02', 'raw', %s, "
        "'2026-03-01T00:00:00+00:00')"
    )
    manager = User.objects.get(username="pool-manager")
    with pytest.raises(DatabaseError, match="not the month"):
        raw(sql, [fund.pk, manager.pk])


@pytest.mark.postgresql
def test_postgresql_refuses_deleting_a_posted_entry(fund: Fund) -> None:
    count = LedgerEntry.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM funds_ledgerentry WHERE id = %s", [LedgerEntry.objects.first().pk])
    assert LedgerEntry.objects.count() == count


def test_the_database_refuses_editing_a_posted_entry(fund: Fund) -> None:
    entry = LedgerEntry.objects.first()
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE funds_ledgerentry SET pence = pence + 1 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).pence == entry.pence


def test_the_database_refuses_posting_into_a_closed_period(fund: Fund) -> None:
    with pytest.raises(DatabaseError, match="closed"), transaction.atomic():
        new_transaction(fund, "raw-3", date(fund.financial_year, 6, 15))


WORKER = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "onebudget_web.settings.test"
django.setup()
from datetime import date
from onebudget.funds.ledger import Posting, Transaction
from onebudget.money import D
from onebudget_web.accounts.models import User
from onebudget_web.funds import actions
from onebudget_web.funds.models import Fund
worker, code = int(sys.argv[1]), sys.argv[2]
fund = Fund.objects.get(code=code)
manager = User.objects.get(username="pool-manager")
for n in range(20):
    key = f"spend-{n % 10}" if worker % 2 else f"w{worker}-{n}"  # odd workers race on keys
    legs = (Posting("BCF01:expenditure", D("1.01")), Posting("bank", D("-1.01")))
    actions.post_transactions(by=manager, fund=fund, transactions=[
        Transaction(key, date(2026, 3, 31), "Concurrent", legs)])
print("done")
"""


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_from_several_processes_end_with_the_serial_result(
    fund: Fund,
) -> None:
    before = selectors.balances(fund).get("BCF01:expenditure", D("0"))
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(i), fund.code],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    for w in workers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    # Serially: workers 0 and 2 post 20 transactions each; 1 and 3 share ten keys
    expected = before + D("1.01") * (20 + 20 + 10)
    assert selectors.balances(fund)["BCF01:expenditure"] == expected
    assert LedgerTransaction.objects.filter(description="Concurrent").count() == 50


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_the_action_and_the_library_agree_on_what_is_unbalanced(fund: Fund) -> None:
    bad = Transaction(
        "x", date(2026, 3, 2), "x", (Posting("bank", D("1.00")), Posting("y", D("-0.99")))
    )
    with pytest.raises(Exception, match="unbalanced"):
        actions.post_transactions(
            by=User.objects.get(username="pool-manager"), fund=fund, transactions=[bad]
        )


def post_a_settlement(fund: Fund) -> PostedSettlement:
    manager = User.objects.get(username="pool-manager")
    for period in ("2026-01", "2026-02"):
        actions.close_period(by=manager, fund=fund, period=period)
    settlement = settlements.prepare_settlement(by=manager, fund=fund)
    for name, code in (("finance", "E06099001"), ("icb-finance", "QZZ")):
        settlements.approve_settlement(
            by=User.objects.get(username=name),
            settlement=settlement,
            organisation=Organisation.objects.get(code=code),
        )
    return PostedSettlement.objects.get(settlement=settlement)


MARK = (
    "INSERT INTO funds_postedsettlement (fund_id, settlement_id, replaces_id, posted_at) "
    "VALUES (%s, %s, %s, '2026-04-30T00:00:00+00:00')"
)


def test_the_database_refuses_a_second_posted_settlement_for_a_fund(fund: Fund) -> None:
    """Inserted directly, a second mark is refused: one that replaces nothing by the unique
    index, one that replaces the standing settlement (not reversed) by the trigger."""
    mark = post_a_settlement(fund)
    second = Settlement.objects.create(
        fund=fund,
        agreement=mark.settlement.agreement,
        statement=mark.settlement.statement,
        prepared_by=mark.settlement.prepared_by,
    )
    with pytest.raises(IntegrityError):
        raw(MARK, [fund.pk, second.pk, None])
    with pytest.raises(IntegrityError, match="fully reversed"):
        raw(MARK, [fund.pk, second.pk, mark.pk])
    assert PostedSettlement.objects.count() == 1
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE funds_postedsettlement SET replaces_id = id WHERE id = %s", [mark.pk])
