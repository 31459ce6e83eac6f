"""Disclosure control: worked examples of each rule."""

import pytest

from onebudget.outcomes.disclosure import (
    SUPPRESSED,
    TOTAL,
    Derived,
    DisclosureError,
    StatTable,
    apply,
    marked,
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


def months(*events: int) -> StatTable:
    rows = tuple(
        {"period": f"2024-{m:02}", "events": e, "people": 500, "rate": e / 500 * 1000}
        for m, e in enumerate(events, start=1)
    )
    rate = Derived("crude_rate", on="events", over="people", multiplier=1000)
    return StatTable(("period",), ("events", "people"), {"rate": rate}, rows, series="period")


def test_zeros_beside_a_suppressed_month_are_suppressed_too() -> None:
    """3 events in March and none in the other months: shown as 0 beside one [c], March
    would be given away. Every month of 0 to 7 is [c]; a series with none suppressed keeps
    its zeros, and so does a count that is not suppressed (the population)."""
    published = apply(months(0, 0, 3, 0, 12, 0)).rows
    assert [r["events"] for r in published] == [None, None, None, None, 10, None]
    assert [r["rate"] for r in published] == [None, None, None, None, 20.0, None]
    assert {r["people"] for r in published} == {500}
    assert [r["events"] for r in apply(months(0, 12, 0)).rows] == [0, 10, 0]


def test_a_series_is_suppressed_within_each_breakdown_only() -> None:
    rows = tuple(
        {"period": p, "sex": sex, "events": e}
        for sex, counts in (("F", (0, 4)), ("M", (0, 20)))
        for p, e in zip(("2023", "2024"), counts, strict=True)
    )
    table = StatTable(("period", "sex"), ("events",), rows=rows, series="period")
    assert [r["events"] for r in apply(table).rows] == [None, None, 0, 20]


def test_a_file_marks_suppressed_cells_c_and_leaves_what_does_not_apply_empty() -> None:
    table = StatTable(
        ("period",),
        ("people",),
        {"cost": Derived("amount", on="people"), "lower": Derived("interval", on="people")},
        rows=(
            {"period": "2023", "people": 3, "cost": 10, "lower": None},
            {"period": "2024", "people": 30, "cost": 99, "lower": None},
        ),
    )
    rows = marked(apply(table))
    assert rows[0] == {"period": "2023", "people": SUPPRESSED, "cost": SUPPRESSED, "lower": "[c]"}
    assert rows[1] == {"period": "2024", "people": 30, "cost": 99, "lower": None}
    with pytest.raises(DisclosureError, match="published or waived"):
        marked(table)


def by_sex(**people: int) -> StatTable:
    rows = tuple({"period": "2024", "sex": k, "people": v} for k, v in people.items())
    return StatTable(("period", "sex"), ("people",), rows=rows, partitions=("sex",))


def test_a_suppressed_cell_that_the_total_would_pin_gets_a_complement() -> None:
    """43 people: 12, 12, 12 and 7. Published as 45, 10, 10, 10 and [c], the total is at
    least 43 and the three at most 36, so the [c] is at least 7, and a lone [c] is at most 7:
    it is 7. The smallest published cell beside it is suppressed too."""
    published = apply(by_sex(a=12, b=12, c=12, d=7)).rows
    assert [r["people"] for r in published] == [None, 10, 10, None]


def test_a_cell_that_the_total_does_not_pin_stands_alone() -> None:
    published = apply(by_sex(a=10, b=12, c=3)).rows  # 25: the [c] is 1 to 7
    assert [r["people"] for r in published] == [10, 10, None]


def test_suppressed_cells_that_must_each_be_one_get_a_complement() -> None:
    """12 people: 8 and four of 1. Published as 10 and four [c] beside a total of 10, the
    four are at most 12 - 8 = 4 together, so each is 1, unless the 8 is suppressed too."""
    published = apply(by_sex(a=8, b=1, c=1, d=1, e=1)).rows
    assert [r["people"] for r in published] == [None] * 5
