"""Consistency checks on a linked extract, synthetic or real, before anyone trusts it.

An indicator computed over inconsistent data is wrong without saying so: a spell after death
counts as an admission of someone who had died, two care home placements on one day cost one
bed twice, an activity row whose person is not in ``persons`` drops out of every breakdown.
Each check is one small function over an ``Extract`` that states its rule in plain English
and counts the rows (or people) that break it. A ``problem`` makes results wrong; a ``note``
is worth a look but may be right.

Examples are pseudonymous by construction: each check's query selects only the person_id
(itself a pseudonym), the row's own id, its dates and the offending value, never anything
else about the person, so a report can go back to the data service that made the extract.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pyarrow as pa

from onebudget.population import schema
from onebudget.population.checks_apc import APC_CHECKS
from onebudget.population.defined_lists import RELEASES, DefinedList, Release, defined_lists, fold
from onebudget.population.extract import (
    ROWS,
    CheckReport,
    Extract,
    ExtractError,
    Finding,
    Severity,
    finding,
    key,
)

__all__ = ["CHECKS", "CheckReport", "ExtractError", "Finding", "check_extract"]

# activity table: the column its rows start on
STARTS = {
    "apc_spells": "admidate",
    "ae_attendances": "arrival_date",
    "op_appointments": "apptdate",
    "community_contacts": "contact_date",
    "asc_cld": "Event_Start_Date",
}
ENDS = {"apc_spells": "disdate", "asc_cld": "Event_End_Date"}  # the tables whose rows last
SERVICE = (fold("Service"),)
PLACEMENTS = (fold("Long term support: Residential care"), fold("Long term support: Nursing care"))
ST_MAX = (fold("Short term support: ST-Max"),)
SERVICE_USER = fold("Service user")  # the same in both releases once case is ignored
JOIN = "JOIN people p ON p.person_id = e.person_id"
Check = Callable[[Extract], list[Finding]]


def outside_defined_lists(x: Extract) -> list[Finding]:
    """CLD values outside the release's defined lists, per field. DHSC's ASCOF code matches
    values exactly (but for case and trailing spaces), so such a row drops out of a measure;
    on a list known to be complete that is a problem, on one known only in part a note."""
    found: list[Finding] = []
    for name, defined in defined_lists(x.cld_release).fields.items():
        values = x.values("asc_cld", name)
        outside = {v: n for v, n in values.items() if defined.canonical(v) is None}
        if outside:
            found += _outside(x, defined, outside)
    return found


def _outside(x: Extract, defined: DefinedList, outside: dict[str, int]) -> list[Finding]:
    name, release = defined.field, x.cld_release
    listed = "defined list" if defined.complete else "list of the values published so far"
    rule = f"{name} is not on Release {release}'s {listed}: {_tally(name, release, outside)}"
    sql = (
        f'SELECT person_id, Event_Reference, Event_Start_Date, "{name}" '  # noqa: S608 (schema names)
        f'FROM asc_cld WHERE list_contains(?, "{name}")'
    )
    severity: Severity = "problem" if defined.complete else "note"
    return finding(x, "defined-list", "asc_cld", rule, sql, [list(outside)], severity=severity)


def _tally(name: str, release: Release, outside: dict[str, int]) -> str:
    """The commonest values outside the list with their rows, and whether the other release
    lists them (an extract of the other release is the usual cause)."""
    other: Release = 1 if release == 2 else 2
    elsewhere = defined_lists(other).fields.get(name)
    ranked = sorted(outside.items(), key=lambda item: (-item[1], item[0]))
    parts = []
    for value, rows in ranked[:5]:
        known = elsewhere is not None and elsewhere.canonical(value) is not None
        also = f", a Release {other} value" if known else ""
        parts.append(f"{value!r} ({rows:,} row{'' if rows == 1 else 's'}{also})")
    more = len(ranked) - 5
    return "; ".join(parts) + (f"; and {more} other values" if more > 0 else "")


def missing_values(x: Extract) -> list[Finding]:
    """Required columns left empty: every check and indicator that needs the value silently
    passes over the row, so the gap would otherwise go unseen."""
    found: list[Finding] = []
    for table in schema.TABLES:
        for column in table.columns:
            if column.nullable or not x.tables[table.name].column(column.name).null_count:
                continue
            rule = f"{column.name} is empty, but every row needs one"
            sql = f'SELECT {key(table.name)} FROM {table.name} WHERE "{column.name}" IS NULL'  # noqa: S608
            found += finding(x, "missing-value", table.name, rule, sql)
    return found


def unknown_people(x: Extract) -> list[Finding]:
    """Activity whose person_id is not in persons: it has no age, sex or place, so it drops
    out of every breakdown and every rate per head of population."""
    found: list[Finding] = []
    for table in STARTS:
        sql = (
            f"SELECT {key(table, 'e.')} FROM {table} e WHERE e.person_id IS NOT NULL "  # noqa: S608
            "AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.person_id = e.person_id)"
        )
        rule = f"{ROWS[table][1]} names a person_id that is not in persons"
        found += finding(x, "unknown-person", table, rule, sql)
    return found


def duplicate_people(x: Extract) -> list[Finding]:
    """A person_id listed twice in persons: a join to persons counts their activity twice."""
    sql = (
        "SELECT person_id FROM persons WHERE person_id IS NOT NULL "
        "GROUP BY person_id HAVING count(*) > 1"
    )
    rule = "a person_id appears more than once in persons"
    return finding(x, "duplicate-person", "persons", rule, sql, unit="people")


def duplicate_ids(x: Extract) -> list[Finding]:
    """Rows sharing an id (a spell_id ..., or an Event_Reference within one council): a
    resubmitted or duplicated row counts its activity and its cost twice."""
    found: list[Finding] = []
    for table in STARTS:
        column = ROWS[table][0]
        scope = "LA_Code, Event_Reference" if table == "asc_cld" else column
        sql = (
            f"SELECT {key(table)} FROM (SELECT *, count(*) OVER (PARTITION BY {scope}) AS n "  # noqa: S608
            f"FROM {table} WHERE {column} IS NOT NULL) WHERE n > 1"
        )
        within = " within its council" if table == "asc_cld" else ""
        rule = f"{ROWS[table][1]} shares its {column} with another row{within}"
        found += finding(x, "duplicate-id", table, rule, sql)
    return found


def starts_after_death(x: Extract) -> list[Finding]:
    """Activity that starts after the person's date of death: a wrong link or a wrong date,
    counted either way as care of someone who had died."""
    return _starts_beyond(x, "starts-after-death", ">", "date_of_death", "after")


def _starts_beyond(x: Extract, check: str, op: str, date: str, word: str) -> list[Finding]:
    """Rows of every activity table starting ``op`` (before or after) the person's ``date``."""
    found: list[Finding] = []
    what = date.replace("_", " ")
    for table, start in STARTS.items():
        sql = (
            f"SELECT {key(table, 'e.')}, e.{start}, p.{date} FROM {table} e {JOIN} "  # noqa: S608
            f"WHERE e.{start} {op} p.{date}"
        )
        rule = f"{ROWS[table][1]} starts {word} the person's {what}"
        found += finding(x, check, table, rule, sql)
    return found


def ends_after_death(x: Extract) -> list[Finding]:
    """A hospital spell or social care service begun in life that ends after death: its
    length of stay or weeks of care, and so its cost, run on past the death."""
    services = x.spellings("asc_cld", "Event_Type", SERVICE)
    found: list[Finding] = []
    for table, end in ENDS.items():
        start, cld = STARTS[table], table == "asc_cld"
        sql = (
            f"SELECT {key(table, 'e.')}, e.{start}, e.{end}, p.date_of_death FROM {table} e "  # noqa: S608
            f"{JOIN} WHERE e.{start} <= p.date_of_death AND e.{end} > p.date_of_death"
            + (" AND list_contains(?, e.Event_Type)" if cld else "")
        )
        what = "a social care service" if cld else ROWS[table][1]
        rule = f"{what} that began before the person's death ends after it"
        found += finding(x, "ends-after-death", table, rule, sql, [services] if cld else [])
    return found


def open_after_death(x: Extract) -> list[Finding]:
    """A social care service with no end date whose person has died: costing that runs an
    open service to the end of the period pays for it after the death. Councils often close
    a service some weeks late, so this is a note."""
    services = x.spellings("asc_cld", "Event_Type", SERVICE)
    sql = (
        "SELECT e.person_id, e.Event_Reference, e.Event_Start_Date, p.date_of_death "  # noqa: S608
        f"FROM asc_cld e {JOIN} WHERE e.Event_End_Date IS NULL "
        "AND e.Event_Start_Date <= p.date_of_death AND list_contains(?, e.Event_Type)"
    )
    rule = "a social care service has no end date, but the person has died"
    return finding(x, "open-after-death", "asc_cld", rule, sql, [services], severity="note")


def before_birth(x: Extract) -> list[Finding]:
    """Activity before the person's date of birth, or a death before birth: a wrong date or
    a wrong link, and an age below zero in every age band."""
    found = finding(
        x,
        "before-birth",
        "persons",
        "the date of death is before the date of birth",
        "SELECT person_id, date_of_birth, date_of_death FROM persons "
        "WHERE date_of_death < date_of_birth",
    )
    return found + _starts_beyond(x, "before-birth", "<", "date_of_birth", "before")


def ends_before_starts(x: Extract) -> list[Finding]:
    """A spell discharged before its admission, or a CLD event ending before it starts: its
    length, and any cost by the day or week, comes out negative."""
    found: list[Finding] = []
    for table, end in ENDS.items():
        start = STARTS[table]
        sql = f"SELECT {key(table)}, {start}, {end} FROM {table} WHERE {end} < {start}"  # noqa: S608
        rule = f"{ROWS[table][1]} ends ({end}) before it starts ({start})"
        found += finding(x, "ends-before-starts", table, rule, sql)
    return found


def length_of_stay(x: Extract) -> list[Finding]:
    """speldur that is not disdate - admidate, as HES defines it: bed days taken from one
    and stays measured from the dates would disagree."""
    sql = (
        "SELECT person_id, spell_id, admidate, disdate, speldur FROM apc_spells "
        "WHERE speldur <> datediff('day', admidate, disdate)"
    )
    rule = "speldur is not the days from admidate to disdate"
    return finding(x, "length-of-stay", "apc_spells", rule, sql)


def _overlapping(table: str, only: str) -> str:
    """Rows of one person, among those ``only`` keeps, that each start before the other
    ends (an empty end never ends). A start on the day the other ends is a transfer, a
    readmission or a move between homes, not an overlap."""
    start, end, far = STARTS[table], ENDS[table], "DATE '9999-12-31'"
    return (
        f"WITH r AS (SELECT * FROM {table} WHERE {only}) "  # noqa: S608 (schema names)
        f"SELECT {key(table, 'a.')}, a.{start}, a.{end} FROM r a WHERE EXISTS (SELECT 1 "
        "FROM r b WHERE b.person_id = a.person_id AND b._row <> a._row "
        f"AND b.{start} < coalesce(a.{end}, {far}) AND a.{start} < coalesce(b.{end}, {far}))"
    )


def overlapping_spells(x: Extract) -> list[Finding]:
    """Hospital spells of one person admitted before another's discharge: one person is in
    two beds at once, so bed days and costs are counted twice."""
    rule = (
        "a hospital spell overlaps another of the same person (admitted before its discharge;"
        " an admission on the discharge day is a transfer or readmission, not counted)"
    )
    sql = _overlapping("apc_spells", "TRUE")
    return finding(x, "overlapping-spells", "apc_spells", rule, sql)


def overlapping_placements(x: Extract) -> list[Finding]:
    """Two long-term residential or nursing placements of one person open on the same day:
    one bed is paid for twice (a move between homes on the day one ends is not counted)."""
    rule = "two long-term residential or nursing placements of one person are open on one day"
    return _overlapping_services(x, "overlapping-placements", PLACEMENTS, rule, "problem")


def overlapping_st_max(x: Extract) -> list[Finding]:
    """ST-Max (reablement) services of one person that overlap: ASCOF counts ST-Max episodes
    by their outcome, and overlaps make an episode ambiguous. One episode's components may
    be recorded as separate service rows, so this is a note."""
    rule = "two ST-Max services of one person overlap"
    return _overlapping_services(x, "overlapping-st-max", ST_MAX, rule, "note")


def _overlapping_services(
    x: Extract, check: str, types: tuple[str, ...], rule: str, severity: Severity
) -> list[Finding]:
    only = "list_contains(?, Event_Type) AND list_contains(?, Service_Type)"
    params = [
        x.spellings("asc_cld", "Event_Type", SERVICE),
        x.spellings("asc_cld", "Service_Type", types),
    ]
    sql = _overlapping("asc_cld", only)
    return finding(x, check, "asc_cld", rule, sql, params, severity=severity)


def unlinked_carers(x: Extract) -> list[Finding]:
    """Unpaid carers whose Adult_1_Linked_Person_ID names no service user of their council
    (trailing spaces ignored): the carer cannot be joined to the person cared for. The
    council may not support that person, so this is a note."""
    types = {fold(v) for r in RELEASES for v in defined_lists(r).fields["Client_Type"].values}
    carers = x.spellings("asc_cld", "Client_Type", types - {SERVICE_USER})
    users = x.spellings("asc_cld", "Client_Type", [SERVICE_USER])
    sql = (
        "SELECT c.person_id, c.Event_Reference, c.Event_Start_Date FROM asc_cld c "
        "WHERE list_contains(?, c.Client_Type) AND rtrim(c.Adult_1_Linked_Person_ID) <> '' "
        "AND NOT EXISTS (SELECT 1 FROM asc_cld u WHERE list_contains(?, u.Client_Type) "
        "AND u.LA_Code = c.LA_Code "
        "AND rtrim(u.LA_Person_Unique_Identifier) = rtrim(c.Adult_1_Linked_Person_ID))"
    )
    rule = "an unpaid carer's Adult_1_Linked_Person_ID names no service user of the council"
    return finding(x, "unlinked-carer", "asc_cld", rule, sql, [carers, users], severity="note")


CHECKS: tuple[Check, ...] = (
    missing_values,
    unknown_people,
    duplicate_people,
    duplicate_ids,
    outside_defined_lists,
    starts_after_death,
    ends_after_death,
    open_after_death,
    before_birth,
    ends_before_starts,
    length_of_stay,
    overlapping_spells,
    overlapping_placements,
    overlapping_st_max,
    unlinked_carers,
    *APC_CHECKS,  # admitted patient care's codes, coding, discharge and transfers
)


def check_extract(
    tables: Mapping[str, pa.Table],
    *,
    cld_release: Release = 2,
    progress: Callable[[str], None] | None = None,
) -> CheckReport:
    """Every check over the tables of a linked extract, one per table of ``schema``.

    ``progress`` is told each check's name as it starts. A table that is missing or cannot
    be conformed to the schema raises ``ExtractError``; an unknown release, a ValueError.
    """
    defined_lists(cld_release)  # an unknown release fails before any work
    found: list[Finding] = []
    with Extract(tables, cld_release) as x:
        for check in CHECKS:
            if progress is not None:
                progress(check.__name__.replace("_", " "))
            found += check(x)
        rows = tuple((name, table.num_rows) for name, table in x.tables.items())
    ordered = sorted(found, key=lambda f: f.severity != "problem")
    return CheckReport(tuple(ordered), rows, cld_release)
