"""Every split of money adds up to the penny, whatever the amount and weights."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from onebudget.money import D, allocate, from_pence

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
