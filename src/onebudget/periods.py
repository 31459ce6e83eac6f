"""April-to-March financial years and their months (period 1 is April, 12 is March).

Written once: the pooled fund's instalments and monitoring, the service's ledger postings,
the synthetic ledgers and the outcomes periods all count months this way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

YEAR_WRITTEN = "a financial year written 2025/26, 2025-26 or 2025/2026"
_YEAR = re.compile(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", re.ASCII)


def year_label(financial_year: int) -> str:
    """2025 -> "2025/26"."""
    return f"{financial_year}/{(financial_year + 1) % 100:02d}"


def parse_year(text: str) -> int | None:
    """ "2025/26", "2025-26", "2025/2026" or "2025-2026" -> 2025; None for anything else,
    including a second year that does not follow the first ("2025/27")."""
    found = _YEAR.fullmatch(text.strip())
    if found is None:
        return None
    first, second = int(found[1]), found[2]
    following = first + 1
    ok = int(second) == following if len(second) == 4 else second == f"{following % 100:02d}"
    return first if ok else None


def month_start(financial_year: int, period: int) -> date:
    """The first day of period 1 (April) to 12 (March) of a financial year."""
    month = (period + 2) % 12 + 1
    return date(financial_year + (1 if month < 4 else 0), month, 1)


def month_end(financial_year: int, period: int) -> date:
    """The last day of the period."""
    following = month_start(financial_year, period + 1) if period < 12 else None
    return (following or date(financial_year + 1, 4, 1)) - timedelta(days=1)


def period_of(month: int) -> int:
    """Calendar month 1-12 -> its period in the financial year (April = 1)."""
    return (month - 4) % 12 + 1


def financial_year_of(day: date) -> int:
    """The financial year ``day`` falls in, by the year it starts (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


Why = Literal["asked", "current", "latest", "none"]


@dataclass(frozen=True)
class YearChoice:
    """The year a page shows and why; ``refused`` is a year asked for that has no figures."""

    year: int | None
    why: Why
    refused: int | None = None


def choose_year(years: Sequence[int], today: date, asked: int | None = None) -> YearChoice:
    """The one rule for the year a page shows (spend, outcomes): the year asked for if it
    has figures; else the current financial year if it has; else the latest that has
    (``year`` is None only when no year has)."""
    if asked is not None and asked in years:
        return YearChoice(asked, "asked")
    current = financial_year_of(today)
    if current in years:
        return YearChoice(current, "current", asked)
    if years:
        return YearChoice(max(years), "latest", asked)
    return YearChoice(None, "none", asked)
