"""A target as a commissioner types it: a number, two decimal places at most, in range."""

from decimal import Decimal

import pytest

from onebudget.outcomes.targets import parse_target


@pytest.mark.parametrize(
    ("text", "multiplier", "expected"),
    [
        ("92.5", 100, Decimal("92.5")),
        (" 100 ", 100, Decimal("100")),
        ("1,933.25", 100_000, Decimal("1933.25")),
        ("0", 1000, Decimal("0")),
        ("1,000,000,000", 100_000, Decimal("1000000000")),
    ],
)
def test_a_target_written_as_a_number(text: str, multiplier: int, expected: Decimal) -> None:
    assert parse_target(text, multiplier) == (expected, "")


@pytest.mark.parametrize(
    ("text", "multiplier"),
    [
        ("100.01", 100),
        ("1e30", 100_000),
        ("1000000000.01", 100_000),
        ("-1", 1000),
        ("NaN", 1000),
        ("1.005", 1000),
        ("12,34", 1000),
        ("", 100),
        ("٣", 100),  # an Arabic-Indic digit: Decimal reads it, a target is ASCII digits
    ],
)
def test_anything_else_is_the_rule_it_breaks(text: str, multiplier: int) -> None:
    value, rule = parse_target(text, multiplier)
    assert value is None
    assert rule.startswith("a percentage from 0 to 100" if multiplier == 100 else "a number")
