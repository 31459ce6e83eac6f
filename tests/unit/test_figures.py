"""Figures as people read them: money, counts, rates, percentages; signs that stay with them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onebudget import figures
from onebudget.figures import MINUS

D = Decimal


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (D("1791334096.64"), "£1.79bn"),
        (D("428838016"), "£428.8m"),
        (D("-1192.50"), f"{MINUS}£1,193"),
        (D("12345.50"), "£12,346"),
        (D("12344.50"), "£12,345"),
        (D("999.99"), "£999.99"),
        (D("-0.01"), f"{MINUS}£0.01"),
        (D("0"), "£0.00"),
    ],
)
def test_large_sums_are_shown_at_a_glance(amount: Decimal, shown: str) -> None:
    assert figures.pounds_short(amount) == shown


def test_pounds_counts_rates_and_percentages() -> None:
    assert figures.pounds(D("-1192.5")) == f"{MINUS}£1,192.50"
    assert figures.count(260095) == "260,095"
    assert figures.number(D("1E+3")) == "1,000"
    assert figures.number(D("1933.456"), 1) == "1,933.5"
    assert figures.percent(D("0.0123")) == "1.2%"
    assert figures.indicator_value(D("1764.65"), "mean") == "£1,764.65"
    assert figures.indicator_value(D("92.5"), "proportion") == "92.5%"
    assert figures.indicator_value(D("1933.4"), "dsr") == "1,933.4"


@given(st.integers(-(10**15), 10**15).map(lambda p: D(p) / 100))
def test_every_amount_reads_back_to_the_penny(amount: Decimal) -> None:
    shown = figures.pounds(amount)
    back = D(shown.replace(MINUS, "-").replace("£", "").replace(",", ""))
    assert back == amount
    assert shown.startswith(MINUS) == (amount < 0)
