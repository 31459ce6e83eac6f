"""The extract checks on random small extracts: they never raise, their examples are few and
real, and their counts agree with the same rules counted again in plain Python."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.population import schema
from onebudget.population.checks import STARTS, CheckReport, check_extract
from onebudget.population.defined_lists import defined_lists, fold
from tests.spec.outcomes.conftest import make_tables

START = date(2023, 1, 1)
PLACEMENTS = {fold("Long term support: Residential care"), fold("Long term support: Nursing care")}
PERSON_COLUMNS = {c.name for c in schema.PERSONS.columns}
days = st.integers(0, 60).map(lambda d: START + timedelta(days=d))
maybe_days = st.one_of(st.none(), days)


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
    def spell(person: str, admitted: date, stay: int, wrong: bool, spell_id: int) -> dict[str, Any]:
        discharged = admitted + timedelta(days=stay)
        speldur = stay + 1 if wrong else stay
        return {"person_id": person, "admidate": admitted, "disdate": discharged,
                "speldur": speldur, "spell_id": spell_id}  # fmt: skip

    return st.builds(spell, who, days, st.integers(-2, 12), st.booleans(), st.integers(1, 12))


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
