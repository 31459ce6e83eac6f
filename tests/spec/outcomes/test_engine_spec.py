"""Spec: each measure of the query model, on tiny tables, with the answer worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.model import (
    AGE,
    All,
    Col,
    Compare,
    Const,
    Count,
    In,
    IsNull,
    Not,
    Persons,
    Population,
    Source,
    Spend,
    StartsWith,
    Sum,
    Total,
    followed_by,
)
from tests.spec.outcomes.conftest import make_tables

Y2024 = [Period.calendar_year(2024)]
EMERGENCY = StartsWith(Col("admimeth"), ("2",))


def spell(person: str, admitted: date, discharged: date, **kw: object) -> dict[str, object]:
    return {
        "person_id": person,
        "admidate": admitted,
        "disdate": discharged,
        "admimeth": kw.pop("admimeth", "21"),
        **kw,
    }


def test_count_events_in_the_period_by_sex(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": "a", "sex": 1}, {"person_id": "b", "sex": 2}],
        apc_spells=[
            spell("a", date(2024, 1, 1), date(2024, 1, 2)),
            spell("a", date(2024, 12, 31), date(2025, 1, 3)),
            spell("a", date(2025, 1, 1), date(2025, 1, 1)),  # next year
            spell("b", date(2024, 5, 5), date(2024, 5, 6), admimeth="11"),
        ],
    )
    measure = Count(Source("apc_spells", "admidate", EMERGENCY))
    assert engine_for(tables).evaluate(measure, Y2024, ["sex"]) == {("2024", "male"): 2}


def test_age_is_taken_on_the_event_date_in_completed_years(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": "a", "date_of_birth": date(1959, 3, 10)}],
        apc_spells=[
            spell("a", date(2024, 3, 9), date(2024, 3, 9)),  # still 64
            spell("a", date(2024, 3, 10), date(2024, 3, 12)),
        ],  # 65 on the day
    )
    older = Source("apc_spells", "admidate", Compare(">=", Col(AGE), Const(65)))
    engine = engine_for(tables)
    assert engine.evaluate(Count(older), Y2024, []) == {("2024",): 1}
    assert engine.evaluate(Count(older), Y2024, ["age_band"]) == {("2024", "65-74"): 1}


def test_population_is_alive_on_the_ons_mid_year_date_with_age_then(engine_for) -> None:
    """ONS mid-year estimates count usual residents on 30 June, their age taken then."""
    tables = make_tables(
        persons=[
            {"person_id": "born-after-30-june", "date_of_birth": date(2024, 7, 1)},
            {"person_id": "died-before", "date_of_death": date(2024, 6, 30)},
            {"person_id": "died-after", "date_of_death": date(2024, 7, 1), "imd_decile": 1},
            {"person_id": "turns-65-after", "date_of_birth": date(1959, 7, 1)},
            {"person_id": "turns-65-on-30-june", "date_of_birth": date(1959, 6, 30)},
        ]
    )
    engine = engine_for(tables)
    assert engine.evaluate(Population(), Y2024, []) == {("2024",): 3}
    aged = Population(Compare(">=", Col(AGE), Const(65)))
    assert engine.evaluate(aged, Y2024, ["imd_quintile"]) == {("2024", 1): 1, ("2024", 3): 1}
    financial = [Period.financial_year(2024)]  # 2024/25 is over the mid-2024 estimate
    assert engine.evaluate(Population(), financial, []) == {("2024/25",): 3}


def test_nulls_follow_sql_three_valued_logic(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": "a"}],
        apc_spells=[
            spell("a", date(2024, 2, 1), date(2024, 2, 2), diag_4_02="W19X"),
            spell("a", date(2024, 3, 1), date(2024, 3, 2), diag_4_02=None),
            spell("a", date(2024, 4, 1), date(2024, 4, 2), diag_4_02="I10X"),
        ],
    )
    engine = engine_for(tables)
    not_fall = Count(Source("apc_spells", "admidate", Not(In(Col("diag_4_02"), ("W19X",)))))
    assert engine.evaluate(not_fall, Y2024, []) == {("2024",): 1}  # the NULL row drops out
    missing = Count(Source("apc_spells", "admidate", IsNull(Col("diag_4_02"))))
    assert engine.evaluate(missing, Y2024, []) == {("2024",): 1}


def test_sums_of_days_and_of_money_are_exact(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": "a", "gp_practice_code": "B85005"}],
        apc_spells=[
            spell("a", date(2024, 2, 1), date(2024, 2, 5), cost=Decimal("5134.00")),
            spell("a", date(2024, 3, 1), date(2024, 3, 1), cost=Decimal("792.01")),
        ],
    )
    engine = engine_for(tables)
    source = Source("apc_spells", "admidate", EMERGENCY)
    by = ["gp_practice_code"]
    assert engine.evaluate(Sum(source, "speldur"), Y2024, by) == {("2024", "B85005"): 4}
    assert engine.evaluate(Sum(source, "cost"), Y2024, by) == {
        ("2024", "B85005"): Decimal("5926.01")
    }


def test_spend_is_whole_pence_with_weekly_services_charged_for_their_days(engine_for) -> None:
    def service(person: str, start: date, end: date | None, **cost: object) -> dict:
        return {"person_id": person, "Event_Start_Date": start, "Event_End_Date": end, **cost}

    tables = make_tables(
        persons=[
            {"person_id": "a", "local_authority": "E06099001"},
            {"person_id": "b", "local_authority": "E06099002"},
        ],
        apc_spells=[
            spell("a", date(2024, 3, 1), date(2024, 3, 2), cost=Decimal("1234.56")),
            spell("a", date(2023, 12, 31), date(2024, 1, 2), cost=Decimal("999.99")),  # 2023
        ],
        asc_cld=[
            # 7 of its 14 days (1-7 January, the end day included) fall in 2024: £700.00
            service("a", date(2023, 12, 25), date(2024, 1, 7), Weekly_Cost=Decimal("700.00")),
            # open-ended from 30 December: 2 days of £100.01 a week = £28.574..., so £28.57
            service("b", date(2024, 12, 30), None, Weekly_Cost=Decimal("100.01")),
            service(
                "b",
                date(2024, 6, 1),
                date(2024, 6, 1),
                Unit_Cost=Decimal("50.00"),
                Cost_Frequency_Unit_Type="One-off",
            ),
        ],
    )
    weekly = Spend(
        Source("asc_cld", "Event_Start_Date", end="Event_End_Date"), "Weekly_Cost", per_days=7
    )
    one_off = Spend(
        Source(
            "asc_cld",
            "Event_Start_Date",
            Compare("=", Col("Cost_Frequency_Unit_Type"), Const("One-off")),
        ),
        "Unit_Cost",
    )
    hospital = Spend(Source("apc_spells", "admidate"), "cost")
    engine = engine_for(tables)
    by = ["local_authority"]
    assert engine.evaluate(weekly, Y2024, []) == {("2024",): 70000 + 2857}
    assert engine.evaluate(Total((hospital, weekly, one_off)), Y2024, by) == {
        ("2024", "E06099001"): 123456 + 70000,
        ("2024", "E06099002"): 2857 + 5000,
    }


def test_distinct_people_and_open_ended_services(engine_for) -> None:
    def service(person: str, start: date, end: date | None, component: str) -> dict:
        return {
            "person_id": person,
            "Event_Type": "Service",
            "Event_Start_Date": start,
            "Event_End_Date": end,
            "Service_Component": component,
        }

    tables = make_tables(
        persons=[{"person_id": p} for p in "abcd"],
        asc_cld=[
            service("a", date(2020, 1, 1), None, "Direct Payment"),
            service("a", date(2024, 5, 1), None, "Home Care"),
            service("b", date(2022, 1, 1), date(2024, 1, 1), "Home Care"),  # ends on day 1
            service("c", date(2022, 1, 1), date(2023, 12, 31), "Home Care"),  # ended
            service("d", date(2025, 1, 1), None, "Home Care"),
        ],  # not yet
    )
    active = Source(
        "asc_cld",
        "Event_Start_Date",
        Compare("=", Col("Event_Type"), Const("Service")),
        end="Event_End_Date",
    )
    engine = engine_for(tables)
    assert engine.evaluate(Persons(active), Y2024, []) == {("2024",): 2}
    assert engine.evaluate(Count(active), Y2024, []) == {("2024",): 3}


def test_followed_by_counts_outcomes_strictly_after_and_up_to_the_day_limit(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": p} for p in "abcd"],
        apc_spells=[
            spell("a", date(2024, 1, 1), date(2024, 1, 10)),
            spell("a", date(2024, 2, 9), date(2024, 2, 10)),  # day 30 after: followed
            spell("b", date(2024, 1, 1), date(2024, 1, 10)),
            spell("b", date(2024, 2, 10), date(2024, 2, 11)),  # day 31: not followed
            spell("c", date(2024, 3, 3), date(2024, 3, 3)),  # same-day spell: not itself
        ],
    )
    emergency = Source("apc_spells", "disdate", EMERGENCY)
    again = Source("apc_spells", "admidate", EMERGENCY)
    engine = engine_for(tables)
    followed = followed_by(emergency, (again,), 30)
    assert engine.evaluate(followed, Y2024, []) == {("2024",): 1}
    not_followed = followed_by(emergency, (again,), 30, negate=True)
    assert engine.evaluate(not_followed, Y2024, []) == {("2024",): 4}


def test_followed_by_death_or_a_care_home_within_91_days(engine_for) -> None:
    def request(person: str, day: date) -> dict:
        return {"person_id": person, "Event_Type": "Request", "Event_Start_Date": day}

    tables = make_tables(
        persons=[
            {"person_id": "home"},
            {"person_id": "died", "date_of_death": date(2024, 4, 1)},
            {"person_id": "moved"},
        ],
        asc_cld=[
            request("home", date(2024, 2, 1)),
            request("died", date(2024, 2, 1)),
            request("moved", date(2024, 2, 1)),
            {
                "person_id": "moved",
                "Event_Type": "Service",
                "Service_Component": "Residential Care",
                "Event_Start_Date": date(2024, 3, 1),
            },
        ],
    )
    index = Source("asc_cld", "Event_Start_Date", Compare("=", Col("Event_Type"), Const("Request")))
    died = Source("persons", "date_of_death")
    care_home = Source(
        "asc_cld",
        "Event_Start_Date",
        All(
            (
                Compare("=", Col("Event_Type"), Const("Service")),
                In(Col("Service_Component"), ("Residential Care", "Nursing Care")),
            )
        ),
    )
    at_home = followed_by(index, (died, care_home), 91, negate=True)
    assert engine_for(tables).evaluate(at_home, Y2024, []) == {("2024",): 1}


def test_quarters_and_financial_years_cut_the_calendar_correctly() -> None:
    from onebudget.outcomes.calendar import periods_of

    q4 = Period.quarter(2024, 4)
    assert (q4.start, q4.end) == (date(2024, 10, 1), date(2025, 1, 1))
    fy = periods_of("financial-year", 2024, 2024)[0]
    assert (fy.label, fy.start, fy.end) == ("2024/25", date(2024, 4, 1), date(2025, 4, 1))
    assert [p.label for p in periods_of("month", 2024, 2024)][-1] == "2024-12"
