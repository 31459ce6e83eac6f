"""One posted settlement standing per fund, and the new append-only tables, kept by the
database (ADR 0016).

The unique index ``one_posted_settlement_per_fund`` (migration 0004) lets a fund have one
posted-settlement mark that replaces nothing, and ``replaces`` is unique, so each mark is
replaced at most once. This trigger adds the rest: a mark may replace only a mark of the
same fund whose every ledger transaction has been reversed. The marks of a fund therefore
form one chain in which only the last can still stand. Same SQL on SQLite and PostgreSQL.

The reversal and posting tables refuse UPDATE (and DELETE on PostgreSQL), as 0002 does
for the ledger.

A second guard: the rule itself is checked in Python by the actions
(``funds.settlements``: ``standing_settlement`` and ``ALREADY_POSTED``); no function of the
library's ledger is mirrored here.
"""

from typing import TYPE_CHECKING

from django.db import migrations

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

APPEND_ONLY = (
    "funds_actualsimport",
    "funds_postedsettlement",
    "funds_postingsource",
    "funds_reversal",
    "funds_reversalapproval",
)

# True when NEW may be inserted: it replaces nothing, or a fully reversed mark of its fund.
REPLACES_A_REVERSED_MARK = """
NEW.replaces_id IS NULL OR EXISTS (
    SELECT 1 FROM funds_postedsettlement AS earlier
    WHERE earlier.id = NEW.replaces_id AND earlier.fund_id = NEW.fund_id
      AND NOT EXISTS (
          SELECT 1 FROM funds_postingsource AS src
          WHERE src.settlement_id = earlier.id
            AND NOT EXISTS (
                SELECT 1 FROM funds_ledgertransaction AS undo
                WHERE undo.reverses_id = src.transaction_id)))
"""
REFUSAL = "a settlement may replace only a fully reversed settlement of the same fund"

SQLITE_FORWARD = f"""
CREATE TRIGGER funds_settlement_replaces_reversed BEFORE INSERT ON funds_postedsettlement
WHEN NOT ({REPLACES_A_REVERSED_MARK})
BEGIN
    SELECT RAISE(ABORT, '{REFUSAL}');
END;
"""
SQLITE_NO_UPDATE = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{table} rows are append-only: UPDATE refused');
END;
"""
PG_FORWARD = f"""
CREATE FUNCTION funds_settlement_replaces_reversed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ({REPLACES_A_REVERSED_MARK}) THEN
        RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER funds_settlement_replaces_reversed BEFORE INSERT ON funds_postedsettlement
    FOR EACH ROW EXECUTE FUNCTION funds_settlement_replaces_reversed();
"""
PG_APPEND_ONLY = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION funds_append_only();
"""


def forward(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
        for table in APPEND_ONLY:
            schema_editor.execute(PG_APPEND_ONLY.format(table=table), params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
        for table in APPEND_ONLY:
            schema_editor.execute(SQLITE_NO_UPDATE.format(table=table))


def backward(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
    vendor = schema_editor.connection.vendor
    drop = "DROP TRIGGER IF EXISTS funds_settlement_replaces_reversed"
    if vendor == "postgresql":
        schema_editor.execute(f"{drop} ON funds_postedsettlement;", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS funds_settlement_replaces_reversed();")
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    elif vendor == "sqlite":
        schema_editor.execute(f"{drop};")
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")


class Migration(migrations.Migration):
    dependencies = [("funds", "0004_settlements_reversals_uploads")]
    operations = [migrations.RunPython(forward, backward)]
