"""PostgreSQL checks new ledger rows once a statement, as sets, rather than once a row
(benchmarks/fund_ledger.py: for a million postings, 0002's row triggers made 1.5 million
balance checks at commit, and 500,000 closed-period look-ups).

The rules are 0002's, refused as before, and mirror the same library functions:

- ``funds_open_period`` (now a statement trigger): ``is_open`` in ``onebudget.funds.months``
  (a closed month takes no postings; its month test mirrors ``month_key``). A statement
  putting any row in a closed month, or in a month that is not its date's, fails whole.
- ``funds_transaction_balanced``, ``funds_entry_balanced`` and ``funds_balance_check``:
  ``problems`` in ``onebudget.funds.ledger`` ("at least two postings", "unbalanced"). At
  commit, every ledger transaction inserted, or given an entry, has at least two entries
  summing to zero pence: so a transaction without entries, an unbalanced one, and an entry
  added later to a balanced transaction are refused ("unbalanced"). A transaction and its
  entries may still be inserted in separate statements of one database transaction (the
  store does; so may the ORM or raw SQL).

PostgreSQL defers only row triggers, so the balance check is split in two:

- The statement triggers ``funds_transaction_balanced`` and ``funds_entry_balanced`` queue
  the ids of the transactions each INSERT or COPY touched, as one row of
  ``funds_balance_check_queue``. An entry statement leaves out the transactions of the
  latest queued row: that row is this database transaction's (queued rows never outlive
  theirs, so no other is visible) and is checked at commit anyway, so a batch written as
  transactions then entries is checked once, not twice.
- ``funds_balance_check``, a deferred constraint trigger on each queued row (one a
  statement, not a row): at commit, one look-up of each queued transaction's entries, then
  the row is deleted. The check reads the row as inserted, so deleting it before commit
  skips nothing; UPDATE is refused, so the row an entry statement relied on is the row
  checked.

SQLite is unchanged (no deferred triggers: the library checks the balance, see 0002).
Backward restores 0002's triggers.
"""

from typing import TYPE_CHECKING

from importlib import import_module

from django.db import migrations

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

# 0002's row-by-row checks, which backward restores exactly
ROW_CHECKS = import_module("onebudget_web.funds.migrations.0002_ledger_triggers")

PG_FORWARD = """
DROP TRIGGER funds_entry_balanced ON funds_ledgerentry;
DROP TRIGGER funds_transaction_balanced ON funds_ledgertransaction;
DROP TRIGGER funds_open_period ON funds_ledgertransaction;
DROP FUNCTION funds_entry_balanced();
DROP FUNCTION funds_transaction_balanced();
DROP FUNCTION funds_check_balanced(bigint);
DROP FUNCTION funds_open_period();

CREATE FUNCTION funds_open_periods() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT period, "on" INTO bad FROM new_rows
        WHERE period <> to_char("on", 'YYYY-MM') LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'period % is not the month of %', bad.period, bad."on"
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT new_rows.period INTO bad FROM new_rows JOIN funds_closedperiod AS closed
        ON closed.fund_id = new_rows.fund_id AND closed.period = new_rows.period LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'period % is closed', bad.period USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER funds_open_period AFTER INSERT ON funds_ledgertransaction
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION funds_open_periods();

CREATE TABLE funds_balance_check_queue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transactions bigint[] NOT NULL
);
CREATE TRIGGER funds_balance_check_queue_append_only BEFORE UPDATE
    ON funds_balance_check_queue FOR EACH ROW EXECUTE FUNCTION funds_append_only();

CREATE FUNCTION funds_queue_transactions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO funds_balance_check_queue (transactions)
        SELECT array_agg(id) FROM new_rows HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION funds_queue_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO funds_balance_check_queue (transactions)
        SELECT array_agg(DISTINCT transaction_id) FROM new_rows
        WHERE transaction_id NOT IN (
            SELECT unnest(transactions) FROM (
                SELECT transactions FROM funds_balance_check_queue ORDER BY id DESC LIMIT 1
            ) AS latest)
        HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION funds_check_queued_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    -- LATERAL: an index look-up a transaction (a join may read every entry instead)
    SELECT tx.id, found.legs, found.total INTO bad
        FROM unnest(NEW.transactions) AS tx(id),
            LATERAL (SELECT count(*) AS legs, coalesce(sum(pence), 0) AS total
                     FROM funds_ledgerentry WHERE transaction_id = tx.id) AS found
        WHERE found.legs < 2 OR found.total <> 0
        LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries summing to % pence',
            bad.id, bad.legs, bad.total USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM funds_balance_check_queue WHERE id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER funds_transaction_balanced AFTER INSERT ON funds_ledgertransaction
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION funds_queue_transactions();
CREATE TRIGGER funds_entry_balanced AFTER INSERT ON funds_ledgerentry
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION funds_queue_entries();
CREATE CONSTRAINT TRIGGER funds_balance_check AFTER INSERT ON funds_balance_check_queue
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_check_queued_balances();
"""

# 0002's triggers, as they were: the same text 0002 ran
PG_BACKWARD = """
DROP TRIGGER funds_entry_balanced ON funds_ledgerentry;
DROP TRIGGER funds_transaction_balanced ON funds_ledgertransaction;
DROP TRIGGER funds_open_period ON funds_ledgertransaction;
DROP TABLE funds_balance_check_queue;
DROP FUNCTION funds_check_queued_balances();
DROP FUNCTION funds_queue_entries();
DROP FUNCTION funds_queue_transactions();
DROP FUNCTION funds_open_periods();
""" + ROW_CHECKS.PG_LEDGER_CHECKS


def forward(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)


def backward(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0007_reversal_withdrawal")]
    operations = [migrations.RunPython(forward, backward)]
