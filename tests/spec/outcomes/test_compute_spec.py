"""Spec: indicators computed on every engine, with disclosure control and statistics."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from onebudget.outcomes import stats
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.compute import BreakdownError, compute
from onebudget.outcomes.definitions import indicators
from tests.spec.outcomes.conftest import make_tables

Y2024 = [Period.calendar_year(2024)]


def discharges(person: str, n: int, destination: str) -> list[dict[str, object]]:
    day = date(2024, 3, 1)
    return [
        {
            "person_id": person,
            "admidate": day + timedelta(days=2 * i),
            "disdate": day + timedelta(days=2 * i + 1),
            "admimeth": "21",
            "disdest": destination,
        }
        for i in range(n)
    ]


def test_a_proportion_is_published_from_rounded_counts(engine_for) -> None:
    tables = make_tables(
        persons=[{"person_id": "a", "sex": 1}, {"person_id": "b", "sex": 2}],
        apc_spells=(
            discharges("a", 37, "19")
            + discharges("a", 3, "29")
            + discharges("b", 5, "19")
            + discharges("b", 1, "79")
        ),
    )
    table = compute(indicators()["discharge-usual-residence"], engine_for(tables), Y2024, ["sex"])
    rows = {r["sex"]: r for r in table.rows}
    male = rows["male"]
    assert (male["numerator"], male["denominator"]) == (35, 40)
    low, high = stats.wilson_ci(35, 40)
    assert (male["value"], male["lower"], male["upper"]) == (
        87.5,
        round(low * 100, 1),
        round(high * 100, 1),
    )
    female = rows["female"]  # 5 of 5: both counts suppressed, and so the value
    assert (female["numerator"], female["value"], female["lower"]) == (None, None, None)
    assert table.controlled


def test_a_standardised_rate_uses_age_specific_counts(engine_for) -> None:
    people = [{"person_id": f"old{i}", "date_of_birth": date(1944, 1, 1)} for i in range(400)]
    people += [{"person_id": f"older{i}", "date_of_birth": date(1934, 1, 1)} for i in range(100)]
    falls = [
        {
            "person_id": f"old{i}",
            "admidate": date(2024, 5, 1),
            "disdate": date(2024, 5, 3),
            "admimeth": "21",
            "diag_4_01": "S720",
            "diag_4_02": "W19X",
        }
        for i in range(8)
    ]
    falls += [
        {
            "person_id": f"older{i}",
            "admidate": date(2024, 6, 1),
            "disdate": date(2024, 6, 9),
            "admimeth": "21",
            "diag_4_01": "S720",
            "diag_4_02": "W010",
        }
        for i in range(12)
    ]
    tables = make_tables(persons=people, apc_spells=falls)
    (row,) = compute(indicators()["falls-65-plus"], engine_for(tables), Y2024).rows
    # ages at mid-2024: 80 (ESP band 80-84, weight 2500) and 90 (90+, weight 1000)
    expected = stats.dsr([8, 12], [400, 100], [2500, 1000], multiplier=100_000)
    assert (row["numerator"], row["denominator"]) == (20, 500)
    assert row["value"] == round(expected.value, 1)
    assert (row["lower"], row["upper"]) == (round(expected.lower, 1), round(expected.upper, 1))


def falls(ages: dict[int, tuple[int, int]]) -> dict:
    """People born in each year, and how many of them had a fall in 2024."""
    people, spells = [], []
    for born, (count, fell) in ages.items():
        people += [
            {"person_id": f"{born}-{i}", "date_of_birth": date(born, 1, 1)} for i in range(count)
        ]
        spells += [
            {
                "person_id": f"{born}-{i}",
                "admidate": date(2024, 5, 1),
                "disdate": date(2024, 5, 3),
                "admimeth": "21",
                "diag_4_01": "S720",
                "diag_4_02": "W19X",
            }
            for i in range(fell)
        ]
    return make_tables(persons=people, apc_spells=spells)


def test_a_standardised_rate_interval_is_built_around_the_published_count(engine_for) -> None:
    """21 falls are published as 20: the value is the standardised rate of the 21 (the
    national method), the interval Dobson's around 20, so its shape gives back 20."""
    tables = falls({1944: (400, 9), 1934: (100, 12)})
    (row,) = compute(indicators()["falls-65-plus"], engine_for(tables), Y2024).rows
    exact = stats.dsr([9, 12], [400, 100], [2500, 1000], multiplier=100_000)
    around = stats.dsr([9, 12], [400, 100], [2500, 1000], multiplier=100_000, around=20)
    assert (row["numerator"], row["denominator"]) == (20, 500)
    assert row["value"] == round(exact.value, 1)
    assert (row["lower"], row["upper"]) == (round(around.lower, 1), round(around.upper, 1))
    assert (row["lower"], row["upper"]) != (round(exact.lower, 1), round(exact.upper, 1))


def test_a_group_with_one_age_band_is_a_crude_rate_of_the_published_counts(engine_for) -> None:
    """Everyone in one band (aged 80): its standardised rate is its crude rate, and Dobson's
    variance would give back the exact 9 falls and 403 people. It is the crude rate of the
    published 10 and 405, with Byar's interval for 10."""
    (row,) = compute(indicators()["falls-65-plus"], engine_for(falls({1944: (403, 9)})), Y2024).rows
    low, high = stats.byar_ci(10)
    assert (row["numerator"], row["denominator"]) == (10, 405)
    assert (row["value"], row["lower"], row["upper"]) == (
        round(10 / 405 * 1e5, 1),
        round(low / 405 * 1e5, 1),
        round(high / 405 * 1e5, 1),
    )


def test_a_breakdown_the_definition_does_not_allow_is_refused(engine_for) -> None:
    tables = make_tables(persons=[{"person_id": "a"}])
    with pytest.raises(BreakdownError, match="age_band"):
        compute(indicators()["falls-65-plus"], engine_for(tables), Y2024, ["age_band"])


def test_followed_by_indicators_leave_out_periods_without_their_full_follow_up(engine_for) -> None:
    late = [
        {
            **spell,
            "person_id": "b",
            "admidate": spell["admidate"].replace(year=2025),
            "disdate": spell["disdate"].replace(year=2025),
        }
        for spell in discharges("b", 40, "19")
    ]
    tables = make_tables(
        persons=[{"person_id": "a"}, {"person_id": "b"}],
        apc_spells=discharges("a", 40, "19") + late,
    )
    readmissions = indicators()["emergency-readmissions-30-days"]
    periods = [Period.calendar_year(2024), Period.calendar_year(2025)]
    with_end = compute(readmissions, engine_for(tables), periods, data_end=date(2026, 1, 1))
    assert [r["period"] for r in with_end.rows] == ["2024"]  # 2025 needs data to 30 Jan 2026
    without_end = compute(readmissions, engine_for(tables), periods)
    assert [r["period"] for r in without_end.rows] == ["2024", "2025"]
    enough = compute(readmissions, engine_for(tables), periods, data_end=date(2026, 1, 31))
    assert [r["period"] for r in enough.rows] == ["2024", "2025"]


def test_a_waiver_leaves_counts_unrounded_and_says_so(engine_for) -> None:
    from onebudget.outcomes.disclosure import Waiver

    tables = make_tables(
        persons=[{"person_id": "a"}],
        apc_spells=discharges("a", 37, "19") + discharges("a", 3, "29"),
    )
    waiver = Waiver(holder="ana", reason="checking a practice audit")
    table = compute(
        indicators()["discharge-usual-residence"], engine_for(tables), Y2024, waiver=waiver
    )
    (row,) = table.rows
    assert (row["numerator"], row["denominator"], row["value"]) == (37, 40, 92.5)
    assert "NOT DISCLOSURE-CONTROLLED: shown to ana only" in " ".join(table.notes)
    assert not table.controlled


@pytest.mark.parametrize(
    ("people", "published", "per_head"), [(10, 10, 100.1), (9, 10, 100.1), (5, None, None)]
)
def test_cost_per_head_is_the_published_cost_over_the_published_population(
    engine_for, people: int, published: int | None, per_head: float | None
) -> None:
    """£1,000.50 of hospital care: the total is published in whole pounds (£1,001), the mean
    is that over the rounded population (9 people are published as 10): £100.10, not the
    exact £100.05, which times the published 10 would give back the exact pence. Both go
    with a small population."""
    tables = make_tables(
        persons=[{"person_id": f"p{i}"} for i in range(people)],
        apc_spells=[
            {
                "person_id": "p0",
                "admidate": date(2024, 5, 1),
                "disdate": date(2024, 5, 3),
                "cost": Decimal("1000.50"),
            }
        ],
    )
    (row,) = compute(indicators()["whole-person-cost"], engine_for(tables), Y2024).rows
    assert row["denominator"] == published
    assert row["numerator"] == (None if published is None else 1001)
    assert (row["value"], row["lower"], row["upper"]) == (per_head, None, None)
