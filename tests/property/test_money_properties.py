"""Every split of money adds up to the penny, whatever the amount and weights; any text or
number either becomes money that round-trips to pence within range, or is a MoneyError."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from onebudget.money import (
    FRACTION_OF_A_PENNY,
    TOO_LARGE,
    D,
    MoneyError,
    allocate,
    exact,
    from_pence,
    to_pence,
)

pence = st.integers(min_value=-(10**13), max_value=10**13)
weights = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=40).filter(
    lambda ws: sum(ws) > 0
)


@given(pence, weights)
def test_parts_sum_exactly_to_the_total(total_pence: int, ws: list[int]) -> None:
    total = from_pence(total_pence)
    parts = allocate(total, ws)
    assert sum(parts, Decimal("0")) == total
    assert len(parts) == len(ws)


@given(pence, weights)
def test_each_part_is_within_a_penny_of_its_exact_share(total_pence: int, ws: list[int]) -> None:
    total = from_pence(total_pence)
    for part, w in zip(allocate(total, ws), ws, strict=True):
        exact = total * Decimal(w) / Decimal(sum(ws))
        assert abs(part - exact) < Decimal("0.01")
        assert part == D(part)


@given(pence, weights)
def test_zero_weights_get_nothing(total_pence: int, ws: list[int]) -> None:
    parts = allocate(from_pence(total_pence), [*ws, 0])
    assert parts[-1] == 0


LIMIT = 2**63 - 1  # pence: the most a signed 64-bit count holds
MONEY = settings(max_examples=100, deadline=None)

digits = st.text(st.sampled_from("0123456789"), min_size=1, max_size=30)
amountish = st.builds(
    lambda sign, pound, whole, point, fraction, exponent, brackets: (
        f"({pound}{whole}{point}{fraction}{exponent})"
        if brackets
        else f"{sign}{pound}{whole}{point}{fraction}{exponent}"
    ),
    st.sampled_from(["", "-", "+", " -", "--"]),
    st.sampled_from(["", "£", "£ "]),
    st.one_of(digits, st.integers(0, 10**20).map(lambda n: f"{n:,}")),
    st.sampled_from(["", ".", ","]),
    st.one_of(st.just(""), digits),
    st.sampled_from(["", "e30", "E+3", "e-2", "e400", "%"]),
    st.booleans(),
)
texts = st.one_of(st.text(max_size=40), amountish)


def _is_money(found: Decimal) -> None:
    assert found == found.quantize(Decimal("0.01"))
    assert abs(to_pence(found)) <= LIMIT
    assert from_pence(to_pence(found)) == found


def _outcome(make: Callable[[Any], Decimal], value: Any) -> Decimal | MoneyError:
    """What ``make`` gives for ``value``: money, or the MoneyError; any other error raises."""
    try:
        return make(value)
    except MoneyError as error:
        return error


@MONEY
@given(texts)
def test_any_text_is_money_within_range_or_a_money_error(text: str) -> None:
    found = _outcome(D, text)
    if isinstance(found, MoneyError):
        assert found.rule
        return
    _is_money(found)
    strict = _outcome(exact, text)
    assert strict == found or getattr(strict, "rule", None) == FRACTION_OF_A_PENNY


@MONEY
@given(
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**40), max_value=10**40),
    )
)
def test_any_number_is_money_within_range_or_a_money_error(value: Decimal | int) -> None:
    found = _outcome(D, value)
    if isinstance(found, MoneyError):
        assert found.rule
    else:
        _is_money(found)


@MONEY
@given(st.integers(min_value=-LIMIT, max_value=LIMIT))
def test_every_count_of_pence_in_range_round_trips_through_text(pence: int) -> None:
    amount = from_pence(pence)
    text = f"£{abs(amount):,}"
    assert exact(f"-{text}" if pence < 0 else text) == amount
    assert exact(f"({text})") == -abs(amount)


@MONEY
@given(st.integers(min_value=LIMIT + 1, max_value=10**30), st.booleans())
def test_every_count_of_pence_beyond_range_is_refused(pence: int, negative: bool) -> None:
    text = f"{'-' if negative else ''}{Decimal(pence).scaleb(-2):f}"
    with pytest.raises(MoneyError) as caught:
        D(text)
    assert caught.value.rule == TOO_LARGE


@MONEY
@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False),
        st.tuples(st.integers(-LIMIT, LIMIT), st.integers(-4, 3)).map(
            lambda p: Decimal(p[0]).scaleb(p[1])
        ),
    )
)
@example(Decimal("1.005")).via("half a penny rounds up")
@example(Decimal("-2.675")).via("and away from zero")
def test_pence_of_any_amount_are_those_of_the_amount_rounded_by_d(value: Decimal) -> None:
    """``to_pence``'s short cut for whole pence agrees with rounding by ``D`` every time."""
    expected = _outcome(lambda v: Decimal(int(D(v) / Decimal("0.01"))), value)
    found = _outcome(lambda v: Decimal(to_pence(v)), value)
    assert found == expected or (
        isinstance(found, MoneyError) and getattr(expected, "rule", None) == found.rule
    )
