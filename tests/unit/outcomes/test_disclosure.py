"""Disclosure control: worked examples of each rule."""

import pytest

from onebudget.outcomes.disclosure import (
    TOTAL,
    Derived,
    DisclosureError,
    StatTable,
    apply,
    round_count,
)


@pytest.mark.parametrize(
    ("count", "published"),
    [
        (0, 0),
        (1, None),
        (7, None),
        (8, 10),
        (12, 10),
        (13, 15),
        (15, 15),
        (17, 15),
        (18, 20),
        (1002, 1000),
        (1003, 1005),
    ],
)
def test_counts(count: int, published: int | None) -> None:
    assert round_count(count) == published


def admissions(rows: list[dict], **derived: Derived) -> StatTable:
    return StatTable(
        dimensions=("practice", "age_band"),
        counts=("admissions", "people"),
        derived=derived,
        rows=tuple(rows),
    )


def test_a_percentage_is_recomputed_from_rounded_counts_and_follows_suppression() -> None:
    table = admissions(
        [
            {"practice": "A", "age_band": "65+", "admissions": 23, "people": 48, "pct": 47.9},
            {"practice": "B", "age_band": "65+", "admissions": 3, "people": 40, "pct": 7.5},
            {"practice": "C", "age_band": "65+", "admissions": 9, "people": 5, "pct": 180.0},
        ],
        pct=Derived("percentage", on="admissions", over="people", multiplier=100),
    )
    a, b, c = apply(table).rows
    assert (a["admissions"], a["people"], a["pct"]) == (25, 50, 50.0)
    assert (b["admissions"], b["pct"]) == (None, None)
    assert (c["people"], c["pct"]) == (None, None)  # denominator suppressed


def test_a_standardised_rate_keeps_its_value_unless_its_count_is_suppressed() -> None:
    table = admissions(
        [
            {"practice": "A", "age_band": TOTAL, "admissions": 40, "people": 900, "dsr": 1933.2},
            {"practice": "B", "age_band": TOTAL, "admissions": 6, "people": 700, "dsr": 702.0},
        ],
        dsr=Derived("rate", on="admissions", multiplier=100_000),
    )
    published = apply(table).rows
    assert published[0]["dsr"] == 1933.2
    assert published[1]["dsr"] is None


def test_totals_are_the_sum_of_published_cells() -> None:
    table = admissions(
        [
            {"practice": "A", "age_band": "18-64", "admissions": 12, "people": 400},
            {"practice": "A", "age_band": "65+", "admissions": 4, "people": 100},
            {"practice": "B", "age_band": "65+", "admissions": 33, "people": 96},
            {"practice": "A", "age_band": TOTAL, "admissions": 16, "people": 500},
            {"practice": TOTAL, "age_band": "65+", "admissions": 37, "people": 196},
            {"practice": TOTAL, "age_band": TOTAL, "admissions": 49, "people": 596},
        ]
    )
    rows = {(r["practice"], r["age_band"]): r for r in apply(table).rows}
    assert rows["A", TOTAL]["admissions"] == 10  # 10 + suppressed, not round(16) = 15
    assert rows[TOTAL, "65+"]["admissions"] == 35
    assert rows[TOTAL, TOTAL]["admissions"] == 45
    assert rows[TOTAL, TOTAL]["people"] == 400 + 100 + 95


def test_applying_twice_changes_nothing_more() -> None:
    table = admissions([{"practice": "A", "age_band": "65+", "admissions": 13, "people": 99}])
    once = apply(table)
    assert apply(once) == once
    assert once.controlled
    assert "rounded to the nearest 5" in once.notes[-1]


def test_bad_counts_are_refused_with_every_problem_named() -> None:
    table = admissions(
        [
            {"practice": "A", "age_band": "65+", "admissions": 2.5, "people": 10},
            {"practice": "B", "age_band": "65+", "admissions": 3, "people": -1},
        ],
        pct=Derived("percentage", on="deaths", over="people"),
    )
    with pytest.raises(DisclosureError) as raised:
        apply(table)
    message = str(raised.value)
    assert "row 0, column 'admissions': 2.5" in message
    assert "row 1, column 'people': -1" in message
    assert "built on 'deaths'" in message
