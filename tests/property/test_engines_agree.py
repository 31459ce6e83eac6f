"""The DuckDB engine agrees with the in-memory reference on random data and random measures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.engines.memory import MemoryEngine
from onebudget.outcomes.model import (
    AGE,
    AGE_CLD,
    All,
    AnyOf,
    BestOf,
    Carried,
    Cluster,
    Col,
    Compare,
    Const,
    Count,
    Expr,
    FirstOf,
    Highest,
    In,
    IsNull,
    Measure,
    Not,
    Order,
    Persons,
    Population,
    Related,
    RelatedValue,
    Relation,
    Source,
    Spend,
    StartsWith,
    Sum,
    Total,
    Value,
    When,
    followed_by,
)
from tests.spec.outcomes.conftest import SPARK, make_tables

START = date(2022, 1, 1)
PERIODS = [Period.calendar_year(2023), Period.calendar_year(2024)]
days = st.integers(0, 4 * 365)


@st.composite
def people(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for i in range(draw(st.integers(1, 12))):
        born = date(1920, 1, 1) + timedelta(days=draw(st.integers(0, 104 * 365)))
        died = draw(st.one_of(st.none(), days.map(lambda d: START + timedelta(days=d))))
        rows.append(
            {
                "person_id": f"p{i}",
                "date_of_birth": born,
                "date_of_death": died if died is None or died > born else None,
                "sex": draw(st.sampled_from([1, 2])),
                "imd_decile": draw(st.integers(1, 10)),
                "gp_practice_code": draw(st.sampled_from(["A1", "B2"])),
            }
        )
    return rows


@st.composite
def spells(draw: st.DrawFn, persons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        admitted = START + timedelta(days=draw(days))
        rows.append(
            {
                "person_id": draw(st.sampled_from([p["person_id"] for p in persons])),
                "admidate": admitted,
                "disdate": admitted + timedelta(days=draw(st.integers(0, 20))),
                "admimeth": draw(st.sampled_from(["11", "21", "22"])),
                "diag_4_02": draw(st.sampled_from([None, "W19X", "I10X", "E119"])),
                "diag_4_04": draw(st.sampled_from([None, "W19X", "V031", "I10X"])),
                "opertn_4_02": draw(st.sampled_from([None, "K601", "U051"])),
                "admisorc": draw(st.sampled_from(["19", "51"])),
                "disdest": draw(st.sampled_from(["19", "51", "79"])),
                "cost": Decimal(draw(st.integers(0, 10**8))) / 100,
            }
        )
    return rows


@st.composite
def services(draw: st.DrawFn, persons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for i in range(draw(st.integers(0, 20))):
        start = START + timedelta(days=draw(days))
        runs = st.integers(0, 120).map(lambda d, s=start: s + timedelta(days=d))
        rows.append(
            {
                "person_id": draw(st.sampled_from([p["person_id"] for p in persons])),
                "Event_Reference": f"E{i:03d}",
                "Event_Type": "Service",
                "Event_Start_Date": start,
                "Event_End_Date": draw(st.one_of(st.none(), runs)),
                "Service_Type": draw(st.sampled_from(SERVICE_TYPES)),
                "Event_Outcome": draw(
                    st.sampled_from([None, "NFA: Other", "Admitted to hospital"])
                ),
                "Delivery_Mechanism": draw(st.sampled_from([None, "Direct payment"])),
            }
        )
    return rows


SERVICE_TYPES = ["Long term support: Community", "Short term support: ST-Max"]
leaves = st.one_of(
    st.builds(
        Compare,
        st.sampled_from(["=", "!=", "<", ">="]),
        st.just(Col("admimeth")),
        st.sampled_from([Const("21"), Const("11")]),
    ),
    st.builds(
        Compare,
        st.sampled_from([">=", "<"]),
        st.just(Col(AGE)),
        st.sampled_from([Const(18), Const(65), Const(85)]),
    ),
    st.builds(
        Compare, st.sampled_from([">=", "<"]), st.just(Col(AGE_CLD)), st.sampled_from([Const(65)])
    ),
    st.builds(In, st.just(Col("diag_4_02")), st.sampled_from([("W19X",), ("I10X", "E119")])),
    st.builds(StartsWith, st.just(Col("admimeth")), st.sampled_from([("2",), ("1", "2")])),
    st.builds(IsNull, st.just(Col("diag_4_02"))),
    st.builds(Compare, st.just("="), st.just(Col("cips_first")), st.sampled_from([Const(True)])),
    # any_column: a filled position that passes (never unknown from an empty one)
    st.sampled_from(
        [
            AnyOf(
                tuple(
                    All((Not(IsNull(Col(c))), StartsWith(Col(c), prefixes)))
                    for c in ("diag_4_02", "diag_4_03", "diag_4_04")
                )
            )
            for prefixes in (("W",), ("I10", "V"))
        ]
        + [
            Not(AnyOf((All((Not(IsNull(Col(c))), StartsWith(Col(c), ("K6",)))),)))
            for c in ("opertn_4_01", "opertn_4_02")
        ]
    ),
    # first_column: the first position whose code starts so
    st.builds(
        StartsWith,
        st.just(
            FirstOf(
                tuple(
                    When(StartsWith(Col(c), ("V", "W")), Col(c))
                    for c in ("diag_4_02", "diag_4_03", "diag_4_04")
                )
            )
        ),
        st.sampled_from([("W",), ("V",)]),
    ),
)
conditions: st.SearchStrategy[Expr] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(All, st.tuples(inner, inner)),
        st.builds(AnyOf, st.tuples(inner, inner)),
    ),
    max_leaves=5,
)
relations = st.builds(
    Relation,
    st.sampled_from(["date", "end"]),
    st.sampled_from(["<", "<=", ">", ">=", "="]),
    st.sampled_from(["date", "end", "admidate", "disdate"]),
    st.integers(-400, 400),
)
same_stay = st.just(Relation("cips_id", "=", "cips_id"))
related_rows = st.one_of(
    st.builds(Source, st.just("apc_spells"), st.just("admidate"), conditions),
    st.builds(Source, st.just("apc_spells"), st.just("admidate"), conditions, st.just("disdate")),
    st.just(Source("persons", "date_of_death")),
)
related = st.one_of(
    st.builds(
        Related,
        st.tuples(related_rows),
        st.lists(relations, min_size=1, max_size=2).map(tuple),
        st.booleans(),
    ),
    st.builds(
        Related,
        st.tuples(st.builds(Source, st.just("apc_spells"), st.just("admidate"), conditions)),
        st.lists(st.one_of(relations, same_stay), min_size=1, max_size=2).map(tuple),
        st.booleans(),
    ),
)
sources = st.builds(
    Source,
    st.just("apc_spells"),
    st.sampled_from(["admidate", "disdate"]),
    conditions,
    related=st.lists(related, max_size=2).map(tuple),
)
stays = st.builds(
    Source,
    st.just("apc_spells"),
    st.just("admidate"),
    conditions,
    st.just("disdate"),
    st.booleans(),
    st.sampled_from([None, "date", "end", "period_mid", "period_last_day"]),
)
service_conditions = st.sampled_from(
    [
        All(()),
        Compare("=", Col("Service_Type"), Const("Short term support: ST-Max")),
        Compare("!=", Col("Event_Outcome"), Const("Admitted to hospital")),
        Compare(">=", Col(AGE_CLD), Const(65)),
        IsNull(Col("Delivery_Mechanism")),
    ]
)
related_values = st.builds(
    RelatedValue,
    st.builds(
        Source,
        st.just("asc_cld"),
        st.just("Event_Start_Date"),
        service_conditions,
        st.just("Event_End_Date"),
    ),
    st.lists(
        st.builds(
            Relation,
            st.sampled_from(["date", "end"]),
            st.sampled_from(["<", "<=", ">", ">="]),
            st.sampled_from(["date", "end"]),
            st.integers(-60, 60),
        ),
        max_size=2,
    ).map(tuple),
    st.sampled_from(["Event_Outcome", "Service_Type", "person_id"]),
    st.lists(
        st.one_of(
            st.builds(Order, st.sampled_from(["date", "end", "Event_Outcome"]), st.booleans()),
            st.builds(
                Order,
                st.sampled_from(["Event_Outcome", "Service_Type"]),
                st.just(False),
                st.just(("NFA: Other", "Admitted to hospital", SERVICE_TYPES[1])),
            ),
            st.builds(
                Order,
                st.sampled_from(["Event_Outcome", "Service_Type"]),
                st.just(False),
                st.just(()),
                st.just(("NFA: Other", SERVICE_TYPES[1])),
            ),
        ),
        max_size=2,
    ).map(tuple),
)
derived: st.SearchStrategy[Value] = st.recursive(
    st.one_of(related_values, st.just(Col("Event_Outcome")), st.just(Const("NFA: Other"))),
    lambda inner: st.one_of(
        st.builds(FirstOf, st.tuples(inner, inner)),
        st.builds(BestOf, st.tuples(inner, inner), st.just(("Admitted to hospital", "NFA: Other"))),
        st.builds(When, service_conditions, inner),
    ),
    max_leaves=3,
)
derived_conditions = st.one_of(
    st.builds(IsNull, derived),
    st.builds(In, derived, st.just(("NFA: Other", SERVICE_TYPES[1]))),
    st.builds(Not, st.builds(In, derived, st.just(("Admitted to hospital",)))),
)
clusters = st.builds(
    Cluster,
    st.just("Event_Start_Date"),
    st.just("Event_End_Date"),
    st.integers(0, 10),
    service_conditions,
    st.just("Event_Reference"),
    st.sampled_from([None, "Event_Outcome"]),
    st.just(("NFA: Other", "Admitted to hospital")),
)
episodes = st.one_of(
    st.builds(
        Source,
        st.just("asc_cld"),
        st.just("Event_End_Date"),
        st.one_of(service_conditions, derived_conditions),
        cluster=clusters,
    ),
    st.builds(
        Source,
        st.just("asc_cld"),
        st.just("Event_Start_Date"),
        derived_conditions,
        st.just("Event_End_Date"),
    ),
    st.builds(
        Source,
        st.just("asc_cld"),
        st.just("Event_Start_Date"),
        service_conditions,
        st.just("Event_End_Date"),
        st.booleans(),
        cluster=st.one_of(st.none(), clusters),
    ),
)
linked = st.builds(
    RelatedValue,
    st.builds(Source, st.just("apc_spells"), st.just("disdate"), conditions),
    st.just(
        (
            Relation("date", ">=", "Event_Start_Date", -7),
            Relation("date", "<=", "Event_Start_Date", 3),
            Relation("admidate", "<=", "Event_Start_Date"),
        )
    ),
    st.just("disdate"),
    st.sampled_from([(Order("disdate", True),), (Order("admidate", False),)]),
)
after_link = st.builds(
    Related,
    st.sampled_from([(Source("persons", "date_of_death"),), (Source("apc_spells", "admidate"),)]),
    st.sampled_from(
        [
            (Relation("date", ">=", "linked"), Relation("date", "<=", "linked", 84)),
            (Relation("date", ">", "linked"), Relation("date", ">", "Event_Start_Date")),
        ]
    ),
    st.booleans(),
)
carrying = st.builds(
    Source,
    st.just("asc_cld"),
    st.just("linked"),
    service_conditions,
    related=st.lists(after_link, max_size=2).map(tuple),
    cluster=st.one_of(st.none(), clusters),
    carry=st.builds(lambda v: (Carried("linked", v),), linked),
)
counted = st.lists(st.integers(0, 3), min_size=1, max_size=2, unique=True).map(tuple)
plain = st.builds(
    Source, st.just("apc_spells"), st.sampled_from(["admidate", "disdate"]), conditions
)
spends = st.one_of(
    st.builds(Spend, sources, st.just("cost")),
    st.builds(Spend, stays, st.just("cost"), st.integers(1, 14)),
)
measures: st.SearchStrategy[Measure] = st.one_of(
    st.builds(Count, st.one_of(sources, episodes, carrying)),
    spends,
    st.builds(Total, st.tuples(spends, spends)),
    st.builds(Sum, sources, st.just("speldur")),
    st.builds(Persons, st.one_of(sources, stays, episodes)),
    st.builds(
        Population,
        st.one_of(
            st.just(All(())),
            st.builds(
                Compare, st.just(">="), st.just(Col(AGE)), st.sampled_from([Const(65), Const(18)])
            ),
        ),
    ),
    st.builds(
        followed_by,
        sources,
        st.tuples(plain),
        st.integers(1, 60),
        st.sampled_from([None, "disdate"]),
        st.booleans(),
    ),
    st.builds(
        Highest,
        st.one_of(sources, stays),
        st.lists(conditions, min_size=1, max_size=3).map(tuple),
        counted,
    ),
    st.builds(
        Highest, episodes, st.lists(service_conditions, min_size=1, max_size=3).map(tuple), counted
    ),
)
breakdowns = st.lists(
    st.sampled_from(["sex", "age_band", "imd_quintile", "gp_practice_code", "esp_band"]),
    max_size=2,
    unique=True,
)


def agrees(
    engine: Callable[[dict[str, Any]], Any], data: st.DataObject, measure: Measure, by: list[str]
) -> None:
    persons = data.draw(people())
    tables = make_tables(
        persons=persons,
        apc_spells=data.draw(spells(persons)),
        asc_cld=data.draw(services(persons)),
    )
    reference = MemoryEngine({k: v.to_pylist() for k, v in tables.items()})
    assert engine(tables).evaluate(measure, PERIODS, by) == reference.evaluate(measure, PERIODS, by)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), measures, breakdowns)
def test_duckdb_agrees_with_the_reference(
    data: st.DataObject, measure: Measure, by: list[str]
) -> None:
    agrees(DuckDBEngine, data, measure, by)


if SPARK:  # defined only for the Spark step, so an ordinary run neither runs nor skips it

    @pytest.mark.spark
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data(), measures, breakdowns)
    def test_spark_agrees_with_the_reference(
        data: st.DataObject, measure: Measure, by: list[str]
    ) -> None:
        from onebudget.outcomes.engines.spark import SparkEngine

        agrees(SparkEngine, data, measure, by)
