"""Checks of admitted patient care as SUS and HES record it: its codes, its clinical coding,
its procedure dates, how its spells end and how transfers link them.

The national measures read these fields exactly: a code off the NHS Data Dictionary's list
drops a spell out of every measure that selects on it, a diagnosis after an empty position
is missed by code that stops at the first gap, a procedure dated outside its spell is counted
in another period, and a transfer that links to nothing splits one stay into two admissions.
Examples show a spell's person_id, spell_id and dates and the offending value, as the other
checks do; ``field`` names the column of a value found in one of several positions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise

from onebudget.population import cips, schema
from onebudget.population.extract import Extract, Finding, Severity, finding
from onebudget.population.sus_codes import CodeList, apc_codes

TABLE = "apc_spells"
SHOWN = "person_id, spell_id, admidate, disdate"  # a spell in an example
POSITIONS = {"diagnosis": schema.DIAGNOSES, "procedure": schema.PROCEDURES}
PROCEDURES = tuple(zip(schema.PROCEDURES, schema.PROCEDURE_DATES, strict=True))
DIED = ("4", "5")  # dismeth: died, stillbirth; disdest 79 says either
UNFINISHED = ("98", "8")  # disdest, dismeth: not applicable, the spell is unfinished


def outside_sus_codes(x: Extract) -> list[Finding]:
    """Codes outside their field's list, per field, compared exactly as HES code compares
    them (an integer field by its text): such a spell drops out of every measure selecting
    on the field. On a complete list that is a problem; on a list of codes in use, a note."""
    found: list[Finding] = []
    for name, codes in apc_codes().fields.items():
        outside = {v: n for v, n in x.values(TABLE, name).items() if v not in codes}
        if outside:
            found += _outside(x, codes, outside)
    return found


def _outside(x: Extract, codes: CodeList, outside: dict[str, int]) -> list[Finding]:
    name = codes.field
    listed = "the NHS Data Dictionary's codes" if codes.complete else "the codes known in use"
    rule = f"{name} is not one of {listed}: {_tally(outside, 'row')}"
    sql = (
        f'SELECT {SHOWN}, "{name}" FROM {TABLE} '  # noqa: S608 (schema names)
        f'WHERE list_contains(?, CAST("{name}" AS VARCHAR))'
    )
    severity: Severity = "problem" if codes.complete else "note"
    return finding(x, "sus-code", TABLE, rule, sql, [list(outside)], severity=severity)


def _tally(counts: Mapping[str, int], unit: str) -> str:
    """The commonest values with how often each is found, and how many others."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    parts = [f"{v!r} ({n:,} {unit}{'' if n == 1 else 's'})" for v, n in ranked[:5]]
    more = len(ranked) - 5
    return "; ".join(parts) + (f"; and {more} other values" if more > 0 else "")


def malformed_codes(x: Extract) -> list[Finding]:
    """Clinical codes not of their form (ICD-10, OPCS-4, specialty), per form across all its
    columns: a code with a dot, in lower case or cut short matches no code list, so the
    diagnosis or procedure is lost to every measure built on it."""
    found: list[Finding] = []
    for form in apc_codes().forms.values():
        bad: Counter[str] = Counter()
        for column in form.columns:
            bad.update({v: n for v, n in x.values(TABLE, column).items() if not form.fits(v)})
        if bad:
            rule = f"{form.name} code is not {form.rule}: {_tally(bad, 'time')}"
            when = [f'list_contains($2, "{c}")' for c in form.columns]
            found += _first(x, "code-form", rule, when, form.columns, [list(bad)])
    return found


def coding_gaps(x: Extract) -> list[Finding]:
    """A diagnosis or procedure position filled after an empty one: code that reads the
    positions up to the first empty one misses it. Some systems leave gaps harmlessly,
    so this is a note."""
    found: list[Finding] = []
    for what, columns in POSITIONS.items():
        when = [f'"{c}" IS NOT NULL AND "{e}" IS NULL' for e, c in pairwise(columns)]
        rule = f"a {what} position is filled after an empty one ({columns[0][:-2]}nn)"
        found += _first(x, "coding-gap", rule, when, columns[1:], severity="note")
    return found


def procedure_dates(x: Extract) -> list[Finding]:
    """A procedure without its date or a date without its procedure (the two have drifted
    apart), or a procedure dated outside its spell: it is counted in the wrong period."""
    codes, dates = schema.PROCEDURES, schema.PROCEDURE_DATES
    rules = (
        ("undated-procedure", "a procedure (opertn_4_nn) has no date (opdate_nn)", codes,
         [f'"{c}" NOT IN (\'-\', \'&\') AND "{d}" IS NULL' for c, d in PROCEDURES]),
        ("date-without-procedure", "a procedure date (opdate_nn) has no procedure", dates,
         [f'"{d}" IS NOT NULL AND "{c}" IS NULL' for c, d in PROCEDURES]),
        ("procedure-outside-spell", "a procedure is dated before admidate or after disdate",
         dates, [f'("{d}" < admidate OR "{d}" > disdate)' for d in dates]),
    )  # fmt: skip
    found: list[Finding] = []
    for check, rule, shown, when in rules:
        found += _first(x, check, rule, when, shown)
    return found


def _first(
    x: Extract,
    check: str,
    rule: str,
    when: Sequence[str],
    shown: Sequence[str],
    params: Sequence[object] = (),
    severity: Severity = "problem",
) -> list[Finding]:
    """Spells where any condition of ``when`` (one a position) holds, each shown with the
    column of ``shown`` at the first such position (``field``) and its value. In ``when``,
    ``$2`` onwards are ``params``."""
    pos = "least(" + ", ".join(f"CASE WHEN {c} THEN {i} END" for i, c in enumerate(when, 1)) + ")"
    values = ", ".join(f'"{c}"' for c in shown)
    sql = (
        f"SELECT {SHOWN}, list_extract($1, pos) AS field, [{values}][pos] AS value "  # noqa: S608
        f"FROM (SELECT *, {pos} AS pos FROM {TABLE}) WHERE pos IS NOT NULL"
    )
    return finding(x, check, TABLE, rule, sql, [list(shown), *params], severity=severity)


def discharge_death(x: Extract) -> list[Finding]:
    """A spell whose discharge method says the patient died (4, or 5 a stillbirth) but whose
    destination is not 79 (died), or the other way about: mortality and discharge
    destination measures count the spell differently."""
    sql = (
        f"SELECT {SHOWN}, dismeth, disdest FROM {TABLE} "  # noqa: S608 (schema names)
        "WHERE coalesce(list_contains(?, dismeth), FALSE) <> coalesce(disdest = ?, FALSE)"
    )
    rule = "dismeth 4 (died) or 5 (stillbirth) and disdest 79 (died) disagree"
    return finding(x, "discharge-death", TABLE, rule, sql, [list(DIED), cips.DIED])


def discharge_ready_date(x: Extract) -> list[Finding]:
    """A discharge ready date (disreadydate) before admission or after discharge, or on a
    spell not yet finished: the delay measured from it (discharge ready date to discharge)
    would be negative, or longer than the stay."""
    sql = (
        f"SELECT {SHOWN}, disreadydate FROM {TABLE} "  # noqa: S608 (schema names)
        "WHERE disreadydate < admidate OR disreadydate > disdate "
        "OR (disreadydate IS NOT NULL AND disdate IS NULL)"
    )
    rule = "disreadydate is before admidate, after disdate, or on an unfinished spell"
    return finding(x, "discharge-ready-date", TABLE, rule, sql)


def unfinished_discharge(x: Extract) -> list[Finding]:
    """An unfinished spell (no disdate) with a discharge destination or method other than
    98 or 8 (not applicable): either the discharge date is lost or the codes are wrong."""
    sql = (
        f"SELECT {SHOWN}, dismeth, disdest FROM {TABLE} "  # noqa: S608 (schema names)
        "WHERE disdate IS NULL AND (disdest <> ? OR dismeth <> ?)"
    )
    rule = "an unfinished spell (no disdate) has a disdest other than 98 or a dismeth other than 8"
    return finding(x, "unfinished-discharge", TABLE, rule, sql, UNFINISHED, severity="note")


def unfinished_after_death(x: Extract) -> list[Finding]:
    """An unfinished spell (no disdate) of a person who died after its admission: the spell
    is open, like an open social care service, and should have ended with the death."""
    sql = (
        "SELECT e.person_id, e.spell_id, e.admidate, p.date_of_death "  # noqa: S608
        f"FROM {TABLE} e JOIN people p ON p.person_id = e.person_id "
        "WHERE e.disdate IS NULL AND e.admidate <= p.date_of_death"
    )
    rule = "a hospital spell has no discharge date, but the person has died"
    return finding(x, "open-after-death", TABLE, rule, sql, severity="note")


def unlinked_transfers(x: Extract) -> list[Finding]:
    """A transfer to another NHS hospital provider that no spell continues, or a transfer in
    that continues no spell: the stay is counted as two admissions, or the transfer as an
    admission. The other spell may lie outside the extract, so these are notes."""
    out = (
        f"SELECT {SHOWN}, disdest FROM {TABLE} "  # noqa: S608 (schema names)
        "WHERE list_contains(?, disdest) AND cips_last"
    )
    into = (
        f"SELECT {SHOWN}, admisorc, admimeth FROM {TABLE} "  # noqa: S608 (schema names)
        "WHERE (list_contains(?, admisorc) OR list_contains(?, admimeth)) AND cips_first"
    )
    providers, methods = list(cips.TRANSFER_PROVIDER), list(cips.TRANSFER_METHODS)
    out_rule = (
        "transfer out with no spell in: discharged to another NHS hospital provider (disdest"
        " 51-53), but no spell of the person continues the stay"
    )
    in_rule = (
        "transfer in with no spell out: admitted from another NHS hospital provider (admisorc"
        " 51-53 or admimeth 2B, 81), but the stay continues no spell of the person"
    )
    return [
        *finding(x, "transfer-out-unlinked", TABLE, out_rule, out, [providers], severity="note"),
        *finding(
            x, "transfer-in-unlinked", TABLE, in_rule, into, [providers, methods], severity="note"
        ),
    ]


APC_CHECKS = (
    outside_sus_codes,
    malformed_codes,
    coding_gaps,
    procedure_dates,
    discharge_death,
    discharge_ready_date,
    unfinished_discharge,
    unfinished_after_death,
    unlinked_transfers,
)
