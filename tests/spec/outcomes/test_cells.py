"""Spec (issue 18): a place's activity by cell (segment × age band × sex), the scenarios'
baseline, counted from linked data worked by hand.

Two people in the financial year 2025/26 (1 April 2025 to 31 March 2026):

- a woman born 1 June 1935 (89 at the year's start: 85+), with dementia (segment 8,
  frailty and dementia): an emergency admission on 1 May 2025 for 10 days, an A&E
  attendance that day, and residential care from 1 June 2025, still open: 304 days in the
  year, 304 / 7 weeks; and home support of 14 hours a week from 1 March 2026 to 14 March
  2026 (14 days: 2 weeks, 28 hours);
- a man born 1 January 1990 (35: 18-64), with no condition (segment 1, healthy, as he has
  no emergency admission): an elective admission on 1 August 2025 for 1 day, an outpatient
  appointment attended on 1 July 2025 and one missed, and a community contact; and
  reablement (ST-Max) starting 1 February 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.cells import PODS, cells, rounded, totals
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from tests.spec.outcomes.conftest import make_tables

YEAR = Period.financial_year(2025)


def place() -> DuckDBEngine:
    return DuckDBEngine(
        make_tables(
            persons=[
                {
                    "person_id": "A",
                    "sex": 2,
                    "date_of_birth": date(1935, 6, 1),
                    "ltc_dementia": True,
                },
                {"person_id": "B", "sex": 1, "date_of_birth": date(1990, 1, 1)},
            ],
            apc_spells=[
                {
                    "person_id": "A",
                    "admimeth": "21",
                    "admidate": date(2025, 5, 1),
                    "disdate": date(2025, 5, 11),
                },
                {
                    "person_id": "B",
                    "admimeth": "11",
                    "admidate": date(2025, 8, 1),
                    "disdate": date(2025, 8, 2),
                },
            ],
            ae_attendances=[{"person_id": "A", "arrival_date": date(2025, 5, 1)}],
            op_appointments=[
                {"person_id": "B", "apptdate": date(2025, 7, 1), "attended": "5"},
                {"person_id": "B", "apptdate": date(2025, 9, 1), "attended": "3"},
            ],
            community_contacts=[{"person_id": "B", "contact_date": date(2025, 10, 1)}],
            asc_cld=[
                {
                    "person_id": "A",
                    "Service_Type": "Long term support: Residential care",
                    "Service_Component": "Residential care",
                    "Event_Type": "Service",
                    "Event_Start_Date": date(2025, 6, 1),
                    "Event_End_Date": None,
                },
                {
                    "person_id": "A",
                    "Service_Type": "Long term support: Community",
                    "Service_Component": "Home support or domiciliary care",
                    "Event_Type": "Service",
                    "Event_Start_Date": date(2026, 3, 1),
                    "Event_End_Date": date(2026, 3, 14),
                    "Planned_units_per_week": 14,
                },
                {
                    "person_id": "B",
                    "Service_Type": "Short term support: ST-Max",
                    "Service_Component": "Reablement",
                    "Event_Type": "Service",
                    "Event_Start_Date": date(2026, 2, 1),
                    "Event_End_Date": date(2026, 2, 28),
                },
            ],
        )
    )


def test_each_cell_counts_its_people_and_activity_by_hand() -> None:
    found = {(r["segment"], r["age_band"], r["sex"]): r for r in cells(place().con, YEAR)}
    assert set(found) == {(8, "85+", "female"), (1, "18-64", "male")}
    her, him = found[(8, "85+", "female")], found[(1, "18-64", "male")]
    assert her["people"] == him["people"] == 1
    assert (her["emergency_admission"], her["bed_day"], her["ae_attendance"]) == (1, 10, 1)
    assert her["care_home_week"] == pytest.approx(304 / 7)
    assert her["home_care_hour"] == pytest.approx(28)
    assert (him["elective_admission"], him["bed_day"], him["outpatient"]) == (1, 1, 1)
    assert (him["community_contact"], him["reablement_case"]) == (1, 1)
    assert him["emergency_admission"] == her["elective_admission"] == 0


def test_the_cells_add_up_to_the_place() -> None:
    found = totals(cells(place().con, YEAR))
    assert found["people"] == 2
    assert found["bed_day"] == 11
    assert set(found) == {"people", *PODS}


def test_cells_are_rounded_to_the_nearest_five_before_any_scenario_uses_them() -> None:
    """Half up, every figure (people, counts, weeks, hours), small ones too: no scenario
    output then gives back an unrounded count (ADR 0025)."""
    row = {"segment": 8, "age_band": "85+", "sex": "female", "people": 12}
    given = {"emergency_admission": 2, "bed_day": 2.5, "care_home_week": 7.49,
             "home_care_hour": 1042.6}  # fmt: skip
    row |= dict.fromkeys(PODS, 0.0) | given
    (found,) = rounded([row])
    assert found["people"] == 10
    assert (found["emergency_admission"], found["bed_day"]) == (0, 5)
    assert (found["care_home_week"], found["home_care_hour"]) == (5, 1045)
    assert (found["segment"], found["age_band"]) == (8, "85+")
    assert all(found[pod] % 5 == 0 for pod in PODS)
