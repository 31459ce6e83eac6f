"""Targets year by year: which financial years a dataset holds, which a target may be set
for, which a page shows first, and each year's value judged against its own target."""

from datetime import date
from decimal import Decimal

import pytest

from onebudget.outcomes.targets import (
    data_years,
    target_years,
    trajectory,
)
from onebudget.periods import choose_year, financial_year_of


def test_only_whole_financial_years_of_the_data_count() -> None:
    """January 2023 to December 2025: April 2023 to March 2025 are whole years; January to
    March 2023 and April to December 2025 are not."""
    assert data_years(2023, 2025) == [2023, 2024]
    assert data_years(2023, 2023) == []
    assert target_years(2023, 2025) == [2023, 2024, 2025]
    assert target_years(2023, 2023) == []


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2026, 12, 2), 2026)],
)
def test_the_financial_year_of_a_day(day: date, year: int) -> None:
    assert financial_year_of(day) == year


def test_the_year_shown_is_the_one_asked_else_this_one_else_the_latest() -> None:
    years = [2023, 2024]
    assert choose_year(years, date(2026, 12, 2)).year == 2024  # 2026/27 has no data
    assert choose_year(years, date(2024, 5, 1)).year == 2024
    assert choose_year(years, date(2023, 5, 1)).year == 2023  # this year, though not the latest
    assert choose_year(years, date(2026, 12, 2), asked=2023).year == 2023
    assert choose_year(years, date(2026, 12, 2), asked=2019).year == 2024
    assert choose_year([], date(2026, 12, 2), asked=2023).year is None


def test_each_year_is_judged_against_its_own_target() -> None:
    actuals = {
        2023: (93.2, 92.9, 93.6),
        2024: (94.0, 93.5, 94.4),
    }
    targets = {2023: Decimal("95"), 2024: Decimal("92"), 2025: Decimal("96")}
    found = trajectory([2023, 2024], actuals, targets, "higher is better")
    assert [(t.year, t.target, t.status) for t in found] == [
        (2023, Decimal("95"), "not met"),
        (2024, Decimal("92"), "met"),
        (2025, Decimal("96"), "no data yet"),
    ]
    assert (found[1].value, found[1].lower, found[1].upper) == (94.0, 93.5, 94.4)
    assert found[2].value is None


def test_years_without_a_target_or_with_a_suppressed_value() -> None:
    actuals = {2023: (None, None, None), 2024: (10.0, 9.0, 11.0)}
    found = trajectory([2023, 2024], actuals, {2023: Decimal("5")}, "lower is better")
    assert [t.status for t in found] == ["not judged", "no target"]
    lower = trajectory([2024], actuals, {2024: Decimal("12")}, "lower is better")
    assert lower[0].status == "met"
    within = trajectory([2024], actuals, {2024: Decimal("10.5")}, "lower is better")
    assert within[0].status == "not significantly different"
