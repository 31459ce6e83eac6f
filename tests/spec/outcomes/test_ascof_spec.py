"""Spec: ASCOF 2B, 2C and 3D as DHSC's code computes them from Client Level Data, on
hand-made extracts whose answers are worked out beside each case (every engine)."""

from __future__ import annotations

from datetime import date
from typing import Any

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from tests.spec.outcomes.conftest import make_tables

YEAR = [Period.financial_year(2024)]  # 1 April 2024 to 31 March 2025
RESIDENTIAL = ("Long term support: Residential care", "Long term residential care")
NURSING = ("Long term support: Nursing care", "Long term nursing care")
COMMUNITY = ("Long term support: Community", "Home support or domiciliary care")


def service(
    person: str, kind: tuple[str, str], start: date, end: date | None = None, **kw: Any
) -> dict[str, Any]:
    return {
        "person_id": person,
        "Event_Type": "Service",
        "Service_Type": kind[0],
        "Service_Component": kind[1],
        "Event_Start_Date": start,
        "Event_End_Date": end,
        **kw,
    }


def measure(indicator: str, engine: Any, part: str = "numerator") -> dict[Any, Any]:
    found = indicators()[indicator]
    return engine.evaluate(getattr(found, part), YEAR, [])


def admissions(engine: Any) -> tuple[int, int]:
    """(ASCOF 2B numerator, ASCOF 2C numerator)."""
    young = measure("care-home-admissions-18-64", engine).get(("2024/25",), 0)
    old = measure("care-home-admissions-65-plus", engine).get(("2024/25",), 0)
    return young, old


def test_2c_counts_a_new_admission_once_and_not_someone_already_resident(engine_for) -> None:
    people = [{"person_id": p, "date_of_birth": date(1940, 1, 10)} for p in "abcdef"]
    tables = make_tables(
        persons=people,
        asc_cld=[
            # a: new in the year, then moves from residential to nursing: one person, once
            service("a", RESIDENTIAL, date(2024, 5, 1), date(2024, 8, 31)),
            service("a", NURSING, date(2024, 9, 1)),
            # b: already resident since 2023 (still open): not a new admission
            service("b", RESIDENTIAL, date(2023, 6, 1)),
            service("b", NURSING, date(2024, 7, 1)),
            # c: last placement ended 364 days before: not new; d: 365 days before: new
            service("c", RESIDENTIAL, date(2023, 1, 1), date(2023, 6, 1)),
            service("c", RESIDENTIAL, date(2024, 5, 30)),
            service("d", RESIDENTIAL, date(2023, 1, 1), date(2023, 6, 1)),
            service("d", RESIDENTIAL, date(2024, 5, 31)),
            # e: a short-term (respite) stay is not a long-term placement
            service(
                "e",
                ("Short term support: Other short term", "Short term residential care"),
                date(2024, 6, 1),
            ),
            # f: a placement with no component is dropped, as NULL NOT LIKE drops it in SQL
            service("f", (RESIDENTIAL[0], None), date(2024, 6, 1)),
        ],
    )
    assert admissions_for(engine_for(tables)) == (0, 2)  # a and d


def admissions_for(engine: Any) -> tuple[int, int]:
    return admissions(engine)


def test_2b_2c_self_funded_placements_and_deaths_are_left_out(engine_for) -> None:
    tables = make_tables(
        persons=[
            {"person_id": "funded", "date_of_birth": date(1940, 1, 10)},
            {
                "person_id": "dead",
                "date_of_birth": date(1940, 1, 10),
                "date_of_death": date(2024, 4, 30),
            },
        ],
        asc_cld=[
            service(
                "funded",
                RESIDENTIAL,
                date(2024, 6, 1),
                date(2024, 6, 30),
                Event_Outcome="NFA: Self-funded client or under 12wk disregard",
            ),
            service("dead", RESIDENTIAL, date(2024, 5, 1)),  # starts after death
        ],
    )
    assert admissions_for(engine_for(tables)) == (0, 0)


def test_2b_2c_age_is_taken_from_the_first_of_the_birth_month(engine_for) -> None:
    """Born 15 June 1959: 64 in completed years on 5 June 2024, but CLD gives DHSC only the
    month of birth, and 23,746 days since 1 June 1959 over 365.25 is 65.01: 2C, not 2B."""
    tables = make_tables(
        persons=[{"person_id": "a", "date_of_birth": date(1959, 6, 15)}],
        asc_cld=[service("a", RESIDENTIAL, date(2024, 6, 5))],
    )
    assert admissions_for(engine_for(tables)) == (0, 1)


def test_2b_2c_a_person_admitted_in_both_age_bands_counts_once_in_18_to_64(engine_for) -> None:
    """Admitted at 64 (new), then into a second home at 65 in the same year: the second is
    not new (the first started earlier and ended less than 365 days before), and the person
    counts once, in 2B."""
    tables = make_tables(
        persons=[{"person_id": "a", "date_of_birth": date(1959, 10, 20)}],
        asc_cld=[
            service("a", RESIDENTIAL, date(2024, 5, 1), date(2024, 10, 31)),
            service("a", RESIDENTIAL, date(2024, 11, 15)),
        ],
    )
    assert admissions_for(engine_for(tables)) == (1, 0)


def test_2b_2c_population_is_the_ons_mid_year_estimate(engine_for) -> None:
    tables = make_tables(
        persons=[
            {"person_id": "64-on-30-june", "date_of_birth": date(1959, 7, 1)},
            {"person_id": "65-on-30-june", "date_of_birth": date(1959, 6, 30)},
            {
                "person_id": "died-1-july",
                "date_of_birth": date(1930, 1, 1),
                "date_of_death": date(2024, 7, 1),
            },
            {
                "person_id": "died-29-june",
                "date_of_birth": date(1930, 1, 1),
                "date_of_death": date(2024, 6, 29),
            },
        ]
    )
    engine = engine_for(tables)
    assert measure("care-home-admissions-18-64", engine, "denominator") == {("2024/25",): 1}
    assert measure("care-home-admissions-65-plus", engine, "denominator") == {("2024/25",): 2}


def clients(engine: Any) -> tuple[int, int, int]:
    """(3D(1a) numerator, 3D(2a) numerator, their shared denominator) on 31 March 2025."""
    key = ("2024/25",)
    return (
        measure("self-directed-support", engine).get(key, 0),
        measure("direct-payments", engine).get(key, 0),
        measure("self-directed-support", engine, "denominator").get(key, 0),
    )


def community(person: str, start: date, end: date | None = None, **kw: Any) -> dict[str, Any]:
    return service(person, COMMUNITY, start, end, **kw)


def test_3d_residential_beats_community_on_31_march(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": p, "date_of_birth": date(1950, 1, 1)} for p in ("home", "both")],
        asc_cld=[
            community("home", date(2024, 1, 1), Delivery_Mechanism="Direct payment"),
            community("both", date(2024, 1, 1), Delivery_Mechanism="Direct payment"),
            service("both", RESIDENTIAL, date(2025, 3, 1)),
        ],
    )
    assert clients(engine_for(tables)) == (1, 1, 1)  # only "home" is a community client


def test_3d_delivery_mechanisms_and_the_direct_payment_component(engine_for) -> None:
    people = ["dp-component", "managed", "commissioned", "not-known", "two-services"]
    tables = make_tables(
        persons=[{"person_id": p, "date_of_birth": date(1950, 1, 1)} for p in people],
        asc_cld=[
            service(
                "dp-component",
                (COMMUNITY[0], "Direct payment"),
                date(2024, 1, 1),
                Delivery_Mechanism="CASSR managed personal budget",
            ),
            community(
                "managed", date(2024, 1, 1), Delivery_Mechanism="CASSR managed personal budget"
            ),
            community(
                "commissioned", date(2024, 1, 1), Delivery_Mechanism="CASSR commissioned support"
            ),
            community("not-known", date(2024, 1, 1)),
            community(
                "two-services", date(2024, 1, 1), Delivery_Mechanism="CASSR commissioned support"
            ),
            community("two-services", date(2024, 6, 1), Delivery_Mechanism="Direct payment"),
        ],
    )
    # self-directed: dp-component, managed, two-services; direct payments: dp-component,
    # two-services; all five are community clients
    assert clients(engine_for(tables)) == (3, 2, 5)


def test_3d_is_a_snapshot_of_adults_on_the_last_day(engine_for) -> None:
    tables = make_tables(
        persons=[
            {"person_id": "ended-30-march", "date_of_birth": date(1950, 1, 1)},
            {"person_id": "ends-31-march", "date_of_birth": date(1950, 1, 1)},
            {"person_id": "starts-1-april", "date_of_birth": date(1950, 1, 1)},
            # 18 on 31 March in completed years, but 17 from 1 April 2007 by DHSC's rule
            {"person_id": "young", "date_of_birth": date(2007, 4, 1)},
        ],
        asc_cld=[
            community("ended-30-march", date(2024, 1, 1), date(2025, 3, 30)),
            community("ends-31-march", date(2024, 1, 1), date(2025, 3, 31)),
            community("starts-1-april", date(2025, 4, 1)),
            community("young", date(2025, 1, 1), Delivery_Mechanism="Direct payment"),
        ],
    )
    assert clients(engine_for(tables)) == (0, 0, 1)
