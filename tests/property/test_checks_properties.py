"""The extract checks on random small extracts: they never raise, their examples are few and
real, and their counts agree with the same rules counted again in plain Python."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.population import schema
from onebudget.population.checks import STARTS, CheckReport, check_extract
from onebudget.population.defined_lists import defined_lists, fold
from onebudget.population.sus_codes import apc_codes
from tests.spec.outcomes.conftest import make_tables

START = date(2023, 1, 1)
PLACEMENTS = {fold("Long term support: Residential care"), fold("Long term support: Nursing care")}
PERSON_COLUMNS = {c.name for c in schema.PERSONS.columns}
days = st.integers(0, 60).map(lambda d: START + timedelta(days=d))
maybe_days = st.one_of(st.none(), days)
CODES = apc_codes()
# admitted care's coded fields: listed codes, codes off the list, the odd empty one
CODED: dict[str, list[Any]] = {
    "admimeth": ["11", "21", "2B", "81", "2b", "2E", None],
    "admisorc": ["19", "51", "53", "54", "20", None],
    "classpat": [1, 2, 3, 5, 7, 0],
    "epitype": ["1", "2", "7"],
    "dismeth": ["1", "4", "5", "8", "6", None],
    "disdest": ["19", "51", "52", "79", "98", "97", None],
    "mainspef": ["300", "100", "30", "3OO"],
    "tretspef": ["300", "110", "1100"],
}
PROCEDURES = tuple(zip(schema.PROCEDURES, schema.PROCEDURE_DATES, strict=True))
TRANSFERS = ("51", "52", "53")
Rule = tuple[str, str]  # a check, and the field, form or position its rule names
APC_RULES = {"sus-code", "code-form", "coding-gap", "undated-procedure", "date-without-procedure",
             "procedure-outside-spell", "discharge-death", "unfinished-discharge",
             "open-after-death", "transfer-out-unlinked", "transfer-in-unlinked"}  # fmt: skip
ICD10 = ["I10X", "J18", "R69-", "I10.", "i10x", "1234", "", None]
maybe_day = st.one_of(st.none(), st.integers(-2, 14))
OPCS4 = st.sampled_from(["W401", "X99", "W40.1", "w401", None])


def spelt(values: list[str]) -> st.SearchStrategy[str]:
    """A listed value, as found in the wild: other capitals, a trailing space."""
    shapes: list[Callable[[str], str]] = [str, str.upper, str.lower, lambda v: v + " "]
    return st.builds(lambda v, shape: shape(v), st.sampled_from(values), st.sampled_from(shapes))


def values_of(field: str) -> st.SearchStrategy[str | None]:
    listed = [v for r in (1, 2) for v in defined_lists(r).fields[field].values]
    return st.one_of(st.none(), spelt(listed), st.just("Not a value"))


@st.composite
def extracts(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    people = [f"p{i}" for i in range(draw(st.integers(1, 5)))]
    persons = [
        {
            "person_id": p,
            "date_of_birth": START + timedelta(days=draw(st.integers(-365 * 90, 60))),
            "date_of_death": draw(maybe_days),
        }
        for p in people
    ]
    who = st.sampled_from([*people, "ghost"])
    return {
        "persons": persons,
        "apc_spells": draw(st.lists(spells(who), max_size=10)),
        "ae_attendances": draw(st.lists(events(who, "attendance_id", "arrival_date"), max_size=4)),
        "op_appointments": draw(st.lists(events(who, "appointment_id", "apptdate"), max_size=4)),
        "asc_cld": draw(st.lists(cld(who), max_size=10)),
    }


def spells(who: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        spell,
        who,
        days,
        st.one_of(st.none(), st.integers(-2, 12)),  # no stay: an unfinished spell
        st.booleans(),
        st.integers(1, 12),
        st.dictionaries(st.sampled_from(schema.DIAGNOSES), st.sampled_from(ICD10), max_size=4),
        st.dictionaries(st.integers(0, 23), st.tuples(OPCS4, maybe_day), max_size=3),
        **{name: st.sampled_from(values) for name, values in CODED.items()},
    )


def spell(
    person: str,
    admitted: date,
    stay: int | None,
    wrong: bool,
    spell_id: int,
    diagnoses: dict[str, str | None],
    procedures: dict[int, tuple[str | None, int | None]],
    **coded: Any,
) -> dict[str, Any]:
    """A spell with random codes, diagnoses and procedures, each valid or not, in any position
    and dated any day near the spell or not at all."""
    discharged = None if stay is None else admitted + timedelta(days=stay)
    speldur = None if stay is None else stay + 1 if wrong else stay
    row = {"person_id": person, "admidate": admitted, "disdate": discharged,
           "speldur": speldur, "spell_id": spell_id, **coded, **diagnoses}  # fmt: skip
    for i, (code, day) in procedures.items():
        row[schema.PROCEDURES[i]] = code
        row[schema.PROCEDURE_DATES[i]] = None if day is None else admitted + timedelta(days=day)
    return row


def events(who: st.SearchStrategy[str], id_: str, start: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"person_id": who, id_: st.integers(1, 6), start: maybe_days})


def cld(who: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    def row(start: date, length: int | None, **values: Any) -> dict[str, Any]:
        end = None if length is None else start + timedelta(days=length)
        return {"Event_Start_Date": start, "Event_End_Date": end, **values}

    return st.builds(
        row,
        days,
        st.one_of(st.none(), st.integers(-3, 40)),
        person_id=who,
        Event_Reference=st.sampled_from(["E1", "E2", "E3", "E4", "E5", "E6"]),
        LA_Code=st.sampled_from(["E06000001", "E06000002"]),
        LA_Person_Unique_Identifier=st.sampled_from(["L1", "L2", "L3"]),
        Adult_1_Linked_Person_ID=st.sampled_from([None, "", "L1", "L2 ", "L9"]),
        Client_Type=values_of("Client_Type"),
        Event_Type=st.sampled_from(["Service", "service", "Assessment", "Request"]),
        Service_Type=values_of("Service_Type"),
        Gender=st.sampled_from(["Female", "male", "Other"]),
    )


def counted(report: CheckReport, check: str) -> dict[str, int]:
    return {f.table: f.count for f in report.findings if f.check == check}


def after_death(rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    died = {p["person_id"]: p["date_of_death"] for p in rows["persons"]}
    counts = {}
    for table, start in STARTS.items():
        after = [
            r
            for r in rows.get(table, [])
            if died.get(r["person_id"]) is not None
            and r[start] is not None
            and r[start] > died[r["person_id"]]
        ]
        if after:
            counts[table] = len(after)
    return counts


def overlapping(rows: list[dict[str, Any]], start: str, end: str) -> int:
    far = date.max

    def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return b[start] < (a[end] or far) and a[start] < (b[end] or far)

    return sum(
        any(
            i != j and a["person_id"] == b["person_id"] and overlap(a, b)
            for j, b in enumerate(rows)
        )
        for i, a in enumerate(rows)
    )


def placements(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        r
        for r in rows
        if fold(r["Event_Type"]) == "service"
        and r["Service_Type"] is not None
        and fold(r["Service_Type"]) in PLACEMENTS
    ]


def from_the_input(report: CheckReport, tables: dict[str, list[dict[str, Any]]]) -> None:
    people = {p["person_id"]: p for p in tables["persons"]}
    for finding in report.findings:
        assert 0 < len(finding.examples) <= 5
        assert finding.count >= len(finding.examples)
        rows = tables[finding.table]
        for example in finding.examples:
            shown = dict(example)
            own = {k: v for k, v in shown.items() if k in rows[0]}
            if "field" in shown:  # a value found in one of several positions: that column's
                own[shown.pop("field")] = shown.pop("value")
            assert any(all(r[k] == v for k, v in own.items()) for r in rows), finding
            for k, v in shown.items():
                if k not in own:
                    assert k in PERSON_COLUMNS
                    assert people[shown["person_id"]][k] == v


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extracts(), st.sampled_from([1, 2]))
def test_checks_agree_with_plain_python(
    rows: dict[str, list[dict[str, Any]]], release: int
) -> None:
    tables = make_tables(**rows)
    report = check_extract(tables, cld_release=1 if release == 1 else 2)
    full = {name: table.to_pylist() for name, table in tables.items()}
    from_the_input(report, full)
    assert counted(report, "starts-after-death") == after_death(full)
    spells = overlapping(full["apc_spells"], "admidate", "disdate")
    assert counted(report, "overlapping-spells") == ({"apc_spells": spells} if spells else {})
    beds = overlapping(placements(full["asc_cld"]), "Event_Start_Date", "Event_End_Date")
    assert counted(report, "overlapping-placements") == ({"asc_cld": beds} if beds else {})
    lists = defined_lists(1 if release == 1 else 2).fields
    outside = {
        name: sum(
            r[name] is not None and lists[name].canonical(r[name]) is None for r in full["asc_cld"]
        )
        for name in lists
    }
    found = {f.rule.split()[0]: f.count for f in report.findings if f.check == "defined-list"}
    assert found == {name: n for name, n in outside.items() if n}
    died = {p["person_id"]: p["date_of_death"] for p in full["persons"]}
    assert by_rule(report) == apc_rules(full["apc_spells"], died)


def by_rule(report: CheckReport) -> dict[Rule, int]:
    """The admitted care findings' counts by check and the field, form or position named."""
    named = {"sus-code": 0, "code-form": 0, "coding-gap": 1}
    return {
        (f.check, f.rule.split()[named[f.check]] if f.check in named else ""): f.count
        for f in report.findings
        if f.table == "apc_spells" and f.check in APC_RULES
    }


def apc_rules(spells: list[dict[str, Any]], died: dict[str, date | None]) -> dict[Rule, int]:
    """The admitted care rules counted again, one spell at a time."""
    rules: dict[Rule, Callable[[dict[str, Any]], bool]] = {
        **{("sus-code", n): off_list(n) for n in CODES.fields},
        **{("code-form", n): off_form(n) for n in CODES.forms},
        ("coding-gap", "diagnosis"): gap(schema.DIAGNOSES),
        ("coding-gap", "procedure"): gap(schema.PROCEDURES),
        ("undated-procedure", ""): lambda r: any(
            r[c] is not None and r[d] is None for c, d in PROCEDURES
        ),
        ("date-without-procedure", ""): lambda r: any(
            r[d] is not None and r[c] is None for c, d in PROCEDURES
        ),
        ("procedure-outside-spell", ""): outside_spell,
        ("discharge-death", ""): lambda r: (r["dismeth"] in ("4", "5")) != (r["disdest"] == "79"),
        ("unfinished-discharge", ""): lambda r: (
            r["disdate"] is None
            and (r["disdest"] not in (None, "98") or r["dismeth"] not in (None, "8"))
        ),
        ("open-after-death", ""): lambda r: (
            r["disdate"] is None
            and died.get(r["person_id"]) is not None
            and r["admidate"] <= died[r["person_id"]]
        ),
        ("transfer-out-unlinked", ""): lambda r: r["disdest"] in TRANSFERS and r["cips_last"],
        ("transfer-in-unlinked", ""): lambda r: (
            r["cips_first"] and (r["admisorc"] in TRANSFERS or r["admimeth"] in ("2B", "81"))
        ),
    }
    counts = {rule: sum(map(holds, spells)) for rule, holds in rules.items()}
    return {rule: n for rule, n in counts.items() if n}


def off_list(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda r: r[name] is not None and str(r[name]) not in CODES.fields[name]


def off_form(name: str) -> Callable[[dict[str, Any]], bool]:
    form = CODES.forms[name]
    return lambda r: any(r[c] is not None and not form.fits(r[c]) for c in form.columns)


def gap(columns: tuple[str, ...]) -> Callable[[dict[str, Any]], bool]:
    return lambda r: any(r[a] is None and r[b] is not None for a, b in pairwise(columns))


def outside_spell(r: dict[str, Any]) -> bool:
    dates = [r[d] for d in schema.PROCEDURE_DATES if r[d] is not None]
    return any(d < r["admidate"] or (r["disdate"] is not None and d > r["disdate"]) for d in dates)
