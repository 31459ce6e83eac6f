"""Statistics for outcome indicators, written from the published formulas.

Confidence intervals for proportions (Wilson 1927) and counts (Byar's approximation, via
Breslow & Day 1987; exact Poisson for small counts), directly standardised rates with
Dobson et al. (1991) intervals as Public Health England's methods use them, funnel plot
limits (Spiegelhalter 2005), and the XmR chart of "Making Data Count" (in ``spc``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.special import gammainccinv, gammaincinv  # type: ignore[import-untyped]

from onebudget.outcomes.spc import XmrResult, xmr

__all__ = [
    "ESP2013",
    "DsrResult",
    "XmrResult",
    "byar_ci",
    "dsr",
    "exact_poisson_ci",
    "funnel",
    "funnel_limits_proportion",
    "funnel_limits_rate",
    "wilson_ci",
    "xmr",
    "z_value",
]

Floats = npt.NDArray[np.float64]
EXACT_BELOW = 10  # PHE: exact Poisson limits for fewer than 10 events, Byar's from 10 up
# 2013 European Standard Population, 5-year bands 0-4 … 85-89, then 90+ (sums to 100,000).
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:  # also rejects NaN
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence level such as 0.95."""
    _check_confidence(confidence)
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_ci(
    numerator: float, denominator: float, confidence: float = 0.95
) -> tuple[float, float]:
    """Wilson (1927) score interval for a proportion, without continuity correction.

    Preferred to the normal ("Wald") interval because it stays within [0, 1] and behaves
    well for proportions near 0 or 1 and for small denominators.
    """
    if not (math.isfinite(denominator) and denominator > 0):
        raise ValueError(f"denominator must be a positive number, got {denominator!r}")
    if not 0 <= numerator <= denominator:
        raise ValueError(
            f"numerator must be between 0 and the denominator ({denominator!r}), got {numerator!r}"
        )
    z = z_value(confidence)
    p = numerator / denominator
    z2n = z * z / denominator
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / denominator + z2n / (4 * denominator)) / (1 + z2n)
    lower = 0.0 if numerator == 0 else max(0.0, centre - half)
    upper = 1.0 if numerator == denominator else min(1.0, centre + half)
    return lower, upper


def _byar(counts: Floats, z: float) -> tuple[Floats, Floats]:
    """Byar's approximation, element-wise, with the lower limit floored at 0.

    Below 1/9 the lower bracket is negative whatever z, so such counts (0 included) get 0
    without dividing by them.
    """
    has_lower = counts > 1 / 9
    safe = np.where(has_lower, counts, 1.0)
    base = np.maximum(1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe)), 0.0)
    lower = np.where(has_lower, safe * base**3, 0.0)
    after = counts + 1
    upper = after * (1 - 1 / (9 * after) + z / (3 * np.sqrt(after))) ** 3
    return lower, upper


def _check_count(count: float) -> None:
    if not (math.isfinite(count) and count >= 0):
        raise ValueError(f"count must be a non-negative number, got {count!r}")


def byar_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Confidence interval for a Poisson count by Byar's approximation (Breslow & Day 1987).

    Accurate to within a few per cent from about 10 events; the lower limit is floored at 0.
    """
    _check_count(count)
    lower, upper = _byar(np.array([count], dtype=np.float64), z_value(confidence))
    return float(lower[0]), float(upper[0])


def exact_poisson_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact Poisson interval from the gamma (chi-square) relation, for small counts.

    Lower = Γ⁻¹(O, α/2) (0 when O = 0); upper = Γ⁻¹(O + 1, 1 − α/2), Γ the regularised
    lower incomplete gamma function: equivalent to χ²(α/2; 2O)/2 and χ²(1 − α/2; 2O + 2)/2.
    """
    _check_count(count)
    _check_confidence(confidence)
    alpha = 1 - confidence
    lower = 0.0 if count == 0 else float(gammaincinv(count, alpha / 2))
    return lower, float(gammainccinv(count + 1, alpha / 2))


def _count_ci(count: float, confidence: float) -> tuple[float, float]:
    if count < EXACT_BELOW:
        return exact_poisson_ci(count, confidence)
    return byar_ci(count, confidence)


@dataclass(frozen=True)
class DsrResult:
    """A directly standardised rate (per ``multiplier``) and its confidence interval."""

    value: float
    lower: float
    upper: float
    events: float  # total observed events
    population: float  # total local population
    multiplier: float
    confidence: float


def _bands(
    events: Sequence[float], populations: Sequence[float], standard: Sequence[float]
) -> list[tuple[float, float, float]]:
    if not len(events) == len(populations) == len(standard):
        raise ValueError(
            "events, populations and standard_populations must have one value per age band; "
            f"got {len(events)}, {len(populations)} and {len(standard)}"
        )
    if len(events) == 0:
        raise ValueError("at least one age band is needed")
    for i, (o, n, w) in enumerate(zip(events, populations, standard, strict=True)):
        if not (math.isfinite(o) and o >= 0):
            raise ValueError(f"band {i}: events must be non-negative, got {o!r}")
        if not (math.isfinite(n) and n > 0):
            raise ValueError(f"band {i}: population must be positive, got {n!r}")
        if not (math.isfinite(w) and w >= 0):
            raise ValueError(f"band {i}: standard population must be non-negative, got {w!r}")
    if sum(standard) <= 0:
        raise ValueError("the standard populations must not all be zero")
    return [
        (float(o), float(n), float(w))
        for o, n, w in zip(events, populations, standard, strict=True)
    ]


def dsr(
    events: Sequence[float],
    populations: Sequence[float],
    standard_populations: Sequence[float],
    *,
    multiplier: float = 100_000,
    confidence: float = 0.95,
    around: float | None = None,
) -> DsrResult:
    """Directly standardised rate with Dobson et al. (1991) confidence limits.

    ``around``: the count the interval is built around in place of the exact total (the
    published, rounded count under disclosure control). Dobson's limits are a function of
    the total count alone once scaled, so built on the exact count they give it back
    (published 80/85/80 would show an exact 80/87/78); built on the published count, they
    give back only what is published.

    DSR = Σ wᵢOᵢ/nᵢ / Σwᵢ; its limits are DSR + √(var/O)·(O_lim − O), where (O_L, O_U) is
    the interval for the total count O: exact below 10 events, Byar's from 10, as PHE does.
    With no events the variance per event is taken with the events spread in proportion to
    population (equal rates in every band), so the upper limit is still defined. The lower
    limit is floored at 0, which Dobson's normal step can pass when weights are very uneven.
    """
    if not (math.isfinite(multiplier) and multiplier > 0):
        raise ValueError(f"multiplier must be positive, got {multiplier!r}")
    bands = _bands(events, populations, standard_populations)
    total_w = math.fsum(w for _, _, w in bands)
    total_o = math.fsum(o for o, _, _ in bands)
    total_n = math.fsum(n for _, n, _ in bands)
    rate = math.fsum(w * o / n for o, n, w in bands) / total_w
    if total_o > 0:
        per_event = math.fsum(w * w * o / (n * n) for o, n, w in bands) / total_w**2 / total_o
    else:
        per_event = math.fsum(w * w / (n * total_n) for _, n, w in bands) / total_w**2
    o = total_o if around is None else float(around)
    if around is not None and o > 0 and total_o > 0:
        per_event = per_event * total_o / o  # var(DSR) / O with the published O
    o_lower, o_upper = _count_ci(o, confidence)
    spread = math.sqrt(per_event)
    lower = max(0.0, rate + spread * (o_lower - o))
    upper = rate + spread * (o_upper - o)
    m = multiplier
    return DsrResult(rate * m, lower * m, upper * m, total_o, total_n, m, confidence)


def _as_positive_array(values: npt.ArrayLike, name: str) -> Floats:
    array = np.asarray(values, dtype=np.float64)
    if not (np.all(np.isfinite(array)) and np.all(array > 0)):
        raise ValueError(f"{name} must all be positive finite numbers")
    return array


def funnel_limits_proportion(
    target: float, denominators: npt.ArrayLike, confidence: float = 0.998
) -> tuple[Floats, Floats]:
    """Funnel plot limits for a proportion (Spiegelhalter 2005), normal approximation.

    p₀ ± z·√(p₀(1 − p₀)/n) for each denominator n, clipped to [0, 1].
    """
    if not 0 <= target <= 1:
        raise ValueError(f"target proportion must be between 0 and 1, got {target!r}")
    n = _as_positive_array(denominators, "denominators")
    half = z_value(confidence) * np.sqrt(target * (1 - target) / n)
    return np.clip(target - half, 0.0, 1.0), np.clip(target + half, 0.0, 1.0)


def funnel_limits_rate(
    target_rate: float,
    populations: npt.ArrayLike,
    confidence: float = 0.998,
    multiplier: float = 1,
) -> tuple[Floats, Floats]:
    """Funnel plot limits for a rate (Spiegelhalter 2005): Byar's interval on E = rate × n.

    ``target_rate`` is per person; the limits are returned per ``multiplier`` people.
    """
    if not (math.isfinite(target_rate) and target_rate >= 0):
        raise ValueError(f"target rate must be non-negative, got {target_rate!r}")
    n = _as_positive_array(populations, "populations")
    lower, upper = _byar(target_rate * n, z_value(confidence))
    return lower / n * multiplier, upper / n * multiplier


def funnel(
    values: npt.ArrayLike,
    denominators: npt.ArrayLike,
    target: float,
    kind: Literal["proportion", "rate"] = "proportion",
) -> tuple[str, ...]:
    """Place each unit on a funnel plot against its 95% and 99.8% limits.

    Values are proportions, or rates per person for ``kind="rate"``. A value exactly on a
    limit counts as within it.
    """
    limits: Callable[[float, npt.ArrayLike, float], tuple[Floats, Floats]]
    if kind == "proportion":
        limits = funnel_limits_proportion
    elif kind == "rate":
        limits = funnel_limits_rate
    else:
        raise ValueError(f'kind must be "proportion" or "rate", got {kind!r}')
    x = np.asarray(values, dtype=np.float64)
    n = np.asarray(denominators, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("funnel values must all be finite numbers")
    if x.shape != n.shape:
        raise ValueError(f"values {x.shape} and denominators {n.shape} must match in shape")
    lo95, hi95 = limits(target, n, 0.95)
    lo998, hi998 = limits(target, n, 0.998)
    conditions = [x > hi998, x > hi95, x < lo998, x < lo95]
    names = ["above 99.8%", "above 95%", "below 99.8%", "below 95%"]
    return tuple(str(s) for s in np.select(conditions, names, default="within").ravel())
