"""Adult social care parameters derived from the published national figures.

Each rate here is worked out from ``national.yaml`` so that, for a national-shaped
population, requests, reablement (ST-Max) episodes, people in long-term support during the
year, new permanent care-home admissions, the share of ST-Max episodes with no further
request, the 91-day reablement outcome and the self-directed support and direct payment
shares all meet their published values. Two shares depend on who the place's people are
and are settled when the simulation starts: see ``AgeGroup.request_outcomes``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import england_population
from onebudget.population.synth.cells import AGES, band_rates
from onebudget.population.synth.cld_values import DECLINED, NO_FURTHER_AFTER_ST_MAX
from onebudget.population.synth.rates import NationalRates

Floats = npt.NDArray[np.float64]
REQUESTS_65_SHAPE = {65: 0.5, 75: 1.0, 85: 2.2, 90: 3.0}
CARE_HOME_65_SHAPE = {65: 0.3, 75: 1.0, 85: 3.0, 90: 4.5}
SUPPORT_65_SHAPE = {65: 0.4, 75: 1.0, 85: 2.5, 90: 4.0}


@dataclass(frozen=True)
class AgeGroup:
    """Per-person annual rates and shares for one age group (65+ or 18-64)."""

    requests: float  # requests for support from new clients
    episodes: float  # ST-Max episodes
    in_support_at_start: float
    in_year: float  # people in long-term support at some time in the year
    care_home: float  # new permanent care-home admissions
    after_reablement: float  # of which straight after reablement that followed hospital
    nursing_share: float  # of care-home admissions
    direct_payment: float  # share of community clients paid by direct payment
    personal_budget: float  # share with a CASSR managed personal budget
    package_end: float  # yearly chance a community package ends with needs met or moved

    @property
    def care_home_direct(self) -> float:
        """Admissions not straight after reablement: drawn from the community."""
        return max(self.care_home - self.after_reablement, 0.0)

    def request_outcomes(
        self, from_home: float, to_service: float, exposure: float
    ) -> tuple[float, float]:
        """Shares of the drawn requests that lead to ST-Max and straight to long-term
        support. ``from_home`` is the share of care-home admissions drawn for people not in
        long-term support (each comes with its own request, so fewer are drawn);
        ``to_service`` the share of ST-Max episodes followed by community support; and
        ``exposure`` the years a person at the start of a year lives in it, on average (the
        people in support during the year are counted per person, the rest per year)."""
        with_home = from_home * self.care_home_direct
        drawn = max(self.requests - with_home, 1e-12)
        short = min(self.episodes / drawn, 1.0)
        new = (self.in_year - self.in_support_at_start) / exposure
        new -= self.after_reablement + with_home + self.episodes * to_service
        return short, float(np.clip(new / drawn, 0.0, 1.0 - short))


@dataclass(frozen=True)
class SocialCareModel:
    older: AgeGroup
    working_age: AgeGroup
    hospital_route: float  # share of requests from people 65+ that follow a discharge
    no_further_request: float
    followed_by_service: float  # share of ST-Max episodes followed by long-term support
    at_home_91: float
    to_care_home_after_hospital: float  # of people 65+ reabled after hospital, alive
    package_change: float  # yearly chance a community package changes
    residential_to_nursing: float  # yearly chance a resident 65+ moves to nursing care
    carers_per_client: float
    carer_direct_payment: float
    carer_personal_budget: float

    def by_age(self, field: str, older_shape: dict[int, float]) -> Floats:
        """A per-age rate: the 65+ value spread by ``older_shape``, 18-64 flat, 0 below 18."""
        older = band_rates(older_shape, getattr(self.older, field), min_age=65)
        working = np.where((AGES >= 18) & (AGES < 65), getattr(self.working_age, field), 0.0)
        return np.asarray(older + working, dtype=np.float64)

    def group(self, older: bool) -> AgeGroup:
        return self.older if older else self.working_age


def _people(low: int, high: int) -> float:
    return float(england_population().sum(axis=1)[low : high + 1].sum())


def followed_by_service(no_further: float) -> float:
    """Share of ST-Max episodes (of people alive and not admitted to hospital) that go on to
    long-term support, so that ASCOF's share with no further request is ``no_further``:
    episodes ending in a declined offer count in neither part of that share."""
    counted = 1 - NO_FURTHER_AFTER_ST_MAX[DECLINED]
    return counted * (1 - no_further) / (no_further + counted * (1 - no_further))


def _group(rates: NationalRates, older: bool, after_reablement: float) -> AgeGroup:
    def f(name: str) -> float:
        return rates.figure("social_care", name)

    band = "65_plus" if older else "18_64"
    people = _people(65, 100) if older else _people(18, 64)
    share = f("long_term_support_65_plus_share_at_year_end")
    reablement = f("reablement_65_plus_share")
    dp = f(f"direct_payment_share_{band}")
    return AgeGroup(
        requests=f(f"requests_{band}") / people,
        episodes=f("reablement_episodes") * (reablement if older else 1 - reablement) / people,
        in_support_at_start=f("long_term_support_at_year_end")
        * (share if older else 1 - share)
        / people,
        in_year=f(f"long_term_support_in_year_{band}") / people,
        care_home=f(f"permanent_care_home_admissions_{band}_per_100000") / 1e5,
        after_reablement=after_reablement,
        nursing_share=f(f"nursing_share_of_care_home_admissions_{band}"),
        direct_payment=dp,
        personal_budget=f("self_directed_support_share") - dp,
        package_end=f(f"community_package_end_per_year_{band}"),
    )


def social_care_model(rates: NationalRates) -> SocialCareModel:
    def f(name: str) -> float:
        return rates.figure("social_care", name)

    at_home, natural = f("reablement_at_home_91_days_share"), f("reablement_natural_failure_share")
    to_care_home = max(0.0, (1 - at_home - natural) / (1 - natural))
    hospital = f("request_after_hospital_share")
    older_episodes = f("reablement_episodes") * f("reablement_65_plus_share") / _people(65, 100)
    after = older_episodes * hospital * (1 - natural) * to_care_home
    carer_dp = f("carers_direct_payment_share")
    return SocialCareModel(
        older=_group(rates, True, after),
        working_age=_group(rates, False, 0.0),
        hospital_route=hospital,
        no_further_request=f("short_term_no_further_request_share"),
        followed_by_service=followed_by_service(f("short_term_no_further_request_share")),
        at_home_91=at_home,
        to_care_home_after_hospital=to_care_home,
        package_change=f("community_package_change_per_year"),
        residential_to_nursing=f("residential_to_nursing_per_year_65_plus"),
        carers_per_client=f("unpaid_carers_per_community_client"),
        carer_direct_payment=carer_dp,
        carer_personal_budget=f("carers_self_directed_support_share") - carer_dp,
    )
