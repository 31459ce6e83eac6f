"""Components given as amounts become shares that add up to exactly 1 and give each amount
back to the penny when the budget is split (``onebudget.allocation.shares``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onebudget.allocation.shares import Part, covered, shares_of
from onebudget.money import allocate

D = Decimal


def test_shares_stay_as_given_and_a_third_of_a_budget_is_exact_to_the_penny() -> None:
    parts = [Part(share=D("0.5")), Part(amount=D("333333.33")), Part(amount=D("166666.67"))]
    shares = shares_of(D("1000000.00"), parts)
    assert shares[0] == D("0.5")
    assert sum(shares) == 1
    assert allocate(D("1000000.00"), shares) == [D("500000.00"), D("333333.33"), D("166666.67")]


def test_parts_that_do_not_cover_the_budget_are_not_forced_to() -> None:
    parts = [Part(share=D("0.5")), Part(amount=D("100.00"))]
    assert covered(D("1000.00"), parts) == D("600.00")
    shares = shares_of(D("1000.00"), parts)
    assert shares == [D("0.5"), D("0.1")]
    assert sum(shares) != 1  # the engine refuses it and says by how much


def test_a_part_is_a_share_or_an_amount() -> None:
    with pytest.raises(ValueError, match="a share or an amount"):
        shares_of(D("10.00"), [Part()])


pence = st.integers(min_value=1, max_value=10**13)  # up to £100bn a part


@given(amounts=st.lists(pence, min_size=1, max_size=8), percent=st.integers(0, 99))
def test_any_amounts_come_back_to_the_penny(amounts: list[int], percent: int) -> None:
    """Amounts in whole pence beside an optional share: the shares add up to exactly 1 and
    the split gives every amount back exactly."""
    given_ = [D(a) / 100 for a in amounts]
    share = D(percent) / 100
    budget = sum(given_, D(0)) / (1 - share)
    if budget != budget.quantize(D("0.01")):  # the share leaves the budget in whole pence
        budget = sum(given_, D(0))
        share = D(0)
    parts = ([Part(share=share)] if share else []) + [Part(amount=a) for a in given_]
    shares = shares_of(budget, parts)
    assert sum(shares) == 1
    split = allocate(budget, shares)
    assert split[-len(given_) :] == [a.quantize(D("0.01")) for a in given_]
