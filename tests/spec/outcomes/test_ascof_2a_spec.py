"""Spec: ASCOF 2A as DHSC's code computes it from Client Level Data (episodes of ST-Max
support and what followed them), on hand-made extracts worked out beside each case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from tests.spec.outcomes.conftest import make_tables

YEAR = [Period.financial_year(2024)]
ST_MAX = "Short term support: ST-Max"
COMMUNITY = "Long term support: Community"
AS_PLANNED = "NFA: Support ended as planned"
START = date(2024, 6, 3)


def event(person: str, kind: str, start: date, end: date | None, **kw: Any) -> dict[str, Any]:
    return {
        "person_id": person,
        "Event_Type": kind,
        "Event_Start_Date": start,
        "Event_End_Date": end,
        "Event_Reference": f"{person}-{kind}-{start}-{kw.get('Service_Type', '')}",
        **kw,
    }


def st_max(person: str, start: date, days: int, outcome: str | None = AS_PLANNED) -> dict:
    end = start + timedelta(days=days)
    return event(
        person,
        "Service",
        start,
        end,
        Service_Type=ST_MAX,
        Service_Component="Reablement",
        Event_Outcome=outcome,
    )


def two_a(engine_for: Any, *rows: dict[str, Any], **people: Any) -> tuple[int, int]:
    persons = {r["person_id"] for r in rows}
    tables = make_tables(
        persons=[
            {"person_id": p, "date_of_birth": date(1940, 3, 1), **people.get(p, {})}
            for p in sorted(persons)
        ],
        asc_cld=list(rows),
    )
    indicator = indicators()["short-term-no-further-request"]
    engine = engine_for(tables)
    key = ("2024/25",)
    numerator = engine.evaluate(indicator.numerator, YEAR, []).get(key, 0)
    return numerator, engine.evaluate(indicator.denominator, YEAR, []).get(key, 0)


def test_services_7_days_apart_are_one_episode_8_days_apart_two(engine_for) -> None:
    # a: 10 days, then 7 days after its end another: one episode; b: 8 days after, two
    rows = [
        st_max("a", START, 10, outcome="Progress to support planning or services"),
        st_max("a", START + timedelta(days=17), 10),
        st_max("b", START, 10),
        st_max("b", START + timedelta(days=18), 10),
    ]
    assert two_a(engine_for, *rows) == (3, 3)


def test_a_death_within_7_days_leaves_the_episode_out(engine_for) -> None:
    rows = [st_max("died-day-7", START, 10), st_max("died-day-8", START, 10)]
    deaths = {
        "died-day-7": {"date_of_death": START + timedelta(days=17)},
        "died-day-8": {"date_of_death": START + timedelta(days=18)},
    }
    assert two_a(engine_for, *rows, **deaths) == (1, 1)


def test_only_new_clients_count(engine_for) -> None:
    # long-term support ending 90 days before the episode: not new; 91 days: new
    rows = [
        event(
            "recent",
            "Service",
            START - timedelta(days=300),
            START - timedelta(days=90),
            Service_Type=COMMUNITY,
        ),
        st_max("recent", START, 10),
        event(
            "earlier",
            "Service",
            START - timedelta(days=300),
            START - timedelta(days=91),
            Service_Type=COMMUNITY,
        ),
        st_max("earlier", START, 10),
    ]
    assert two_a(engine_for, *rows) == (1, 1)


def test_long_term_support_or_a_short_stay_after_counts_against(engine_for) -> None:
    end = START + timedelta(days=10)
    rows = [
        st_max("home-care", START, 10),  # its own outcome says ended as planned, but...
        event("home-care", "Service", end + timedelta(days=7), None, Service_Type=COMMUNITY),
        st_max("respite", START, 10),
        event(
            "respite",
            "Service",
            end + timedelta(days=1),
            end + timedelta(days=14),
            Service_Type="Short term support: Other short term",
            Service_Component="Short term residential care",
        ),
        st_max("low-level", START, 10),
        event(
            "low-level",
            "Service",
            end,
            end + timedelta(days=60),
            Service_Type="Short term support: Ongoing low level",
            Service_Component="Equipment",
        ),
        st_max("too-late", START, 10),  # starts 8 days after: not what followed
        event("too-late", "Service", end + timedelta(days=8), None, Service_Type=COMMUNITY),
    ]
    # numerator: low-level and too-late; denominator: all four
    assert two_a(engine_for, *rows) == (2, 4)


def test_outcomes_of_other_events_and_nested_assessments_are_ranked(engine_for) -> None:
    end = START + timedelta(days=20)
    rows = [
        # own outcome is not final; an assessment ending in the last 13 days says I&A: counts
        st_max("assessed", START, 20, outcome="Progress to support planning or services"),
        event(
            "assessed",
            "Assessment",
            end - timedelta(days=5),
            end - timedelta(days=2),
            Event_Outcome="NFA: Information and advice or signposting",
        ),
        # an assessment ending 14 days before the end is too early: unable to classify
        st_max("early", START, 20, outcome="Progress to support planning or services"),
        event(
            "early",
            "Assessment",
            START + timedelta(days=1),
            end - timedelta(days=14),
            Event_Outcome="NFA: Information and advice or signposting",
        ),
        # a request 3 days after saying support declined outranks ended as planned: left out
        st_max("declined", START, 20),
        event(
            "declined",
            "Request",
            end + timedelta(days=3),
            end + timedelta(days=3),
            Event_Outcome="NFA: Support declined",
        ),
        # the episode ended in hospital: left out, whatever followed
        st_max("hospital", START, 20, outcome="Admitted to hospital"),
    ]
    assert two_a(engine_for, *rows) == (1, 1)


def test_the_episode_counts_in_the_year_it_ends_for_adults(engine_for) -> None:
    rows = [
        st_max("ends-next-year", date(2025, 3, 25), 10),
        st_max("ended-last-year", date(2024, 3, 20), 10),
        st_max("young", START, 10),
        st_max("adult", START, 10),
    ]
    born = {"young": {"date_of_birth": date(2006, 7, 1)}}
    assert two_a(engine_for, *rows, **born) == (1, 1)
