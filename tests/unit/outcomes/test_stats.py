"""Outcome statistics: published values reproduced, edge cases refused, properties that hold.

Reference values: Wilson and Byar intervals as published in PHE's confidence-interval
guidance for 65/100 and 1045/5000; exact Poisson limits from the chi-square route (scipy);
DSRs checked against a second, independently written calculation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import chi2

from onebudget.outcomes import stats
from onebudget.outcomes.spc import NEAR_LIMIT, OUTSIDE_LIMITS, SHIFT, TREND
from onebudget.outcomes.stats import (
    ESP2013,
    byar_ci,
    dsr,
    exact_poisson_ci,
    funnel,
    wilson_ci,
    xmr,
    z_value,
)

Z95, Z998 = 1.959963984540054, 3.090232306167813
BAD_PROPORTIONS = [(0, 0, "denominator"), (5, -1, "denominator"), (6, 5, "numer"), (-1, 5, "numer")]
BASE = [11.0, 9.0] * 6  # mean 10, mean moving range 2: limits 4.68 to 15.32, outer third >13.55


def test_published_wilson_and_byar_values() -> None:
    assert wilson_ci(65, 100) == pytest.approx(
        (0.55254443296887967, 0.73635751756902468), rel=1e-12
    )
    assert wilson_ci(1045, 5000) == pytest.approx((0.197955, 0.220491), abs=5e-7)
    assert byar_ci(65) == pytest.approx((50.163187710459454, 82.849138545939837), rel=1e-12)
    assert byar_ci(1045) == pytest.approx((982.5932, 1110.3312), abs=5e-5)
    assert byar_ci(65, 0.998) == pytest.approx((42.8803, 94.0003), abs=5e-5)
    assert z_value(0.95) == pytest.approx(Z95, rel=1e-12)
    assert z_value(0.998) == pytest.approx(Z998, rel=1e-12)


@pytest.mark.parametrize("confidence", [0, 1, -0.5, 1.5, math.nan])
def test_confidence_must_be_strictly_between_0_and_1(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence"):
        wilson_ci(1, 2, confidence)
    with pytest.raises(ValueError, match="confidence"):
        exact_poisson_ci(3, confidence)


def test_wilson_edges_and_refusals() -> None:
    assert wilson_ci(0, 40)[0] == 0.0
    assert wilson_ci(40, 40)[1] == 1.0
    assert wilson_ci(0, 40)[1] == pytest.approx(Z95**2 / (40 + Z95**2), rel=1e-12)
    for x, n, message in BAD_PROPORTIONS:
        with pytest.raises(ValueError, match=message):
            wilson_ci(x, n)


def test_count_intervals_at_zero_and_negative() -> None:
    assert byar_ci(0) == pytest.approx((0.0, (1 - 1 / 9 + Z95 / 3) ** 3), rel=1e-12)
    assert exact_poisson_ci(0) == pytest.approx((0.0, -math.log(0.025)), rel=1e-12)
    for interval in (byar_ci, exact_poisson_ci):
        with pytest.raises(ValueError, match="non-negative"):
            interval(-1)


@pytest.mark.parametrize("count", [1, 5, 9, 40])
def test_exact_poisson_matches_chi_square_route(count: int) -> None:
    expected = (chi2.ppf(0.025, 2 * count) / 2, chi2.ppf(0.975, 2 * count + 2) / 2)
    assert exact_poisson_ci(count) == pytest.approx(expected, rel=1e-9)


@given(st.integers(1, 10**6), st.data())
def test_wilson_within_unit_interval_and_contains_estimate(n: int, data: st.DataObject) -> None:
    x = data.draw(st.integers(0, n))
    lower, upper = wilson_ci(x, n)
    assert 0.0 <= lower <= x / n <= upper <= 1.0


@given(st.integers(1, 10**7))
def test_byar_contains_count_and_narrows_relatively(count: int) -> None:
    lower, upper = byar_ci(count)
    next_lower, next_upper = byar_ci(count + 1)
    assert lower < count < upper
    assert (next_upper - next_lower) / (count + 1) < (upper - lower) / count


@given(st.integers(100, 10**7))
def test_exact_poisson_agrees_with_byar_from_100(count: int) -> None:
    assert exact_poisson_ci(count) == pytest.approx(byar_ci(count), rel=0.01)


def test_esp2013() -> None:
    assert len(ESP2013) == 19
    assert sum(ESP2013) == 100_000
    assert (ESP2013[0], ESP2013[9], ESP2013[-1]) == (5000, 7000, 1000)


def _dobson_by_hand(table: list[tuple[int, int, int]], o_low: float, o_high: float) -> list[float]:
    """Second route: expected deaths in the standard population, variance term by term."""
    expected = weight_total = variance = 0.0
    for deaths, people, standard in table:
        expected += deaths * (standard / people)
        weight_total += standard
    for deaths, people, standard in table:
        variance += (standard / weight_total) ** 2 * deaths / people**2
    rate = expected / weight_total
    observed = sum(row[0] for row in table)
    step = (variance / observed) ** 0.5
    limits = (rate, rate - step * (observed - o_low), rate + step * (o_high - observed))
    return [1e5 * x for x in limits]


def test_dsr_worked_example_with_byar_limits() -> None:
    table = [(3, 12_000, 20_000), (11, 9_500, 30_000), (27, 6_000, 35_000), (38, 2_500, 15_000)]
    o = 79  # Byar's limits for 79 events, written out rather than calling byar_ci
    o_low = o * (1 - 1 / (9 * o) - Z95 / (3 * o**0.5)) ** 3
    o_high = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * (o + 1) ** 0.5)) ** 3
    result = dsr(*zip(*table, strict=True))
    assert result.events == o
    assert result.population == 30_000
    expected = _dobson_by_hand(table, o_low, o_high)
    assert [result.value, result.lower, result.upper] == pytest.approx(expected, rel=1e-12)
    assert result.value == pytest.approx(5 + 34.7368421 + 157.5 + 228, abs=1e-6)  # by hand


def test_dsr_interval_around_the_published_count() -> None:
    """The same table with its 79 events published as 80: Dobson's step √(var/O)·(O_lim − O)
    with O = 80 throughout, so the interval's shape fits 80, not the exact 79."""
    table = [(3, 12_000, 20_000), (11, 9_500, 30_000), (27, 6_000, 35_000), (38, 2_500, 15_000)]
    o = 80
    o_low = o * (1 - 1 / (9 * o) - Z95 / (3 * o**0.5)) ** 3
    o_high = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * (o + 1) ** 0.5)) ** 3
    weight_total = sum(w for _, _, w in table)
    variance = sum((w / weight_total) ** 2 * d / n**2 for d, n, w in table)
    step = (variance / o) ** 0.5
    result = dsr(*zip(*table, strict=True), around=80)
    exact = dsr(*zip(*table, strict=True))
    assert result.value == exact.value
    rate = exact.value / 1e5
    assert [result.lower, result.upper] == pytest.approx(
        [1e5 * (rate - step * (o - o_low)), 1e5 * (rate + step * (o_high - o))], rel=1e-12
    )
    assert dsr(*zip(*table, strict=True), around=79) == exact


def test_dsr_below_ten_events_uses_exact_limits() -> None:
    table = [(2, 4_000, 60_000), (5, 1_000, 40_000)]
    o_low, o_high = chi2.ppf(0.025, 14) / 2, chi2.ppf(0.975, 16) / 2
    result = dsr(*zip(*table, strict=True))
    assert [result.value, result.lower, result.upper] == pytest.approx(
        _dobson_by_hand(table, o_low, o_high), rel=1e-9
    )


def test_dsr_with_no_events_has_a_finite_upper_limit() -> None:
    result = dsr([0, 0], [1_000, 3_000], [1_000, 3_000])  # weights in proportion to people
    assert (result.value, result.lower) == (0.0, 0.0)
    assert result.upper == pytest.approx(1e5 * exact_poisson_ci(0)[1] / 4_000, rel=1e-12)


@pytest.mark.parametrize(
    ("events", "people", "standard", "message"),
    [
        ([1, 2], [10, 20, 30], [1, 1, 1], "one value per age band"),
        ([1, -2, 3], [10, 20, 30], [1, 1, 1], "band 1: events"),
        ([1, 2, 3], [10, 20, 0], [1, 1, 1], "band 2: population"),
        ([1, 2, 3], [10, 20, 30], [1, -1, 1], "band 1: standard"),
        ([], [], [], "at least one"),
    ],
)
def test_dsr_refuses_bad_tables(
    events: list[float], people: list[float], standard: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        dsr(events, people, standard)


bands = st.lists(
    st.tuples(st.integers(0, 500), st.integers(1, 10**6), st.integers(1, 10_000)),
    min_size=1,
    max_size=19,
)


@given(bands)
def test_dsr_limits_bracket_the_rate(table: list[tuple[int, int, int]]) -> None:
    result = dsr(*zip(*table, strict=True))
    assert result.lower <= result.value <= result.upper


@given(bands, st.floats(1e-6, 1.0))
def test_dsr_of_equal_rates_is_that_rate(table: list[tuple[int, int, int]], rate: float) -> None:
    people, weights = [row[1] for row in table], [row[2] for row in table]
    result = dsr([rate * n for n in people], people, weights, multiplier=1000)
    assert result.value == pytest.approx(1000 * rate, rel=1e-9)


def test_funnel_limits_follow_the_formulas() -> None:
    lower, upper = stats.funnel_limits_proportion(0.2, np.array([100.0, 4.0]))
    assert lower[0] == pytest.approx(0.2 - Z998 * 0.04, rel=1e-12)
    assert upper[0] == pytest.approx(0.2 + Z998 * 0.04, rel=1e-12)
    assert lower[1] == 0.0  # clipped
    rate_lower, rate_upper = stats.funnel_limits_rate(0.002, [50_000], multiplier=1000)
    assert (rate_lower[0], rate_upper[0]) == pytest.approx(
        tuple(limit / 50 for limit in byar_ci(100, 0.998)), rel=1e-12
    )


def test_funnel_places_each_unit() -> None:
    n = [400] * 5  # target 0.5: sd 0.025, so 95% at ±0.049, 99.8% at ±0.077
    positions = funnel([0.5, 0.56, 0.6, 0.44, 0.4], n, 0.5)
    assert positions == ("within", "above 95%", "above 99.8%", "below 95%", "below 99.8%")
    assert funnel([0.004, 0.001], [10_000] * 2, 0.001, kind="rate") == ("above 99.8%", "within")
    with pytest.raises(ValueError, match="kind"):
        funnel([0.1], [10], 0.1, kind="ratio")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shape"):
        funnel([0.1, 0.2], [10], 0.1)


@given(st.floats(0.0, 1.0), st.floats(1.0, 1e6), st.floats(1.0, 1e6))
def test_funnel_limits_widen_as_denominator_shrinks(target: float, a: float, b: float) -> None:
    small, large = sorted((a, b))
    for limits in (stats.funnel_limits_proportion, stats.funnel_limits_rate):
        (lo_small, lo_large), (hi_small, hi_large) = limits(target, [small, large])
        assert lo_small <= lo_large + 1e-12
        assert hi_small >= hi_large - 1e-12


def test_xmr_centre_and_limits() -> None:
    chart = xmr([10, 12, 10, 16])  # moving ranges 2, 2, 6
    assert (chart.mean, chart.mean_moving_range) == pytest.approx((12, 10 / 3), rel=1e-12)
    assert (chart.upper_limit, chart.lower_limit) == pytest.approx(
        (12 + 26.6 / 3, 12 - 26.6 / 3), rel=1e-12
    )
    assert xmr([*BASE, 100], baseline=12).mean == 10
    with pytest.raises(ValueError, match="at least 2"):
        xmr([1.0])
    with pytest.raises(ValueError, match="baseline"):
        xmr([1, 2, 3], baseline=4)
    assert stats.xmr is xmr  # re-exported for callers of the statistics module


def _flagged(values: list[float], signal: str) -> list[int]:
    chart = xmr(values, baseline=len(BASE))
    return [i for i, s in enumerate(chart.signals) if signal in s]


def test_xmr_flags_a_planted_shift_of_seven_not_six() -> None:
    assert _flagged([*BASE, *[11.0, 12.0] * 3, 11.0, 9.0], SHIFT) == list(range(12, 19))
    assert _flagged([*BASE, *[11.0, 12.0] * 3, 9.0], SHIFT) == []


def test_xmr_flags_a_planted_trend_of_six_not_five() -> None:
    assert _flagged([*BASE, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 10], TREND) == list(range(12, 18))
    assert _flagged([*BASE, 7.5, 8.5, 9.5, 10.5, 11.5, 10], TREND) == []


def test_xmr_flags_points_outside_and_near_the_limits() -> None:
    assert _flagged([*BASE, 16.0, 10.0, 4.0], OUTSIDE_LIMITS) == [12, 14]
    assert _flagged([*BASE, 14.0, 10.0, 14.0, 10.0, 10.0, 14.0], NEAR_LIMIT) == [12, 14]
    assert _flagged([*BASE, 14.0, 10.0, 6.0, 10.0, 6.0], NEAR_LIMIT) == [14, 16]


@given(st.floats(-1e6, 1e6), st.floats(0.0, 1.0), st.integers(2, 60))
def test_xmr_flags_nothing_on_a_steady_series(level: float, wobble: float, n: int) -> None:
    chart = xmr([level + wobble * 1e-3 * (i % 2) for i in range(n)])
    assert all(not s for s in chart.signals)
