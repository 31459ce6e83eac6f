"""A date from the three boxes of a date input (day, month, year), or what is wrong with it
in the words of the GOV.UK date input pattern."""

from __future__ import annotations

from datetime import date


def read_date(day: str, month: str, year: str) -> tuple[date | None, list[str]]:
    """The date, or ``None`` with the one error message to show beside the boxes."""
    given = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    missing = [k for k, v in given.items() if not v]
    if len(missing) == 3:
        return None, ["Enter the date"]
    if missing:
        return None, [f"The date must include a {' and '.join(missing)}"]
    if not all(v.isdigit() for v in given.values()) or len(given["year"]) != 4:
        return None, ["The date must be a real date, like 27 3 2025"]
    try:
        return date(int(given["year"]), int(given["month"]), int(given["day"])), []
    except ValueError:
        return None, ["The date must be a real date, like 27 3 2025"]
