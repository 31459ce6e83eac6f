"""The query model: indicators as small immutable graphs that every engine interprets.

An indicator is a numerator and a denominator, each a *measure* over the linked tables:
count the rows of a *source* in a period, sum a column, count distinct people, count the
people alive at the middle of the period, or count index rows that are (or are not)
followed by another event within so many days. A source is a table, the date that places
each row in a period (and at which the person's age is taken), and a condition on the row.

Nothing here knows SQL or Python loops: the engines (``engines/``) do, and the spec tests
hold them to the same answers (after OpenSAFELY's ehrQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from onebudget.periods import year_label

Scalar = str | int | float | bool | None
AGE = "__age__"  # the person's age in completed years at the source's date


@dataclass(frozen=True)
class Col:
    name: str


@dataclass(frozen=True)
class Const:
    value: Scalar


Value = Col | Const


@dataclass(frozen=True)
class Compare:
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    left: Value
    right: Value


@dataclass(frozen=True)
class In:
    column: Col
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class StartsWith:
    column: Col
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class IsNull:
    column: Col


@dataclass(frozen=True)
class Not:
    expr: Expr


@dataclass(frozen=True)
class All:
    exprs: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    exprs: tuple[Expr, ...]


Expr = Compare | In | StartsWith | IsNull | Not | All | AnyOf
TRUE = All(())


@dataclass(frozen=True)
class Source:
    """Rows of ``table`` whose ``date`` falls in the period (or, with ``end``, whose
    ``date``..``end`` interval overlaps it; an empty end means still open)."""

    table: str
    date: str
    where: Expr = TRUE
    end: str | None = None


@dataclass(frozen=True)
class Count:
    source: Source


@dataclass(frozen=True)
class Sum:
    source: Source
    column: str


@dataclass(frozen=True)
class Persons:
    source: Source


@dataclass(frozen=True)
class Population:
    """People alive at the middle of the period (the mid-year population), age taken then."""

    where: Expr = TRUE


@dataclass(frozen=True)
class FollowedBy:
    """Index rows in the period whose person has an outcome row dated within ``days`` after
    the index row's ``after`` column (``negate``: index rows with no such outcome)."""

    index: Source
    outcomes: tuple[Source, ...]
    days: int
    after: str | None = None
    negate: bool = False


@dataclass(frozen=True)
class Spend:
    """Money in whole pence. Without ``per_days``: the ``column`` (pounds) of each row dated
    in the period. With ``per_days`` (a source with an ``end``): the column is a price per
    so many days, charged for the days the row ran within the period (its end day
    included), rounded half up to the penny row by row, as a council's payments are."""

    source: Source
    column: str
    per_days: int | None = None


@dataclass(frozen=True)
class Total:
    """The sum of several money measures (a person's whole health and care cost, say)."""

    parts: tuple[Spend, ...]


Measure = Count | Sum | Persons | Population | FollowedBy | Spend | Total
Method = Literal["proportion", "rate", "dsr", "mean"]


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # the day after the last day

    @property
    def mid(self) -> date:
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(str(year), date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def financial_year(cls, year: int) -> Period:
        return cls(year_label(year), date(year, 4, 1), date(year + 1, 4, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return cls(f"{year} Q{quarter}", start, end)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(f"{year}-{month:02d}", date(year, month, 1), following)


PERIOD_KINDS = ("calendar-year", "financial-year", "quarter", "month")


def periods_of(kind: str, first_year: int, last_year: int) -> list[Period]:
    """Periods of one kind from ``first_year`` to ``last_year`` (financial years starting in
    them; quarters and months of the calendar years)."""
    years = range(first_year, last_year + 1)
    if kind == "calendar-year":
        return [Period.calendar_year(y) for y in years]
    if kind == "financial-year":
        return [Period.financial_year(y) for y in years]
    if kind == "quarter":
        return [Period.quarter(y, q) for y in years for q in range(1, 5)]
    if kind == "month":
        return months(first_year, last_year)
    raise ValueError(f"{kind!r}: a period is one of {', '.join(PERIOD_KINDS)}")


def months(first_year: int, last_year: int) -> list[Period]:
    """Every calendar month of the years, in order (for SPC charts)."""
    return [Period.month(y, m) for y in range(first_year, last_year + 1) for m in range(1, 13)]


BREAKDOWNS = ("local_authority", "gp_practice_code", "sex", "age_band", "imd_quintile")
AGE_BANDS = ((0, "0-17"), (18, "18-64"), (65, "65-74"), (75, "75-84"), (85, "85+"))
ESP_BANDS = tuple(range(0, 95, 5))  # lower bounds 0, 5, ..., 90 (90+)


def age_band(age: int) -> str:
    label = AGE_BANDS[0][1]
    for low, name in AGE_BANDS:
        if age >= low:
            label = name
    return label


def esp_band(age: int) -> int:
    return min(age // 5 * 5, 90)


def prorated_pence(price_pence: int, days: int, per_days: int) -> int:
    """``price_pence`` per ``per_days`` for ``days``, rounded half up: the one rule in every
    engine, in integers so no engine rounds differently."""
    return (2 * price_pence * days + per_days) // (2 * per_days)


def age_on(born: date, day: date) -> int:
    """Age in completed years: the same rule in every engine."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
