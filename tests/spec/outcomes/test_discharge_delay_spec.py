"""Spec: the discharge delay indicator (days from the discharge ready date to discharge, per
adult acute discharge), the query model's day sums and BCF quarters, on every engine, with
the answers worked by hand."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import DefinitionError, indicators, parse_indicator
from onebudget.outcomes.disclosure import Waiver
from onebudget.outcomes.model import AGE, Col, Compare, Const, Population, Source, Sum
from onebudget.population.checks import check_extract
from tests.spec.outcomes.conftest import make_tables, parts

Q1, Q2, Q4 = (Period.financial_quarter(2025, q) for q in (1, 2, 4))
ADULT = {"date_of_birth": date(1950, 1, 1)}


def spell(
    person: str, admitted: date, discharged: date, ready: date | None, **kw: object
) -> dict[str, object]:
    return {
        "person_id": person,
        "admidate": admitted,
        "disdate": discharged,
        "disreadydate": ready,
        **kw,
    }


HAND = make_tables(
    persons=[
        {"person_id": "a", **ADULT},
        {"person_id": "b", **ADULT},
        {"person_id": "child", "date_of_birth": date(2010, 1, 1)},
        {"person_id": "died", **ADULT, "date_of_death": date(2025, 5, 20)},
        {"person_id": "e", **ADULT},
        {"person_id": "unrecorded", **ADULT},
    ],
    apc_spells=[
        # a: ready on 6 April, discharged on the 10th: 4 days' delay
        spell("a", date(2025, 4, 1), date(2025, 4, 10), date(2025, 4, 6)),
        # a again: discharged the day ready, 0 days (counted: the mean is over everyone)
        spell("a", date(2025, 5, 1), date(2025, 5, 3), date(2025, 5, 3)),
        # b: moved to a second hospital (one stay): only its last spell is a discharge
        spell("b", date(2025, 6, 1), date(2025, 6, 5), date(2025, 6, 5), disdest="51"),
        spell(
            "b",
            date(2025, 6, 5),
            date(2025, 6, 20),
            date(2025, 6, 12),  # 8 days
            admimeth="2B",
            admisorc="51",
            procode3="RZX",
        ),
        # a child (15): not an adult discharge
        spell("child", date(2025, 4, 2), date(2025, 4, 9), date(2025, 4, 3)),
        # died in hospital: no ready date, no discharge
        spell("died", date(2025, 5, 10), date(2025, 5, 20), None, disdest="79", dismeth="4"),
        # e: 5 days in Q1; then a discharge on 2 July, in Q2, 4 days after being ready
        spell("e", date(2025, 6, 20), date(2025, 6, 30), date(2025, 6, 25)),
        spell("e", date(2025, 6, 30), date(2025, 7, 2), date(2025, 6, 28), admimeth="11"),
        # no ready date recorded: left out of both parts
        spell("unrecorded", date(2025, 4, 1), date(2025, 4, 20), None),
    ],
)


def test_days_of_delay_over_adult_discharges_worked_by_hand(engine_for) -> None:
    """Q1: a 4 + 0, b 8 (its last hospital), e 5 = 17 days over 4 discharges (4.25 days
    each); Q2: e's 4 days over 1 discharge."""
    engine = engine_for(HAND)
    assert parts(engine, "discharge-delay", Q1) == (17, 4)
    assert parts(engine, "discharge-delay", Q2) == (4, 1)


def test_the_indicator_is_disclosure_controlled_with_an_interval(engine_for) -> None:
    """Four discharges are too few to publish; under a waiver the mean and its interval
    are shown (17 / 4 = 4.25, published to one place)."""
    indicator = indicators()["discharge-delay"]
    engine = engine_for(HAND)
    (published,) = compute(indicator, engine, [Q1]).rows
    assert published["denominator"] is None
    assert published["value"] is None
    waiver = Waiver(holder="analyst", reason="spec")
    (shown,) = compute(indicator, engine, [Q1], waiver=waiver).rows
    assert (shown["numerator"], shown["denominator"]) == (17, 4)
    assert shown["value"] == round(17 / 4, 1)
    assert shown["lower"] < shown["value"] < shown["upper"]


def test_a_sum_of_days_skips_rows_missing_either_date(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": "m", "sex": 1}, {"person_id": "f", "sex": 2}],
        apc_spells=[
            spell("m", date(2024, 3, 1), date(2024, 3, 9), date(2024, 3, 2)),  # 7
            spell("m", date(2024, 5, 1), date(2024, 5, 2), None),  # no ready date
            spell("f", date(2024, 8, 1), date(2024, 8, 31), date(2024, 8, 1)),  # 30
        ],
    )
    measure = Sum(Source("apc_spells", "disdate"), "disdate", days_from="disreadydate")
    by_sex = engine_for(tables).evaluate(measure, [Period.calendar_year(2024)], ["sex"])
    assert by_sex == {("2024", "male"): 7, ("2024", "female"): 30}


def test_financial_quarters_are_over_the_year_population(engine_for) -> None:
    """Every quarter of 2025/26 is over the people alive on 30 June 2025 (ONS mid-2025),
    January to March 2026 too, not over mid-2026 as a calendar quarter of 2026 would be."""
    tables = make_tables(
        persons=[
            {"person_id": "old", "date_of_birth": date(1950, 1, 1)},
            {"person_id": "born-aug-2025", "date_of_birth": date(2025, 8, 1)},
            {"person_id": "died-2026", **ADULT, "date_of_death": date(2026, 2, 1)},
            {"person_id": "turns-65-in-2026", "date_of_birth": date(1961, 1, 10)},
            {"person_id": "born-mar-2026", "date_of_birth": date(2026, 3, 1)},
        ]
    )
    engine = engine_for(tables)
    assert (Q4.start, Q4.end) == (date(2026, 1, 1), date(2026, 4, 1))
    # mid-2025: old, died-2026 and turns-65-in-2026 (64 then); the babies not yet born
    assert engine.evaluate(Population(), [Q1, Q4], []) == {
        ("2025/26 Q1",): 3,
        ("2025/26 Q4",): 3,
    }
    older = Population(Compare(">=", Col(AGE), Const(65)))
    assert engine.evaluate(older, [Q4], ["sex"]) == {("2025/26 Q4", "female"): 2}
    calendar = Period.quarter(2026, 1)  # the same months over mid-2026: both babies, no death
    assert engine.evaluate(Population(), [calendar], []) == {("2026 Q1",): 4}


def test_days_are_counted_between_dates_only() -> None:
    folder = resources.files("onebudget") / "definitions" / "indicators"
    shipped = (folder / "discharge-delay.yaml").read_text(encoding="utf-8")
    text = shipped.replace("days_from: disreadydate", "days_from: dismeth")
    with pytest.raises(DefinitionError) as raised:
        parse_indicator(text, source="broken.yaml", aliases=True)
    assert raised.value.problems == [
        "numerator.days_from: 'dismeth' is not a date: days are counted between dates"
    ]


def test_a_ready_date_outside_its_spell_is_a_problem() -> None:
    tables = make_tables(
        persons=[{"person_id": "a"}],
        apc_spells=[
            spell("a", date(2025, 4, 1), date(2025, 4, 10), date(2025, 4, 11)),  # after
            spell("a", date(2025, 5, 1), date(2025, 5, 9), date(2025, 4, 30)),  # before
            spell("a", date(2025, 6, 1), date(2025, 6, 9), date(2025, 6, 9)),  # fine
        ],
    )
    report = check_extract(tables)
    (found,) = [f for f in report.findings if f.check == "discharge-ready-date"]
    assert (found.severity, found.count) == ("problem", 2)
