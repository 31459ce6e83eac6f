"""Properties of the cohort-component projection and the growth multipliers (issue 18):
with nobody dying or born, ageing only moves each cohort up a year and nobody is lost;
whatever the rates, nobody is ever fewer than none; a growth of nothing multiplies by one,
and positive growth never shrinks."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from onebudget.scenarios.projection import (
    SHAPE,
    Population,
    Rates,
    age_one_year,
    band_growth,
    cumulative,
    project,
)

# persons: none, or from a millionth of a person (a band of 1e-308 people growing to one
# person would grow by more than a float holds)
counts = arrays(np.float64, SHAPE, elements=st.just(0.0) | st.floats(1e-6, 1e6))
probabilities = arrays(np.float64, SHAPE, elements=st.floats(0, 1, allow_subnormal=False))
NOBODY_DIES_OR_IS_BORN = Rates(np.zeros(SHAPE), fertility=0, boys_per_girl=1.05)


@given(counts)
def test_without_deaths_or_births_each_cohort_moves_up_a_year(persons: np.ndarray) -> None:
    after = age_one_year(persons, NOBODY_DIES_OR_IS_BORN)
    assert (after[:, 0] == 0).all()
    assert (after[:, 1:100] == persons[:, :99]).all()
    assert (after[:, 100] == persons[:, 99] + persons[:, 100]).all()
    assert np.isclose(after.sum(), persons.sum(), rtol=1e-12)


@given(counts, st.integers(0, 10))
def test_without_deaths_or_births_the_total_never_changes(persons: np.ndarray, years: int) -> None:
    projection = project(Population(2025, persons), years, NOBODY_DIES_OR_IS_BORN)
    totals = projection.persons.sum(axis=(1, 2))
    assert np.allclose(totals, persons.sum(), rtol=1e-12)


@given(
    counts,
    probabilities,
    st.floats(0, 1, allow_subnormal=False),
    st.floats(0.5, 2),
    st.integers(0, 10),
)
def test_persons_are_never_negative(
    persons: np.ndarray, mortality: np.ndarray, fertility: float, ratio: float, years: int
) -> None:
    rates = Rates(mortality, fertility=fertility, boys_per_girl=ratio)
    projection = project(Population(2025, persons), years, rates)
    assert (projection.persons >= 0).all()
    growth = band_growth(projection)
    assert (growth >= 0).all()
    assert (growth[0] == 1).all()


@given(st.integers(1, 50), st.integers(0, 10))
def test_no_growth_multiplies_by_one(runs: int, years: int) -> None:
    assert (cumulative(np.zeros(runs), years) == 1).all()
    assert (cumulative(np.zeros((runs, years)), years) == 1).all()


@given(
    st.lists(st.floats(0, 1, allow_subnormal=False), min_size=1, max_size=20),
    st.integers(0, 10),
)
def test_positive_growth_never_shrinks(rates: list[float], years: int) -> None:
    multipliers = cumulative(np.array(rates), years)
    assert multipliers.shape == (len(rates), years + 1)
    assert (multipliers[:, 0] == 1).all()
    assert (np.diff(multipliers, axis=1) >= 0).all()


@given(arrays(np.float64, (5, 10), elements=st.floats(0, 1, allow_subnormal=False)))
def test_positive_growth_by_year_never_shrinks(rates: np.ndarray) -> None:
    assert (np.diff(cumulative(rates, 10), axis=1) >= 0).all()
