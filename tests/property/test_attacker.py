"""An attacker holding every table published about a place tries to recover what is hidden.

For each generated place (person-level data drawn from a seed), every table family is
computed as the service publishes it: an indicator of each method (a proportion, a crude
rate, a directly standardised rate, a mean cost) for the year and for each month, for
everyone and by sex and by practice, and the segments with their costs. The attacker then
tries by ratio and by interval inversion to pin a suppressed count (1 to 7) or the exact
value of a rounded one, and by difference (cells against the totals they add up to, each
total narrowed by every other breakdown of it) to pin a suppressed count. Recovering means
pinning the true value where it is not published. The attacks are written here,
independently of the library's rules.

Not attempted (ADR 0018): pinning a large rounded count by difference. Rounding to the
nearest 5 cannot stop that where four or more cells' rounding errors all lie at one end
(a total published 100 beside cells published 30, 30, 20 and 10 pins the total at 98 and
the cells at 32, 32, 22 and 12); controlled rounding or perturbation would be needed.

Before issue 13, the interval inversion recovered exact counts of standardised rates and
the ratio attack those of the segments (``test_the_attacks_find_what_the_old_tables_gave``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onebudget.outcomes import stats
from onebudget.outcomes.calendar import ESP_BANDS, Period, months
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.disclosure import TOTAL, StatTable, apply
from onebudget.outcomes.segments import SEGMENTS, segment_table

YEAR = [Period.calendar_year(2024)]
MONTHS = months(2024, 2024)
METHODS = {
    "proportion": "discharge-usual-residence",
    "rate": "non-elective-admissions",
    "dsr": "falls-65-plus",
    "mean": "whole-person-cost",
}
BREAKDOWNS = ((), ("sex",), ("gp_practice_code",))
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Place:
    """Person-level data: one entry per person."""

    sex: np.ndarray
    practice: np.ndarray
    band: np.ndarray  # ESP band lower bound
    events: np.ndarray  # persons × 12 months: events in each month of 2024
    pence: np.ndarray
    segment: np.ndarray


@st.composite
def places(draw: st.DrawFn) -> Place:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    persons = draw(st.sampled_from([3, 15, 40, 120, 400, 1500]))
    rate = draw(st.sampled_from([0.002, 0.01, 0.05, 0.2]))
    bands = np.array(draw(st.lists(st.sampled_from(ESP_BANDS[13:]), min_size=1, max_size=4)))
    practices = draw(st.integers(1, 6))
    return Place(
        sex=rng.choice(np.array(["female", "male"]), persons),
        practice=rng.choice(np.array([f"P{i}" for i in range(practices)]), persons),
        band=rng.choice(bands, persons),
        events=rng.poisson(rate, (persons, 12)),
        pence=rng.integers(0, 2_000_000, persons),
        segment=rng.choice(np.array(list(SEGMENTS)), persons, p=_segment_shares(rng)),
    )


def _segment_shares(rng: np.random.Generator) -> np.ndarray:
    shares = rng.dirichlet(np.full(len(SEGMENTS), 0.3))
    return shares / shares.sum()


class PlaceEngine:
    """Counts of a generated place for one indicator, as an engine gives them."""

    name = "generated"

    def __init__(self, place: Place, method: str, numerator: Any) -> None:
        self.place, self.method, self.numerator = place, method, numerator

    def evaluate(self, measure: Any, periods: Sequence[Period], by: Sequence[str]) -> dict:
        columns = [self._dimension(d) for d in by]
        groups = sorted(set(zip(*columns, strict=True))) if columns else [()]
        index = {group: i for i, group in enumerate(groups)}
        where = np.array([index[g] for g in zip(*columns, strict=True)]) if columns else None
        out: dict[tuple[Any, ...], Any] = {}
        for period in periods:
            values = self._values(measure is self.numerator, _months_of(period))
            sums = (
                np.bincount(where, weights=values, minlength=len(groups))
                if where is not None
                else [values.sum()]
            )
            out |= {(period.label, *g): round(v) for g, v in zip(groups, sums, strict=True)}
        return out

    def _values(self, numerator: bool, months: slice) -> np.ndarray:
        """Each person's value in the months: 1 (a person), events, had one, or pence."""
        events, pence = self.place.events, self.place.pence
        if not numerator:
            return np.ones(len(pence), dtype=np.int64)
        if self.method == "proportion":
            return (events[:, months].sum(axis=1) > 0).astype(np.int64)
        if self.method == "mean":
            return pence * (months.stop - months.start) // 12
        return events[:, months].sum(axis=1)

    def _dimension(self, name: str) -> list[Any]:
        if name == "esp_band":
            return [int(b) for b in self.place.band]
        return [
            str(v) for v in {"sex": self.place.sex, "gp_practice_code": self.place.practice}[name]
        ]


def _months_of(period: Period) -> slice:
    """The months of 2024 the period covers: the year, or one month (December included:
    it ends in the next year too)."""
    first = period.start.month - 1
    length = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    return slice(first, first + length)


def published_tables(place: Place) -> Iterator[tuple[str, tuple[str, ...], list, list[Row]]]:
    """(method, breakdown, periods, rows) of every indicator table of the place."""
    for method, indicator_id in METHODS.items():
        indicator = indicators()[indicator_id]
        engine = PlaceEngine(place, method, indicator.numerator)
        for by in BREAKDOWNS:
            for periods in (YEAR, MONTHS):
                rows = compute(indicator, engine, periods, list(by)).rows
                yield method, by, periods, list(rows)


def exact_counts(place: Place, method: str, by: tuple[str, ...], periods: list) -> dict:
    indicator = indicators()[METHODS[method]]
    engine = PlaceEngine(place, method, indicator.numerator)
    numerators = engine.evaluate(indicator.numerator, periods, list(by))
    denominators = engine.evaluate(indicator.denominator, periods, list(by))
    return {k: (numerators.get(k, 0), denominators[k]) for k in denominators}


# --- what the attacker knows of a count from what is published ---------------------------


def candidates(published: int) -> range:
    """The exact counts a published count may stand for (rounded to the nearest 5)."""
    return range(0, 1) if published == 0 else range(max(8, published - 2), published + 3)


def box(published: int | None, lone: bool, zeros_hidden: bool) -> tuple[float, float]:
    """A lone [c] is 1 to 7 (0 to 7 where zeros may be hidden); beside another, either may be
    a complement of any size."""
    if published is None:
        return (0 if zeros_hidden else 1, 7) if lone else (0, math.inf)
    return (min(candidates(published)), max(candidates(published)))


def pinned(cells: list[tuple[float, float]], total: tuple[float, float]) -> list[float | None]:
    """For each cell, the one value the sum pins it to, if it does (interval arithmetic)."""
    out = []
    for i, (lo, hi) in enumerate(cells):
        others = [c for j, c in enumerate(cells) if j != i]
        low = max(lo, total[0] - sum(h for _, h in others))
        high = min(hi, total[1] - sum(lo_ for lo_, _ in others))
        out.append(low if low == high else None)
    return out


def recovered(consistent: set[int], exact: int, published: int | None) -> bool:
    return consistent == {exact} and exact != published


# --- attacks on one row: ratio and interval inversion ------------------------------------


def crude_outputs(method: str, a: int, b: int, multiplier: float) -> tuple[float, ...]:
    if method == "proportion":
        low, high = stats.wilson_ci(a, b)
    else:
        low, high = stats.exact_poisson_ci(a) if a < 10 else stats.byar_ci(a)
        low, high = low / b, high / b
    return tuple(round(x * multiplier, 1) for x in (a / b, low, high))


def inverted_crude(row: Row, method: str, multiplier: float) -> tuple[set[int], set[int]]:
    """Numerators and denominators that reproduce the row's value and interval."""
    published = (row["value"], row["lower"], row["upper"])
    found = [
        (a, b)
        for a in candidates(row["numerator"])
        for b in candidates(row["denominator"])
        if b > 0 and (method != "proportion" or a <= b)
        if crude_outputs(method, a, b, multiplier) == published
    ]
    return {a for a, _ in found}, {b for _, b in found}


def inverted_dobson(row: Row) -> set[int]:
    """Counts whose Dobson interval has the row's shape: (U - V) / (V - L) depends on the
    count alone, (O_U - O) / (O - O_L). Rounding to 0.1 leaves each difference ±0.1."""
    above, below = row["upper"] - row["value"], row["value"] - row["lower"]
    if below - 0.1 <= 0 or row["lower"] == 0:
        return set(candidates(row["numerator"]))
    low, high = (above - 0.1) / (below + 0.1), (above + 0.1) / (below - 0.1)
    found = set()
    for count in candidates(row["numerator"]):
        o_low, o_high = stats.exact_poisson_ci(count) if count < 10 else stats.byar_ci(count)
        if count - o_low > 0 and low <= (o_high - count) / (count - o_low) <= high:
            found.add(count)
    return found


def inverted_mean(row: Row) -> set[int]:
    """Denominators that give the row's mean cost from its published total cost."""
    return {
        b
        for b in candidates(row["denominator"])
        if b and round(row["numerator"] / b, 2) == row["value"]
    }


def row_attacks(method: str, row: Row, exact: tuple[int, int], multiplier: float) -> list[str]:
    if row["numerator"] is None or row["denominator"] in (None, 0) or row["value"] is None:
        return []
    numerator, denominator = exact
    found = []
    if method in ("proportion", "rate"):
        tops, bottoms = inverted_crude(row, method, multiplier)
        if recovered(tops, numerator, row["numerator"]):
            found.append(f"numerator {numerator} from the value and interval of {dict(row)}")
        if recovered(bottoms, denominator, row["denominator"]):
            found.append(f"denominator {denominator} from the value and interval of {dict(row)}")
    elif method == "dsr" and recovered(inverted_dobson(row), numerator, row["numerator"]):
        found.append(f"count {numerator} from the shape of the interval of {dict(row)}")
    elif method == "mean" and recovered(inverted_mean(row), denominator, row["denominator"]):
        found.append(f"people {denominator} from the mean and total cost of {dict(row)}")
    return found


# --- attacks by difference: cells against the totals they add up to ----------------------


def boxes(rows: Sequence[Row], column: str, zeros_hidden: bool) -> list[tuple[float, float]]:
    """Boxes of cells that add up to one total: a lone [c] among them is 1 (or 0) to 7."""
    lone = sum(r[column] is None for r in rows) == 1
    return [box(r[column], lone, zeros_hidden) for r in rows]


def differences(
    cells: Sequence[Row],  # the cells that add up to ``total``
    known: list[tuple[float, float]],
    exact: Sequence[int],
    column: str,
    total: tuple[float, float],
) -> list[str]:
    found = []
    for row, truth, value in zip(cells, exact, pinned(known, total), strict=True):
        if value and value == truth and row[column] is None:  # a pinned 0 hides nobody
            found.append(f"{column} {truth} of {dict(row)} by difference from {total}")
    return found


def narrowed(total: tuple[float, float], *partitions: list[tuple[float, float]]) -> tuple:
    """The total's range: its own box, narrowed by each breakdown's cells added up."""
    low, high = total
    for cells in partitions:
        low, high = max(low, sum(c[0] for c in cells)), min(high, sum(c[1] for c in cells))
    return (low, high)


def key_of(row: Row, by: Sequence[str]) -> tuple[Any, ...]:
    return (row["period"], *(row[d] for d in by))


def breakdown_attacks(truths: Mapping, tables: Mapping, method: str, kind: str) -> list[str]:
    """Each breakdown's cells for a period against the figure for everyone."""
    periods = YEAR if kind == "year" else MONTHS
    hidden = kind == "months"
    columns = ("denominator",) if method == "mean" else ("numerator", "denominator")
    found = []
    for period in (p.label for p in periods):
        everyone = [r for r in tables[method, (), kind] if r["period"] == period]
        if not everyone:
            continue
        split = {
            by: [r for r in tables[method, by, kind] if r["period"] == period]
            for by in BREAKDOWNS[1:]
        }
        for index, column in enumerate(("numerator", "denominator")):
            if column not in columns:
                continue
            known = {by: boxes(rows, column, hidden) for by, rows in split.items()}
            total = narrowed(box(everyone[0][column], True, hidden), *known.values())
            for by, rows in split.items():
                truth = truths[method, by, kind]
                exact = [truth[key_of(r, by)][index] for r in rows]
                found += differences(rows, known[by], exact, column, total)
    return found


def month_attacks(truths: Mapping, tables: Mapping, method: str, by: tuple[str, ...]) -> list[str]:
    """A group's events in each month against its events in the year (events add up over
    months; people with an event, people and costs here do not)."""
    months_rows = tables[method, by, "months"]
    lone_in_month = {
        period: sum(r["numerator"] is None for r in months_rows if r["period"] == period) == 1
        for period in {r["period"] for r in months_rows}
    }
    year_lone = sum(r["numerator"] is None for r in tables[method, by, "year"]) == 1
    truth = truths[method, by, "months"]
    found = []
    for year_row in tables[method, by, "year"]:
        group = key_of(year_row, by)[1:]
        cells = [r for r in months_rows if key_of(r, by)[1:] == group]
        known = [box(r["numerator"], lone_in_month[r["period"]], True) for r in cells]
        total = box(year_row["numerator"], year_lone, False)
        exact = [truth[key_of(r, by)][0] for r in cells]
        found += differences(cells, known, exact, "numerator", total)
    return found


# --- the segments: people and their cost --------------------------------------------------


def segment_rows(place: Place) -> list[tuple[Any, ...]]:
    return [
        (
            "2024",
            int(s),
            int((place.segment == s).sum()),
            int(place.pence[place.segment == s].sum()),
        )
        for s in sorted(set(place.segment.tolist()))
    ]


def segment_attacks(place: Place, everyone: Row) -> list[str]:
    """Cost over cost per head gives people; the segments add up to everyone."""
    exact = {SEGMENTS[s]: people for _, s, people, _ in segment_rows(place)}
    cells = [r for r in segment_table(segment_rows(place)).rows if r["segment"] != TOTAL]
    found = []
    for row in cells:
        if row["people"] and row["cost_per_head"] is not None:
            consistent = {
                n
                for n in candidates(row["people"])
                if n and (row["cost"] / n).quantize(Decimal("0.01")) == row["cost_per_head"]
            }
            if recovered(consistent, exact[row["segment"]], row["people"]):
                found.append(f"people {exact[row['segment']]} from the costs of {dict(row)}")
    total = box(everyone["denominator"], True, False)
    truth = [exact[r["segment"]] for r in cells]
    return found + differences(cells, boxes(cells, "people", False), truth, "people", total)


# --- the property -------------------------------------------------------------------------


def every_attack(place: Place) -> list[str]:
    tables = {
        (method, by, "year" if periods is YEAR else "months"): rows
        for method, by, periods, rows in published_tables(place)
    }
    truths = {
        (method, by, kind): exact_counts(place, method, by, YEAR if kind == "year" else MONTHS)
        for method, by, kind in tables
    }
    found = []
    for method, indicator_id in METHODS.items():
        multiplier = indicators()[indicator_id].spec.multiplier
        for by, kind in [(by, "year") for by in BREAKDOWNS] + [((), "months")]:
            for row in tables[method, by, kind]:
                exact = truths[method, by, kind][key_of(row, by)]
                found += row_attacks(method, row, exact, multiplier)
        for kind in ("year", "months"):
            found += breakdown_attacks(truths, tables, method, kind)
        if method in ("rate", "dsr"):
            for by in BREAKDOWNS:
                found += month_attacks(truths, tables, method, by)
    return found + segment_attacks(place, tables["mean", (), "year"][0])


@settings(
    max_examples=1_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(place=places())
def test_no_table_of_a_place_gives_back_a_hidden_count(place: Place) -> None:
    assert every_attack(place) == []


def test_the_attacks_find_what_the_old_tables_gave() -> None:
    """The attacks are not toothless: on the tables as published before issue 13 they
    recover exact counts. A standardised rate of 87 falls published as 85 with its Dobson
    interval built on the 87; a segment of 1,404 people published as 1,405 beside its exact
    cost and cost per head; a suppressed segment pinned by everyone's count."""
    exact = stats.dsr([40, 47], [4_000, 3_000], [5_000, 5_000])
    old = {"numerator": 85, "value": round(exact.value, 1)}
    old |= {"lower": round(exact.lower, 1), "upper": round(exact.upper, 1)}
    assert inverted_dobson(old) == {87}
    now = stats.dsr([40, 47], [4_000, 3_000], [5_000, 5_000], around=85)
    assert 87 not in inverted_dobson(
        old | {"lower": round(now.lower, 1), "upper": round(now.upper, 1)}
    )

    cost = Decimal("2480123.57")
    segment = {
        "people": 1405,
        "cost": cost,
        "cost_per_head": (cost / 1404).quantize(Decimal("0.01")),
    }
    assert {
        n
        for n in candidates(1405)
        if (cost / n).quantize(Decimal("0.01")) == segment["cost_per_head"]
    } == {1404}

    cells = [{"people": 10}, {"people": 10}, {"people": 10}, {"people": None}]
    found = differences(cells, boxes(cells, "people", False), [12, 12, 12, 7], "people", (43, 47))
    assert found == ["people 7 of {'people': None} by difference from (43, 47)"]


@settings(max_examples=2_000, deadline=None)
@given(counts=st.lists(st.integers(0, 40), min_size=2, max_size=7), months=st.booleans())
def test_even_knowing_the_exact_total_pins_no_suppressed_cell(
    counts: list[int], months: bool
) -> None:
    """The worst case of a breakdown: the attacker knows exactly what its cells add up to
    (other tables can narrow a rounded total that far). Cells are drawn near the limits,
    where rounding and suppression bound them most tightly."""
    rows = tuple({"period": "2024", "group": f"g{i}", "n": n} for i, n in enumerate(counts))
    if months:  # a second period in the series, so zeros may be hidden
        rows += tuple({**r, "period": "2023", "n": 20} for r in rows)
    table = StatTable(
        ("period", "group"), ("n",), rows=rows, series="period", partitions=("group",)
    )
    cells = [r for r in apply(table).rows if r["period"] == "2024"]
    known = boxes(cells, "n", months)
    assert differences(cells, known, counts, "n", (sum(counts), sum(counts))) == []
