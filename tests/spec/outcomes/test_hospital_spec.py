"""Spec: the hospital indicators as their specifications define them, worked out by hand on
admitted patient care spells (falls 65+ per Fingertips 22401, chronic ACSC per CCG OIS 2.6,
30-day readmissions per Compendium I02040, continuous inpatient spells per ADR 0013)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from tests.spec.outcomes.conftest import make_tables, parts

YEAR = [Period.financial_year(2024)]
DAY = date(2024, 6, 3)


def stay(person: str, admitted: date, days: int, **kw: Any) -> dict[str, Any]:
    return {
        "person_id": person,
        "admidate": admitted,
        "disdate": admitted + timedelta(days=days),
        "admimeth": kw.pop("admimeth", "21"),
        **kw,
    }


def counts(engine_for: Any, name: str, spells: list[dict[str, Any]], born: date) -> Any:
    people = sorted({s["person_id"] for s in spells})
    tables = make_tables(
        persons=[{"person_id": p, "date_of_birth": born} for p in people], apc_spells=spells
    )
    return parts(engine_for(tables), name, YEAR[0])


def numerator(engine_for: Any, name: str, spells: list[dict[str, Any]], born: date) -> int:
    return int(counts(engine_for, name, spells, born)[0])


def test_a_fall_coded_in_the_fourth_diagnosis_counts(engine_for) -> None:
    old = date(1940, 1, 1)
    fall = {"diag_4_01": "S720", "diag_4_02": "I10X", "diag_4_03": "E119"}
    spells = [
        stay("a", DAY, 5, **fall, diag_4_04="W19X"),  # counts: CAUSE is W19 in position 4
        stay("b", DAY, 5, **{**fall, "diag_4_02": "V031"}, diag_4_04="W19X"),  # CAUSE: V031
        stay("c", DAY, 5, diag_4_01="R55X", diag_4_02="W19X"),  # not an injury
        stay("d", DAY, 0, **fall, diag_4_04="W010", classpat=2),  # a day case
        stay("e", DAY, 5, **fall, diag_4_04="W010", admimeth="11"),  # elective
        stay("f", DAY, 5, diag_4_01="T141", diag_4_02="W10X"),  # counts: T code, W10
    ]
    assert numerator(engine_for, "falls-65-plus", spells, old) == 2


def test_falls_count_from_the_65th_birthday_on_the_day_of_admission(engine_for) -> None:
    fall = {"diag_4_01": "S525", "diag_4_02": "W01X"}
    turned = date(1959, 6, 3)  # 65 on DAY
    spells = [stay("a", DAY, 1, **fall), stay("a", DAY - timedelta(days=10), 1, **fall)]
    assert numerator(engine_for, "falls-65-plus", spells, turned) == 1


def test_heart_failure_with_a_pacemaker_fitted_is_not_ambulatory_care_sensitive(
    engine_for,
) -> None:
    born = date(1950, 1, 1)
    spells = [
        stay("a", DAY, 6, diag_4_01="I500"),  # counts
        stay("b", DAY, 6, diag_4_01="I500", opertn_4_01="U051", opertn_4_02="K601"),
        stay("c", DAY, 6, diag_4_01="I10X", opertn_4_01="K611"),  # hypertension, pacemaker
        stay("d", DAY, 6, diag_4_01="I489", opertn_4_01="K601"),  # counts: AF has no exclusion
        stay("e", DAY, 2, diag_4_01="I209", opertn_4_01="U051"),  # angina with an operation
        stay("f", DAY, 2, diag_4_01="I209", opertn_4_01="Y981"),  # counts: chapter Y only
        stay("g", DAY, 2, diag_4_01="I500", opertn_4_01="K634"),  # counts: K63 not listed
    ]
    assert numerator(engine_for, "chronic-acsc-admissions", spells, born) == 4


def test_acsc_codes_as_the_specification_lists_them(engine_for) -> None:
    born = date(1950, 1, 1)
    spells = [
        stay("a", DAY, 3, diag_4_01="J209", diag_4_02="I10X", diag_4_05="J449"),  # counts
        stay("b", DAY, 3, diag_4_01="J209", diag_4_02="I10X"),  # bronchitis without COPD
        stay("c", DAY, 3, diag_4_01="G309"),  # Alzheimer's G30 is not on the list
        stay("d", DAY, 3, diag_4_01="B181"),  # counts: chronic hepatitis B
        stay("e", DAY, 3, diag_4_01="D509"),  # counts: iron-deficiency anaemia
        stay("f", DAY, 3, diag_4_01="D500"),  # D50.0 (blood loss) is not
        stay("g", DAY, 3, diag_4_01="E119", admimeth="12"),  # elective
        stay("h", DAY, 0, diag_4_01="J459", classpat=2),  # a day case
    ]
    assert numerator(engine_for, "chronic-acsc-admissions", spells, born) == 3


def transfer(person: str, first: dict[str, Any], days: int, **kw: Any) -> list[dict[str, Any]]:
    """A stay that moved hospitals on its discharge day: two provider spells, one CIPS."""
    moved = first["disdate"]
    return [
        {**first, "disdest": "51"},
        stay(person, moved, days, admimeth="2B", admisorc="51", procode3="RYY", **kw),
    ]


def test_a_transfer_between_providers_is_one_admission(engine_for) -> None:
    born = date(1950, 1, 1)
    spells = transfer("a", stay("a", DAY, 2, diag_4_01="I500"), 4, diag_4_01="I500")
    assert numerator(engine_for, "chronic-acsc-admissions", spells, born) == 1
    assert numerator(engine_for, "emergency-admissions-65-plus", spells, born) == 1
    # It is one discharge, home from the second hospital, and not a readmission.
    assert counts(engine_for, "discharge-usual-residence", spells, born) == (1, 1)
    assert counts(engine_for, "emergency-readmissions-30-days", spells, born) == (0, 1)


def test_readmission_on_day_0_and_day_29_counts_and_day_30_does_not(engine_for) -> None:
    born = date(1970, 1, 1)
    out = DAY + timedelta(days=3)
    spells = [
        stay("a", DAY, 3),
        stay("a", out, 1),  # day 0: readmitted on the day of discharge
        stay("b", DAY, 3),
        stay("b", out + timedelta(days=29), 1),  # day 29
        stay("c", DAY, 3),
        stay("c", out + timedelta(days=30), 1),  # day 30: too late
        stay("d", DAY, 3, admimeth="11"),  # an elective stay is an index too
        stay("d", out + timedelta(days=10), 1),
        stay("e", DAY, 3),
        stay("e", out + timedelta(days=5), 1, admimeth="12"),  # an elective return is not
    ]
    # Index stays: a's, b's and c's two each, d's two, e's two: ten. Readmitted: a, b, d.
    assert counts(engine_for, "emergency-readmissions-30-days", spells, born) == (3, 10)


def test_stays_begun_on_the_same_day_never_readmit_each_other(engine_for) -> None:
    """Without times, which of two stays begun on one day came first is unknown: neither is
    the other's readmission (ADR 0013); a stay of no nights is never its own."""
    born = date(1970, 1, 1)
    spells = [stay("a", DAY, 0), stay("a", DAY, 0, admimeth="22"), stay("b", DAY, 0)]
    assert counts(engine_for, "emergency-readmissions-30-days", spells, born) == (0, 3)


def test_readmissions_leave_out_deaths_cancer_and_maternity(engine_for) -> None:
    born = date(1970, 1, 1)
    back = DAY + timedelta(days=10)
    spells = [
        stay("a", DAY, 3, disdest="79", dismeth="4"),  # died: not an index
        stay("b", DAY, 3, diag_4_01="C509"),  # cancer: not an index
        stay("b", back, 2),
        stay("c", DAY, 3),
        stay("c", back, 2, diag_4_01="R074", diag_4_07="C780"),  # cancer in the readmission
        stay("d", DAY, 3),
        stay("d", back, 2, mainspef="710"),  # mental health specialty
        stay("e", DAY, 3, diag_4_01="O470", mainspef="501"),  # maternity: not an index
    ]
    # Index stays: b's second, c's first, d's two. None is readmitted as the method counts.
    assert counts(engine_for, "emergency-readmissions-30-days", spells, born) == (0, 4)


def test_cancer_anywhere_in_a_transferred_stay_leaves_it_out(engine_for) -> None:
    born = date(1970, 1, 1)
    moved = transfer("a", stay("a", DAY, 2, diag_4_01="R074", diag_4_03="C509"), 3)
    back = stay("a", DAY + timedelta(days=15), 2)
    # The stay had cancer coded in its first hospital: only the later stay is an index.
    assert counts(engine_for, "emergency-readmissions-30-days", [*moved, back], born) == (0, 1)
    clean = transfer("b", stay("b", DAY, 2, diag_4_01="R074"), 3)
    again = stay("b", DAY + timedelta(days=15), 2)
    assert counts(engine_for, "emergency-readmissions-30-days", [*clean, again], born) == (1, 2)


def reablement(person: str, start: date) -> dict[str, Any]:
    return {
        "person_id": person,
        "Event_Type": "Service",
        "Service_Type": "Short term support: ST-Max",
        "Service_Component": "Reablement",
        "Event_Start_Date": start,
        "Event_End_Date": start + timedelta(days=28),
        "Event_Reference": f"R-{person}",
    }


def two_d_tables() -> Any:
    """Reablement from DAY + 4 for everyone; discharges around it, as each comment says."""
    out, start = DAY + timedelta(days=2), DAY + timedelta(days=4)
    spells = [
        stay("a", DAY, 2, tretspef="300"),  # linked, stays at home: a success
        stay("b", DAY, 2),
        stay("b", start + timedelta(days=20), 3),  # readmitted in 84 days: a failure
        stay("c", DAY, 2, tretspef="501"),  # maternity: not a discharge DHSC links
        stay("d", out, 0),  # a stay of no nights: not linked
        stay("e", DAY, 2, disdest="51"),  # to another hospital: not linked
        stay("f", DAY, 2),  # dies on the day reablement starts: a failure
        stay("g", DAY - timedelta(days=10), 2),  # discharged 12 days before: not linked
        stay("h", DAY, 2),
        stay("h", out + timedelta(days=84), 2),  # readmitted on day 84: a failure
        stay("i", DAY, 2),
        stay("i", out + timedelta(days=85), 2),  # day 85: after the 12 weeks, a success
        stay("j", DAY + timedelta(days=3), 2),  # discharged the day after reablement starts
        stay("j", DAY + timedelta(days=5), 2),  # back the same day: not after it, a success
        stay("k", DAY + timedelta(days=3), 2),
        stay("k", DAY + timedelta(days=6), 2),  # back the next day: a failure
    ]
    born, dead = date(1950, 1, 1), {"f": start}
    people = sorted({s["person_id"] for s in spells})
    return make_tables(
        persons=[
            {"person_id": p, "date_of_birth": born, "date_of_death": dead.get(p)} for p in people
        ],
        apc_spells=spells,
        asc_cld=[reablement(p, start) for p in people],
    )


def test_2d_links_reablement_to_a_discharge_as_dhsc_selects_it(engine_for) -> None:
    """ASCOF 2D part 1: which discharges link, and what counts as a failure."""
    assert parts(engine_for(two_d_tables()), "reablement-at-home-91-days", YEAR[0]) == (3, 7)


def test_2d_part_2_counts_linked_episodes_over_all_discharges(engine_for) -> None:
    """Seven episodes linked; thirteen discharges as DHSC selects them (not c's maternity
    stay, d's stay of no nights or e's transfer; the later stays of b, h to k count)."""
    assert parts(engine_for(two_d_tables()), "reablement-after-discharge", YEAR[0]) == (7, 13)


def test_2d_counts_in_the_year_of_the_discharge(engine_for) -> None:
    """Discharged on 31 March, reablement from 2 April: the year the discharge ended."""
    discharged = date(2025, 3, 31)
    tables = make_tables(
        persons=[{"person_id": "a", "date_of_birth": date(1950, 1, 1)}],
        apc_spells=[stay("a", discharged - timedelta(days=4), 4)],
        asc_cld=[reablement("a", discharged + timedelta(days=2))],
    )
    engine, indicator = engine_for(tables), indicators()["reablement-at-home-91-days"]
    years = [Period.financial_year(2024), Period.financial_year(2025)]
    assert engine.evaluate(indicator.denominator, years, []) == {("2024/25",): 1}
