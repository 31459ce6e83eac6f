"""The fund ledger's rules, enforced by the database as well as by the library (ADR 0010).

PostgreSQL: a deferred constraint trigger refuses, at commit, any ledger transaction whose
entries do not sum to zero or that has fewer than two; UPDATE and DELETE of posted rows are
refused; nothing may be posted into a closed period, and a transaction's period must be the
month of its date. SQLite: UPDATE is refused and closed periods are kept; the balance is
checked by the library only (SQLite has no deferred triggers), and DELETE is refused in
Python only (Django's test flush on SQLite issues DELETE).

These triggers are a second guard: the rules are checked in ``onebudget.funds.ledger``
(``Ledger.check``), through which the service posts (``funds.posting``, over
``funds.ledger_store.DjangoLedgerStore``). Which library function each trigger mirrors:

- ``funds_check_balanced`` (``funds_entry_balanced``, ``funds_transaction_balanced``):
  ``problems`` ("at least two postings", "unbalanced"); the entry's non-zero pence is the
  ``entry_not_zero`` check constraint, mirroring ``problems`` ("a posting of zero").
- ``funds_open_period`` (both databases): ``is_open`` (a closed month takes no postings),
  called by ``Ledger.check``; its month test mirrors ``month_key`` (stored by the store).
- ``*_append_only`` / ``*_no_update``: no library function; the library's stores only
  append (``LedgerStore.append``) and ``Ledger`` has no edit or delete.
- The ``one_key_per_fund`` unique constraint mirrors ``Ledger.check``'s used-key rule, and
  the unique ``reverses`` column mirrors ``unreversible`` (a transaction reversed once).
"""

from typing import TYPE_CHECKING

from django.db import migrations

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

APPEND_ONLY = (
    "funds_ledgertransaction",
    "funds_ledgerentry",
    "funds_closedperiod",
    "funds_agreementversion",
    "funds_settlementapproval",
)

PG_APPEND_ONLY_FUNCTION = """
CREATE FUNCTION funds_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
"""
# The balance and open-month checks, row by row (replaced in 0008, whose backward restores
# them from here)
PG_LEDGER_CHECKS = """
CREATE FUNCTION funds_check_balanced(tx bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    legs integer;
    total bigint;
BEGIN
    SELECT count(*), coalesce(sum(pence), 0) INTO legs, total
        FROM funds_ledgerentry WHERE transaction_id = tx;
    IF legs < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries summing to % pence',
            tx, legs, total USING ERRCODE = 'check_violation';
    END IF;
END;
$$;

CREATE FUNCTION funds_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM funds_check_balanced(NEW.transaction_id);
    RETURN NULL;
END;
$$;

CREATE FUNCTION funds_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM funds_check_balanced(NEW.id);
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER funds_entry_balanced AFTER INSERT ON funds_ledgerentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_entry_balanced();
CREATE CONSTRAINT TRIGGER funds_transaction_balanced AFTER INSERT ON funds_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_transaction_balanced();

CREATE FUNCTION funds_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.period <> to_char(NEW."on", 'YYYY-MM') THEN
        RAISE EXCEPTION 'period % is not the month of %', NEW.period, NEW."on"
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM funds_closedperiod
               WHERE fund_id = NEW.fund_id AND period = NEW.period) THEN
        RAISE EXCEPTION 'period % is closed', NEW.period USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER funds_open_period BEFORE INSERT ON funds_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION funds_open_period();
"""
PG_FORWARD = PG_APPEND_ONLY_FUNCTION + PG_LEDGER_CHECKS
PG_APPEND_ONLY = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS funds_open_period ON funds_ledgertransaction;
DROP TRIGGER IF EXISTS funds_transaction_balanced ON funds_ledgertransaction;
DROP TRIGGER IF EXISTS funds_entry_balanced ON funds_ledgerentry;
{drops}
DROP FUNCTION IF EXISTS funds_open_period();
DROP FUNCTION IF EXISTS funds_transaction_balanced();
DROP FUNCTION IF EXISTS funds_entry_balanced();
DROP FUNCTION IF EXISTS funds_check_balanced(bigint);
DROP FUNCTION IF EXISTS funds_append_only();
"""
SQLITE_NO_UPDATE = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{table} rows are append-only: UPDATE refused');
END;
"""
SQLITE_OPEN_PERIOD = """
CREATE TRIGGER funds_open_period BEFORE INSERT ON funds_ledgertransaction
WHEN EXISTS (SELECT 1 FROM funds_closedperiod
             WHERE fund_id = NEW.fund_id AND period = NEW.period)
BEGIN
    SELECT RAISE(ABORT, 'the period is closed');
END;
"""


def forward(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
        for table in APPEND_ONLY:
            schema_editor.execute(PG_APPEND_ONLY.format(table=table), params=None)
    elif vendor == "sqlite":
        for table in APPEND_ONLY:
            schema_editor.execute(SQLITE_NO_UPDATE.format(table=table))
        schema_editor.execute(SQLITE_OPEN_PERIOD)


def backward(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        drops = "\n".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in APPEND_ONLY)
        schema_editor.execute(PG_BACKWARD.format(drops=drops), params=None)
    elif vendor == "sqlite":
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS funds_open_period;")


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
