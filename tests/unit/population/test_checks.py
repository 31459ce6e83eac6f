"""Consistency checks on a linked extract, each shown on a few hand-made rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from onebudget.population import checks_apc, schema
from onebudget.population.checks import CheckReport, Finding, check_extract
from onebudget.population.defined_lists import Release, defined_lists
from onebudget.population.extract import ExtractError, conform
from onebudget.population.sus_codes import apc_codes
from tests.spec.outcomes.conftest import make_tables

DIED = date(2024, 6, 1)
PEOPLE = [{"person_id": "p1"}, {"person_id": "p2", "date_of_death": DIED}, {"person_id": "p3"}]
ACTIVITY = {  # table: its start column
    "apc_spells": "admidate",
    "ae_attendances": "arrival_date",
    "op_appointments": "apptdate",
    "community_contacts": "contact_date",
    "asc_cld": "Event_Start_Date",
}
PSEUDONYMOUS = {
    "person_id",
    "spell_id",
    "attendance_id",
    "appointment_id",
    "contact_id",
    "Event_Reference",
    "speldur",
    *(c.name for t in schema.TABLES for c in t.columns if pa.types.is_date(c.type)),
    *defined_lists(2).fields,
    *apc_codes().fields,
    "field",  # the column of a value found in one of several positions
    "value",
}
RESIDENTIAL = "Long term support: Residential care"
NURSING = "Long term support: Nursing care"
ST_MAX = "Short term support: ST-Max"


def cld(**values: Any) -> dict[str, Any]:
    """A Release 2 service event of p1 with every listed field on its list."""
    return {
        "person_id": "p1",
        "Client_Type": "Service user",
        "Event_Type": "Service",
        "Primary_Support_Reason": "Physical support: Personal care support",
        "Event_Start_Date": date(2024, 1, 1),
        **values,
    }


def spell(person: str, admitted: date, discharged: date | None, **values: Any) -> dict[str, Any]:
    """An emergency spell from the provider's own emergency department, home again."""
    return {"person_id": person, "admidate": admitted, "disdate": discharged, "admimeth": "21",
            **values}  # fmt: skip


def check(release: Release = 2, **rows: Any) -> CheckReport:
    report = check_extract(make_tables(persons=PEOPLE, **rows), cld_release=release)
    for f in report.findings:
        assert 0 < len(f.examples) <= 5
        assert {k for e in f.examples for k, _ in e} <= PSEUDONYMOUS, f
    return report


def only(report: CheckReport, check_id: str, table: str | None = None) -> Finding:
    found = [f for f in report.findings if f.check == check_id and table in (None, f.table)]
    assert len(found) == 1, report.findings
    return found[0]


def ids(finding: Finding, column: str) -> list[Any]:
    return [dict(e)[column] for e in finding.examples]


def about(report: CheckReport, check_id: str, word: str) -> Finding:
    """The one finding of ``check_id`` whose rule names ``word`` (a field, form or position)."""
    found = [f for f in report.findings if f.check == check_id and word in f.rule.split()]
    assert len(found) == 1, report.findings
    return found[0]


def shown(finding: Finding) -> list[tuple[Any, Any]]:
    """Each example's spell_id and offending value."""
    return [(dict(e)["spell_id"], dict(e)["value"]) for e in finding.examples]


def test_a_clean_extract_has_no_findings() -> None:
    report = check(
        apc_spells=[spell("p1", date(2024, 1, 1), date(2024, 1, 5))],
        ae_attendances=[{"person_id": "p2", "arrival_date": DIED}],
        op_appointments=[{"person_id": "p1"}],
        community_contacts=[{"person_id": "p2"}],
        asc_cld=[cld(), cld(Event_Type="Assessment", Event_End_Date=date(2024, 1, 9))],
    )
    assert report.findings == ()
    assert dict(report.rows)["apc_spells"] == 1


def test_a_spell_after_death_is_found_with_only_pseudonymous_examples() -> None:
    report = check(apc_spells=[spell("p2", date(2024, 6, 2), date(2024, 6, 3), spell_id=7)])
    found = only(report, "starts-after-death")
    assert (found.table, found.severity, found.count) == ("apc_spells", "problem", 1)
    assert found.examples == (
        (
            ("person_id", "p2"),
            ("spell_id", 7),
            ("admidate", date(2024, 6, 2)),
            ("date_of_death", DIED),
        ),
    )
    assert found.rule == "a hospital spell starts after the person's date of death"


@pytest.mark.parametrize("table", ACTIVITY)
def test_any_event_after_death_is_found(table: str) -> None:
    rows = [{"person_id": "p2", ACTIVITY[table]: date(2024, 7, 1)}]
    if table == "asc_cld":
        rows = [cld(person_id="p2", Event_Start_Date=date(2024, 7, 1))]
    if table == "apc_spells":
        rows = [spell("p2", date(2024, 7, 1), date(2024, 7, 1))]
    assert only(check(**{table: rows}), "starts-after-death").table == table


def test_an_event_on_the_day_of_death_is_not_after_it() -> None:
    report = check(
        apc_spells=[spell("p2", DIED, DIED)],
        asc_cld=[cld(person_id="p2", Event_Start_Date=DIED, Event_End_Date=DIED)],
    )
    assert report.findings == ()


def test_a_spell_or_service_ending_after_death_is_found() -> None:
    report = check(
        apc_spells=[spell("p2", date(2024, 5, 20), date(2024, 6, 4))],
        asc_cld=[
            cld(person_id="p2", Event_Start_Date=date(2024, 5, 1), Event_End_Date=date(2024, 6, 9)),
            cld(person_id="p2", Event_Type="Assessment", Event_End_Date=date(2024, 6, 9)),
        ],
    )
    ended = {f.table: f.count for f in report.findings if f.check == "ends-after-death"}
    assert ended == {"apc_spells": 1, "asc_cld": 1}  # an assessment may close after death
    assert not [f for f in report.findings if f.check == "starts-after-death"]


def test_an_open_service_after_death_is_a_note() -> None:
    found = only(check(asc_cld=[cld(person_id="p2")]), "open-after-death")
    assert (found.severity, found.count) == ("note", 1)


def test_events_before_birth_and_death_before_birth_are_found() -> None:
    born = [{"person_id": "p1", "date_of_birth": date(2024, 2, 1)}]
    report = check_extract(make_tables(persons=born, ae_attendances=[{"person_id": "p1"}]))
    assert only(report, "before-birth").table == "ae_attendances"
    died = [{"person_id": "p1", "date_of_death": date(1940, 1, 1)}]
    found = only(check_extract(make_tables(persons=died)), "before-birth")
    assert (found.table, ids(found, "date_of_death")) == ("persons", [date(1940, 1, 1)])


def test_ends_before_starts_and_a_wrong_length_of_stay_are_found() -> None:
    report = check(
        apc_spells=[
            spell("p1", date(2024, 3, 5), date(2024, 3, 1)),
            spell("p1", date(2024, 4, 1), date(2024, 4, 3), speldur=3),
        ],
        asc_cld=[cld(Event_End_Date=date(2023, 12, 31))],
    )
    ends = {f.table: f.count for f in report.findings if f.check == "ends-before-starts"}
    assert ends == {"apc_spells": 1, "asc_cld": 1}
    assert ids(only(report, "length-of-stay"), "speldur") == [3]


def test_overlapping_spells_are_found_but_a_transfer_on_the_discharge_day_is_not() -> None:
    transfer = [
        spell("p1", date(2024, 1, 1), date(2024, 1, 5)),
        spell("p1", date(2024, 1, 5), date(2024, 1, 8)),
    ]
    assert check(apc_spells=transfer).findings == ()
    nested = [
        spell("p1", date(2024, 1, 1), date(2024, 1, 10), spell_id=1),
        spell("p1", date(2024, 1, 3), date(2024, 1, 3), spell_id=2),  # a day case within it
        spell("p1", date(2024, 1, 10), date(2024, 1, 12), spell_id=3),  # readmitted that day
        spell("p2", date(2024, 1, 3), date(2024, 1, 4), spell_id=4),  # someone else
    ]
    found = only(check(apc_spells=nested), "overlapping-spells")
    assert (found.count, ids(found, "spell_id")) == (2, [1, 2])


def test_two_placements_open_on_one_day_are_found_but_a_move_is_not() -> None:
    move = [
        cld(Service_Type=RESIDENTIAL, Event_End_Date=date(2024, 3, 1)),
        cld(Service_Type=NURSING, Event_Start_Date=date(2024, 3, 1)),
    ]
    assert check(asc_cld=move).findings == ()
    both = [
        cld(Service_Type=RESIDENTIAL),
        cld(Service_Type=NURSING.upper(), Event_Start_Date=date(2024, 5, 1)),
    ]
    found = only(check(asc_cld=both), "overlapping-placements")
    assert (found.severity, found.count) == ("problem", 2)


def test_overlapping_st_max_services_are_a_note() -> None:
    rows = [
        cld(Service_Type=ST_MAX, Event_End_Date=date(2024, 2, 1)),
        cld(
            Service_Type=ST_MAX,
            Event_Start_Date=date(2024, 1, 15),
            Event_End_Date=date(2024, 2, 15),
        ),
        cld(Service_Type="Long term support: Community", Event_Start_Date=date(2024, 1, 10)),
    ]
    found = only(check(asc_cld=rows), "overlapping-st-max")
    assert (found.severity, found.count) == ("note", 2)


def test_a_release_1_value_in_a_release_2_extract_is_a_problem_reported_as_found() -> None:
    report = check(asc_cld=[cld(Client_Type="Carer"), cld(Client_Type="Carer")])
    found = only(report, "defined-list")
    assert (found.severity, found.count) == ("problem", 2)
    assert "Client_Type" in found.rule
    assert "'Carer' (2 rows, a Release 1 value)" in found.rule
    assert ids(found, "Client_Type") == ["Carer", "Carer"]


def test_values_differing_only_in_case_or_trailing_spaces_are_accepted() -> None:
    rows = [cld(Client_Type="SERVICE USER  ", Event_Type="service", Service_Type=ST_MAX.lower())]
    assert check(asc_cld=rows).findings == ()


def test_a_value_outside_an_incomplete_list_is_a_note_naming_it() -> None:
    found = only(check(asc_cld=[cld(Gender="Non-binary")]), "defined-list")
    assert found.severity == "note"
    assert "Gender" in found.rule
    assert "'Non-binary' (1 row)" in found.rule


def test_a_release_1_extract_checks_clean_against_release_1() -> None:
    rows = [
        cld(
            Client_Type="Service User",
            Service_Type="Long Term Support: Residential Care",
            Event_End_Date=date(2024, 2, 1),
            Event_Outcome="NFA - Deceased",
            Primary_Support_Reason="Support with Memory & Cognition",
        )
    ]
    assert check(1, asc_cld=rows).findings == ()
    found = [(f.severity, f.rule.split()[0]) for f in check(2, asc_cld=rows).findings]
    assert found == [("problem", "Event_Outcome"), ("note", "Primary_Support_Reason")]


def test_unknown_and_duplicate_people_are_found() -> None:
    persons = [*PEOPLE, {"person_id": "p1"}]
    tables = make_tables(persons=persons, op_appointments=[{"person_id": "nobody"}])
    report = check_extract(tables)
    assert ids(only(report, "unknown-person", "op_appointments"), "person_id") == ["nobody"]
    twice = only(report, "duplicate-person")
    assert (twice.count, twice.unit, twice.examples) == (1, "people", ((("person_id", "p1"),),))


def test_duplicate_row_ids_are_found_within_a_council() -> None:
    report = check(
        apc_spells=[spell("p1", date(2024, 1, 1), date(2024, 1, 1), spell_id=5)] * 2,
        asc_cld=[
            cld(Event_Reference="E1"),
            cld(Event_Reference="E1", LA_Code="E06000002"),  # another council's numbering
        ],
    )
    found = only(report, "duplicate-id")
    assert (found.table, found.count, ids(found, "spell_id")) == ("apc_spells", 2, [5, 5])


def test_examples_are_at_most_five() -> None:
    spells = [spell("p2", date(2024, 7, d), date(2024, 7, d)) for d in range(1, 8)]
    found = only(check(apc_spells=spells), "starts-after-death")
    assert (found.count, len(found.examples)) == (7, 5)


def test_carers_linked_to_no_service_user_are_a_note() -> None:
    carer = {"Client_Type": "Unpaid carer", "Event_Reference": "C1", "person_id": "p3"}
    linked = [cld(LA_Person_Unique_Identifier="LA9"), cld(**carer, Adult_1_Linked_Person_ID="LA9 ")]
    assert check(asc_cld=linked).findings == ()
    unlinked = [
        cld(LA_Person_Unique_Identifier="LA9"),
        cld(**carer, Adult_1_Linked_Person_ID="LA8"),
    ]
    found = only(check(asc_cld=unlinked), "unlinked-carer")
    assert (found.severity, found.examples[0][:2]) == (
        "note",
        (("person_id", "p3"), ("Event_Reference", "C1")),
    )
    elsewhere = [cld(LA_Person_Unique_Identifier="LA9"), cld(**carer, LA_Code="E06000002")]
    elsewhere[1]["Adult_1_Linked_Person_ID"] = "LA9"  # another council's LA9
    assert only(check(asc_cld=elsewhere), "unlinked-carer").count == 1


def test_empty_required_values_are_found() -> None:
    found = only(check(op_appointments=[{"person_id": "p1", "apptdate": None}]), "missing-value")
    assert (found.table, found.count) == ("op_appointments", 1)
    assert "apptdate" in found.rule


def test_problems_come_before_notes_and_read_as_json() -> None:
    report = check(asc_cld=[cld(Gender="Other", Client_Type="Carer")])
    assert [f.severity for f in report.findings] == ["problem", "note"]
    shown = report.as_json()
    assert (shown["problems"], shown["notes"], shown["cld_release"]) == (1, 1, 2)
    assert shown["findings"][0]["examples"][0]["Event_Start_Date"] == "2024-01-01"


def test_tables_are_conformed_or_refused_with_what_is_wrong() -> None:
    tables = make_tables(persons=PEOPLE)
    persons = tables["persons"]
    widened = persons.set_column(1, "sex", persons.column("sex").cast(pa.int64()))
    extra = widened.append_column("nhs_number", pa.array(["x", "y", "z"]))
    conformed = conform(schema.PERSONS, extra)
    assert conformed.schema.types == persons.schema.types
    assert conformed.to_pylist() == persons.to_pylist()
    with pytest.raises(ExtractError, match="persons: no column date_of_death"):
        check_extract({**tables, "persons": persons.drop_columns(["date_of_death"])})
    with pytest.raises(ExtractError, match="no asc_cld table"):
        check_extract({k: v for k, v in tables.items() if k != "asc_cld"})
    text = persons.set_column(2, "date_of_birth", pa.array(["1950-01-01", "1951-02-03", "someday"]))
    with pytest.raises(ExtractError, match="column date_of_birth is string, not date32"):
        conform(schema.PERSONS, text, "persons.parquet")


JAN = date(2024, 1, 1)


def test_a_code_off_its_list_is_a_problem_naming_the_codes_and_their_rows() -> None:
    report = check(
        apc_spells=[
            spell("p1", JAN, JAN, spell_id=1, admimeth="2E"),
            spell("p1", JAN, JAN, spell_id=2, admimeth="2E"),
            spell("p1", JAN, JAN, spell_id=3, admimeth="2b", classpat=7),  # HES writes 2B
            spell("p1", JAN, JAN, spell_id=4, admimeth="28", classpat=2),  # listed, historical
        ]
    )
    method = about(report, "sus-code", "admimeth")
    assert (method.severity, method.count, ids(method, "spell_id")) == ("problem", 3, [1, 2, 3])
    assert method.rule.endswith(": '2E' (2 rows); '2b' (1 row)")
    patient = about(report, "sus-code", "classpat")  # an integer, compared as its text
    assert (patient.count, ids(patient, "classpat")) == (1, [7])
    assert patient.rule.endswith(": '7' (1 row)")


def test_a_code_off_a_list_of_codes_in_use_is_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    codes = apc_codes()
    partial = replace(codes.fields["epitype"], complete=False)
    fields = {**codes.fields, "epitype": partial}
    monkeypatch.setattr(checks_apc, "apc_codes", lambda: replace(codes, fields=fields))
    report = check(apc_spells=[spell("p1", JAN, JAN, epitype="7"), spell("p1", JAN, JAN)])
    found = about(report, "sus-code", "epitype")
    assert (found.severity, found.count, ids(found, "epitype")) == ("note", 1, ["7"])


def test_clinical_codes_not_of_their_form_are_found_in_any_position() -> None:
    report = check(
        apc_spells=[
            spell("p1", JAN, JAN, spell_id=1, diag_4_01="I10.", diag_4_02="i10x"),
            spell("p1", JAN, JAN, spell_id=2, diag_4_02="I10.", opertn_4_01="W40.1",
                  opdate_01=JAN, tretspef="30"),
            spell("p1", JAN, JAN, spell_id=3, diag_4_01="J18", diag_4_02="R69-",
                  opertn_4_01="W401", opdate_01=JAN, mainspef="100"),
        ]
    )  # fmt: skip
    diagnosis = about(report, "code-form", "diagnosis")
    assert (diagnosis.severity, diagnosis.count) == ("problem", 2)
    assert shown(diagnosis) == [(1, "I10."), (2, "I10.")]  # the first position found wrong
    assert ids(diagnosis, "field") == ["diag_4_01", "diag_4_02"]
    assert diagnosis.rule.endswith(": 'I10.' (2 times); 'i10x' (1 time)")
    assert shown(about(report, "code-form", "procedure")) == [(2, "W40.1")]
    specialty = about(report, "code-form", "specialty")
    assert (ids(specialty, "field"), shown(specialty)) == (["tretspef"], [(2, "30")])


def test_a_position_filled_after_an_empty_one_is_a_note() -> None:
    report = check(
        apc_spells=[
            spell("p1", JAN, JAN, spell_id=1, diag_4_03="J18X"),
            spell("p1", JAN, JAN, spell_id=2, diag_4_02="E119", diag_4_03="J18X",
                  opertn_4_01="W401", opdate_01=JAN, opertn_4_24="X998", opdate_24=JAN),
        ]
    )  # fmt: skip
    diagnosis = about(report, "coding-gap", "diagnosis")
    assert (diagnosis.severity, shown(diagnosis), ids(diagnosis, "field")) == (
        "note",
        [(1, "J18X")],
        ["diag_4_03"],
    )
    procedure = about(report, "coding-gap", "procedure")
    assert (shown(procedure), ids(procedure, "field")) == ([(2, "X998")], ["opertn_4_24"])


def test_procedures_and_their_dates_must_pair_and_fall_within_the_spell() -> None:
    jan = [JAN.replace(day=d) for d in range(1, 32)]
    report = check(
        apc_spells=[
            spell("p1", jan[1], jan[4], spell_id=1, opertn_4_01="W401"),
            spell("p1", jan[5], jan[6], spell_id=2, opdate_01=jan[5]),
            spell("p1", jan[7], jan[9], spell_id=3, opertn_4_01="W401", opdate_01=jan[6]),
            spell("p1", jan[10], jan[12], spell_id=4, opertn_4_01="W401", opdate_01=jan[10],
                  opertn_4_02="W402", opdate_02=jan[13]),
            spell("p1", jan[14], jan[16], spell_id=5, opertn_4_01="W401", opdate_01=jan[14],
                  opertn_4_02="W402", opdate_02=jan[16]),  # on the days it starts and ends
            spell("p1", jan[20], None, spell_id=6, speldur=None, opertn_4_01="W401",
                  opdate_01=jan[30], dismeth="8", disdest="98"),  # unfinished: open
            spell("p2", jan[1], jan[2], spell_id=7, opertn_4_01="-"),  # HES: no operation
            spell("p3", jan[1], jan[2], spell_id=8, opertn_4_01="&"),  # HES: not known
        ]
    )  # fmt: skip
    assert not [f for f in report.findings if f.check == "code-form"]
    assert shown(only(report, "undated-procedure")) == [(1, "W401")]
    assert shown(only(report, "date-without-procedure")) == [(2, jan[5])]
    outside = only(report, "procedure-outside-spell")
    assert (outside.severity, shown(outside)) == ("problem", [(3, jan[6]), (4, jan[13])])
    assert ids(outside, "field") == ["opdate_01", "opdate_02"]


def test_a_death_in_the_discharge_method_but_not_the_destination_is_a_problem() -> None:
    report = check(
        apc_spells=[
            spell("p2", DIED, DIED, spell_id=1, dismeth="4", disdest="19"),
            spell("p3", JAN, JAN, spell_id=2, dismeth="1", disdest="79"),
            spell("p3", JAN, JAN, spell_id=3, dismeth="5", disdest="79"),  # a stillbirth
            spell("p2", JAN, JAN, spell_id=4, dismeth="1", disdest="19"),
        ]
    )
    found = only(report, "discharge-death")
    assert (found.severity, ids(found, "spell_id"), ids(found, "disdest")) == (
        "problem",
        [1, 2],
        ["19", "79"],
    )


def test_an_unfinished_spell_is_open_in_every_check() -> None:
    unfinished = {"speldur": None, "dismeth": "8", "disdest": "98"}
    report = check(
        apc_spells=[
            spell("p1", JAN, None, spell_id=1, **unfinished),
            spell("p3", JAN, None, spell_id=2, **{**unfinished, "dismeth": None, "disdest": None}),
        ]
    )
    assert report.findings == ()  # no length of stay, no end before the start
    report = check(
        apc_spells=[
            spell("p1", JAN, None, spell_id=1, speldur=None, dismeth="1", disdest="19"),
            spell("p2", date(2024, 5, 20), None, spell_id=2, **unfinished),
            spell("p3", JAN, None, spell_id=3, **unfinished),
            spell("p3", date(2024, 3, 1), date(2024, 3, 2), spell_id=4),  # while in hospital
        ]
    )
    codes = only(report, "unfinished-discharge")
    assert (codes.severity, ids(codes, "spell_id"), ids(codes, "disdest")) == ("note", [1], ["19"])
    dead = only(report, "open-after-death", "apc_spells")
    assert (dead.severity, ids(dead, "spell_id")) == ("note", [2])
    assert ids(only(report, "overlapping-spells"), "spell_id") == [3, 4]
    assert not [f for f in report.findings if f.check in ("ends-after-death", "length-of-stay")]


def test_a_transfer_linking_to_no_spell_is_a_note() -> None:
    linked = [
        spell("p1", JAN, date(2024, 1, 5), spell_id=1, disdest="51"),
        spell("p1", date(2024, 1, 6), date(2024, 1, 9), spell_id=2, admisorc="51"),
        spell("p3", JAN, date(2024, 1, 5), spell_id=3, disdest="52"),
        spell("p3", date(2024, 1, 5), date(2024, 1, 9), spell_id=4, admimeth="2B"),
    ]
    assert check(apc_spells=linked).findings == ()
    report = check(
        apc_spells=[
            spell("p1", JAN, date(2024, 1, 5), spell_id=1, disdest="53"),
            spell("p1", date(2024, 1, 12), date(2024, 1, 14), spell_id=2, admimeth="81"),
            spell("p3", JAN, date(2024, 1, 5), spell_id=3, admisorc="52"),
        ]
    )
    out = only(report, "transfer-out-unlinked")
    assert (out.severity, ids(out, "spell_id"), ids(out, "disdest")) == ("note", [1], ["53"])
    into = only(report, "transfer-in-unlinked")
    assert (into.severity, ids(into, "spell_id")) == ("note", [2, 3])


def test_an_extract_from_before_the_discharge_ready_date_loads_with_it_empty() -> None:
    """``disreadydate`` is in the layout from 2023/24: an older extract without it is not
    refused, and every row reads as not recorded; any other missing column still is."""
    apc = make_tables(persons=PEOPLE)["apc_spells"]
    older = apc.drop_columns(["disreadydate"])
    conformed = conform(schema.APC, older)
    assert conformed.column("disreadydate").null_count == conformed.num_rows
    assert conformed.column("admidate").to_pylist() == apc.column("admidate").to_pylist()
    with pytest.raises(ExtractError, match="no column disdate"):
        conform(schema.APC, older.drop_columns(["disdate"]))
