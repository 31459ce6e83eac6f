"""April-to-March financial years and their months (period 1 is April, 12 is March).

Written once: the pooled fund's instalments and monitoring, the service's ledger postings,
the synthetic ledgers and the outcomes periods all count months this way.
"""

from __future__ import annotations

from datetime import date, timedelta


def year_label(financial_year: int) -> str:
    """2025 -> "2025/26"."""
    return f"{financial_year}/{(financial_year + 1) % 100:02d}"


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
