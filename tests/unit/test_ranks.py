"""The nearest-rank percentile every engine reports (contract modelling, scenarios)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onebudget.ranks import nearest_rank


def test_worked_by_hand() -> None:
    ten = list(range(1, 11))
    assert [nearest_rank(ten, p) for p in (0, 10, 50, 90, 100)] == [1, 1, 5, 9, 10]
    assert [nearest_rank([7, 8, 9], p) for p in (10, 34, 67)] == [7, 8, 9]
    with pytest.raises(ValueError, match="a percentile of nothing"):
        nearest_rank([], 50)


@given(st.lists(st.integers(), min_size=1), st.integers(0, 100))
def test_a_percentile_is_a_value_with_at_least_p_percent_at_or_below_it(
    values: list[int], p: int
) -> None:
    ordered = sorted(values)
    found = nearest_rank(ordered, p)
    assert found in values
    assert 100 * sum(v <= found for v in values) >= p * len(values)
    assert 100 * sum(v < found for v in values) < max(p, 1) * len(values)
