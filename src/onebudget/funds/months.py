"""The ledger's months: a day's month as ``YYYY-MM``, the months of a financial year, which
of them are open, and the day a correction lands on when its own month is closed. The one
test of a closed month is ``is_open``; ``ledger.Ledger`` applies it to every posting."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, timedelta

from onebudget.periods import month_start


def month_key(day: date) -> str:
    """The ledger month a day falls in, as ``YYYY-MM`` (not ``periods.period_of``, which gives
    a month's number in the financial year)."""
    return f"{day.year}-{day.month:02d}"


def month_day(key: str) -> date:
    """The first day of a ledger month (``month_key``'s inverse: ``"2025-06"`` -> 1 June)."""
    return date.fromisoformat(f"{key}-01")


def year_periods(financial_year: int) -> list[str]:
    """The months of an April-to-March financial year as periods, April first."""
    return [month_key(month_start(financial_year, n)) for n in range(1, 13)]


def period_problem(text: str, financial_year: int) -> str | None:
    """Why ``text`` is not a month of the financial year written ``yyyy-mm`` (None if it is).
    The text itself is never repeated back: it may be anything, of any length."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
        return "Enter the month as YYYY-MM, for example 2026-01"
    if text not in year_periods(financial_year):
        first, last = month_start(financial_year, 1), month_start(financial_year, 12)
        return f"{text} is not a month of this year: choose {first:%B %Y} to {last:%B %Y}"
    return None


def correction_day(on: date, closed: Collection[str], end: date) -> date | None:
    """The day a correction of something dated ``on`` is posted: that day if its month is open,
    else the last day of the first open month after it and before ``end`` (a closed month
    stays as it was reported); None if every one of those months is closed."""
    day = on
    while day < end:
        if is_open(month_key(day), closed):
            return day
        following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        day = (following + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return None


def is_open(period: str, closed: Collection[str]) -> bool:
    """Whether a month takes postings: the one test of a closed period."""
    return period not in closed
