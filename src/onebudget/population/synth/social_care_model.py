"""Adult social care parameters derived from the published national figures.

Each probability here is worked out from ``national.yaml`` so that, for a national-shaped
population, requests, reablement, long-term support in the year, permanent care-home
admissions and the 91-day reablement outcome all meet their published values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import england_population
from onebudget.population.synth.cells import AGES, band_rates
from onebudget.population.synth.rates import NationalRates

Floats = npt.NDArray[np.float64]
REQUESTS_65_SHAPE = {65: 0.5, 75: 1.0, 85: 2.2, 90: 3.0}
CARE_HOME_65_SHAPE = {65: 0.3, 75: 1.0, 85: 3.0, 90: 4.5}
SUPPORT_65_SHAPE = {65: 0.4, 75: 1.0, 85: 2.5, 90: 4.0}
ST_MAX_TO_LONG_TERM = 0.6  # of ST-Max episodes with a further request, the share into LTS


@dataclass(frozen=True)
class AgeGroup:
    """Per-person annual probabilities for one age group (65+ or 18-64)."""

    requests: float
    short_term: float  # share of requests that lead to reablement (ST-Max)
    long_term: float  # share of requests that lead straight to long-term support
    in_support_at_start: float
    care_home_direct: float  # care-home admissions not following failed reablement


@dataclass(frozen=True)
class SocialCareModel:
    older: AgeGroup
    working_age: AgeGroup
    hospital_route: float
    no_further_request: float
    extra_reablement_failure: float
    at_home_91: float
    dp_share_older: float
    dp_share_working_age: float

    def by_age(self, field: str, older_shape: dict[int, float]) -> Floats:
        """A per-age rate: the 65+ value spread by ``older_shape``, 18-64 flat, 0 below 18."""
        older = band_rates(older_shape, getattr(self.older, field), min_age=65)
        working = np.where((AGES >= 18) & (AGES < 65), getattr(self.working_age, field), 0.0)
        return np.asarray(older + working, dtype=np.float64)


def _people(low: int, high: int) -> float:
    return float(england_population().sum(axis=1)[low : high + 1].sum())


def social_care_model(rates: NationalRates) -> SocialCareModel:
    def f(name: str) -> float:
        return rates.figure("social_care", name)

    older, working = _people(65, 100), _people(18, 64)
    st_older = f("reablement_episodes") * f("reablement_65_plus_share") / f("requests_65_plus")
    st_working = f("reablement_episodes") * (1 - f("reablement_65_plus_share"))
    st_working /= f("requests_18_64")
    at_start = f("long_term_support_at_year_end")
    share_older = f("long_term_support_65_plus_share_at_year_end")
    no_further = f("short_term_no_further_request_share")
    to_lts = (1 - no_further) * ST_MAX_TO_LONG_TERM
    hospital = rates.figure("social_care", "request_after_hospital_share")
    extra = max(
        0.0, 1 - f("reablement_at_home_91_days_share") - f("reablement_natural_failure_share")
    )
    groups = []
    for requests, st, prevalent, in_year, care_home, failed in (
        (
            f("requests_65_plus") / older,
            st_older,
            at_start * share_older / older,
            f("long_term_support_in_year_65_plus") / older,
            f("permanent_care_home_admissions_65_plus_per_100000") / 1e5,
            hospital * extra,
        ),
        (
            f("requests_18_64") / working,
            st_working,
            at_start * (1 - share_older) / working,
            f("long_term_support_in_year_18_64") / working,
            f("permanent_care_home_admissions_18_64_per_100000") / 1e5,
            0.0,
        ),
    ):
        direct_care_home = care_home - requests * st * failed
        new_needed = in_year - prevalent - care_home - requests * st * to_lts
        groups.append(
            AgeGroup(
                requests, st, max(new_needed / requests, 0.0), prevalent, max(direct_care_home, 0.0)
            )
        )
    return SocialCareModel(
        groups[0],
        groups[1],
        hospital,
        no_further,
        extra,
        f("reablement_at_home_91_days_share"),
        f("direct_payment_share_65_plus"),
        f("direct_payment_share_18_64"),
    )
