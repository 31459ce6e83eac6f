"""Periods, ages and the small arithmetic every engine must do identically.

Each rule here is written once, in integers, and every engine either calls it (the
in-memory reference) or is tested against it (the SQL engines), so no engine rounds or
counts a birthday differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from onebudget.periods import year_label


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # the day after the last day
    # A part of a longer year (a financial quarter): the year's first day, so that every
    # part is over the year's population, as a quarterly return is.
    year_start: date | None = None

    @property
    def mid(self) -> date:
        """The middle day: the age of a person in a service that runs over time."""
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    @property
    def last_day(self) -> date:
        """The snapshot day of counts taken at the end of a period (31 March, say)."""
        return self.end - timedelta(days=1)

    @property
    def mid_year(self) -> date:
        """30 June of the year the period starts in: the reference date of the ONS mid-year
        population estimate a rate of that period is published over (mid-2024 for
        2024/25, as DHSC's ASCOF code and OHID's Fingertips use); of a part of a year, that
        of the year (mid-2025 for January to March 2026 in 2025/26)."""
        return date((self.year_start or self.start).year, 6, 30)

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
    def financial_quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1-4 of the financial year starting in April of ``year`` (Q1 April to
        June, Q4 January to March), labelled ``2025/26 Q1``, over the year's population."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter {quarter}: a financial year has quarters 1 to 4")
        first = 3 * quarter + 1  # April, July, October, January (13)
        start = date(year + (first > 12), (first - 1) % 12 + 1, 1)
        following = first + 3
        end = date(year + (following > 12), (following - 1) % 12 + 1, 1)
        return cls(f"{year_label(year)} Q{quarter}", start, end, date(year, 4, 1))

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


def age_cld(born: date, day: date) -> int:
    """Age as DHSC's ASCOF code derives it from Client Level Data, which carries only the
    month and year of birth: whole days since the 1st of the birth month over 365.25,
    rounded down (``FLOOR(DATEDIFF(DAY, Der_Birth_Date, d) / 365.25)``), in integers."""
    days = (day - born.replace(day=1)).days
    return (4 * days) // 1461
