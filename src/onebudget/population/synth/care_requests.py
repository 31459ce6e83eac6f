"""Requests for support from new clients, and the three ways a request goes.

A new client is an adult not in long-term support and not already in the middle of a
request or reablement. Some people 65+ ask on the day of an emergency discharge; the rest
ask from the community, at the published rate for each age once the requests that brought
care-home admissions are allowed for. A request leads to reablement (ST-Max), to a
long-term assessment and community support, or to no services (information and advice, a
referral, or nothing offered), at shares that meet the published counts of reablement
episodes and of people in long-term support during the year.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import england_population
from onebudget.population.synth.care_settings import start_community
from onebudget.population.synth.care_state import COMMUNITY, DAY, NONE, YEAR_DAYS, Month, Sim
from onebudget.population.synth.cells import AGES
from onebudget.population.synth.cld_values import (
    ASSESSMENT,
    EVENT,
    NO_SERVICE_AFTER_REQUEST,
    OUTCOME,
    ROUTE,
)
from onebudget.population.synth.events import draw_among, pick
from onebudget.population.synth.hospital import emergency_rates
from onebudget.population.synth.people import relative_risk
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.reablement import Reablement
from onebudget.population.synth.social_care_model import CARE_HOME_65_SHAPE, REQUESTS_65_SHAPE
from onebudget.population.synth.spells import DIED, Spells

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
COMMUNITY_ROUTES = {
    "Community or other route": 0.92,
    "Diversion from hospital services": 0.05,
    "Self-funder with depleted funds": 0.03,
}
TO_ASSESSMENT = OUTCOME["Progress to assessment, review or reassessment"]
PLANNING = OUTCOME["Progress to support planning or services"]
ASSESSED_WITH_NO_SERVICE = 0.3  # of requests that lead to no services


def emergency_discharges_65_plus(rates: NationalRates) -> float:
    """Emergency discharges a year per person aged 65+, nationally."""
    people = england_population().sum(axis=1)
    return float((people * emergency_rates(rates))[65:].sum() / people[65:].sum())


def _from_home(sim: Sim, group: Bools, weight: Floats, alive: Bools) -> float:
    """Of the care-home admissions to be drawn in ``group``, the share expected to fall on
    people not in long-term support, from everyone's chances at the start."""
    eligible = alive & group & (sim.state.setting <= COMMUNITY)
    pool = float(weight[eligible].sum())
    return float(weight[eligible & (sim.state.setting == NONE)].sum()) / pool if pool else 1.0


def _exposure(sim: Sim, group: Bools, alive: Bools) -> float:
    """Years lived in the window's first year by the group's people alive at its start,
    per person."""
    end = np.datetime64(f"{sim.window.first_year + 1}-01-01", "D")
    dod = sim.people.dod[alive & group]
    lived = np.where(np.isnat(dod), end, np.minimum(dod, end)) - sim.window.start
    return float(lived.astype(np.int64).mean() / YEAR_DAYS) if len(dod) else 1.0


def _per_discharge(sim: Sim, emergency: Spells) -> float:
    """The chance a discharge of someone 65+ (alive) is followed by a request, for the
    published share of requests: the national discharges per person, less the share of the
    place's older people's stays that end in death."""
    older = sim.people.ages_on(emergency.person, emergency.admidate) >= 65
    alive = float((emergency.disdest[older] != DIED).mean()) if older.any() else 1.0
    per_person = sim.care.hospital_route * sim.care.older.requests
    return per_person / (emergency_discharges_65_plus(sim.rates) * max(alive, 0.5))


class Shares:
    """For people 65+ (True) and 18-64: the shares of drawn requests that lead to ST-Max and
    to long-term support, worked out for the place's own people (see
    ``AgeGroup.request_outcomes``). Episodes cut short by death or a hospital admission are
    followed by nothing, so the share of episodes followed by support is updated as the
    simulation learns how many are."""

    def __init__(self, sim: Sim) -> None:
        people, start = sim.people, sim.window.start
        ages = people.age_at(start)
        risk = relative_risk(people, ages, sim.rates.risk("care_home_admission"), sim.model)
        weight = sim.care.by_age("care_home_direct", CARE_HOME_65_SHAPE)[ages] * risk
        alive = (people.dob < start) & (np.isnat(people.dod) | (people.dod > start))
        self.sim, self.groups = sim, {}
        for older, group in ((True, ages >= 65), (False, (ages >= 18) & (ages < 65))):
            self.groups[older] = (
                _from_home(sim, group, weight, alive),
                _exposure(sim, group, alive),
            )

    def __call__(self, older: bool, completed: float) -> tuple[float, float]:
        """The shares, when ``completed`` of episodes run their course."""
        care = self.sim.care
        to_care_home = care.hospital_route * care.to_care_home_after_hospital if older else 0
        to_service = (care.followed_by_service - to_care_home) * completed
        from_home, exposure = self.groups[older]
        return care.group(older).request_outcomes(from_home, to_service, exposure)


class Requests:
    """Each month's requests from new clients and the paths they take."""

    def __init__(self, sim: Sim, emergency: Spells) -> None:
        self.sim, self.shares = sim, Shares(sim)
        base = sim.care.by_age("requests", REQUESTS_65_SHAPE)
        self.base = np.where(AGES >= 65, base * (1 - sim.care.hospital_route), base)
        alive = (emergency.disdest != DIED) & (emergency.disdate < sim.window.end)
        self.discharged = (emergency.person[alive], emergency.disdate[alive])
        self.per_discharge = _per_discharge(sim, emergency)
        self.reablement = Reablement(sim, emergency)

    def month(self, month: Month, given: Floats) -> None:
        who, day = self._from_hospital(month)
        self._record(month, who, day, np.full(len(who), ROUTE["Discharge from hospital"]), True)
        who, day = self._from_community(month, given)
        self._record(month, who, day, self._routes(who, day), False)

    def _from_hospital(self, month: Month) -> tuple[Ints, Dates]:
        """Requests on the day of an emergency discharge of someone 65+ (at the start of the
        year, as the published rates go by age), at the published share of requests, among
        those who are new clients on that day."""
        person, day = self.discharged
        now = (day >= month.start) & (day < month.end)
        now[now] &= month.ages[person[now]] >= 65
        person, day = person[now], day[now]
        s = self.sim.state
        eligible = (s.setting[person] == NONE) & (s.busy_until[person] <= day)
        raise_by = len(person) / max(int(eligible.sum()), 1)
        chance = min(self.per_discharge * raise_by, 1.0)
        chosen = eligible & (self.sim.rng.random(len(person)) < chance)
        _, first = np.unique(person[chosen], return_index=True)
        return person[chosen][first], day[chosen][first]

    def _from_community(self, month: Month, given: Floats) -> tuple[Ints, Dates]:
        s = self.sim.state
        eligible = (
            (month.days > 0)
            & (month.ages >= 18)
            & (s.setting == NONE)
            & (s.busy_until <= month.start)
        )
        expected = self.sim.expected(month, self.base, "social_care_request")
        hit = draw_among(self.sim.rng, expected, eligible, month.ages, given)
        who = np.flatnonzero(hit)
        return who, month.day_in(who, self.sim.rng)

    def _routes(self, who: Ints, day: Dates) -> Ints:
        """How requests from the community arrive: some 18 and 19 year olds by planned entry
        from children's services."""
        routes = ROUTE.codes(pick(self.sim.rng, len(who), COMMUNITY_ROUTES))
        young = (self.sim.people.ages_on(who, day) < 20) & (self.sim.rng.random(len(who)) < 0.5)
        return np.where(young, ROUTE["Planned entry (transition)"], routes)

    def _record(self, month: Month, who: Ints, day: Dates, route: Ints, hospital: bool) -> None:
        older = month.ages[who] >= 65
        completed = self.reablement.tally.completed()
        (short_older, long_older), (short_young, long_young) = (
            self.shares(True, completed),
            self.shares(False, completed),
        )
        short = np.where(older, short_older, short_young)
        long = np.where(older, long_older, long_young)
        u = self.sim.rng.random(len(who))
        st, lt = u < short, (u >= short) & (u < short + long)
        nfa = ~st & ~lt
        no_services(self.sim, who[nfa], day[nfa], route[nfa])
        long_term(self.sim, who[lt], day[lt], route[lt])
        self.reablement.episodes(who[st], day[st], route[st], (older & hospital)[st])


def _assessments(sim: Sim, who: Ints, day: Dates, outcome: int | Ints) -> tuple[Bools, Dates]:
    """Long-term assessments 1 to 14 days after a request, of those alive then; which were
    made, and each one's end (the request day where none was)."""
    began = day + sim.rng.integers(1, 15, len(who)).astype("m8[D]")
    ended = began + sim.rng.integers(0, 15, len(who)).astype("m8[D]")
    made = sim.alive_on(who, began) & (began < sim.window.end)
    outcome = np.broadcast_to(np.asarray(outcome), who.shape)
    sim.store.add(
        who[made],
        began[made],
        ended[made],
        event=EVENT["Assessment"],
        assessment=ASSESSMENT["Long term assessment"],
        outcome=outcome[made],
    )
    return made, np.where(made, ended, day)


def no_services(sim: Sim, who: Ints, day: Dates, route: Ints) -> None:
    """Requests that end without services, some after an assessment."""
    outcome = OUTCOME.codes(pick(sim.rng, len(who), NO_SERVICE_AFTER_REQUEST))
    assessed = sim.rng.random(len(who)) < ASSESSED_WITH_NO_SERVICE
    asked = np.where(assessed, TO_ASSESSMENT, outcome)
    sim.store.add(who, day, day, event=EVENT["Request"], route=route, outcome=asked)
    _, ended = _assessments(sim, who[assessed], day[assessed], outcome[assessed])
    sim.state.wait(who, day + DAY)
    sim.state.wait(who[assessed], ended + DAY)


def long_term(sim: Sim, who: Ints, day: Dates, route: Ints) -> None:
    """Requests assessed for long-term support, which starts (in the community) 1 to 14
    days after the assessment; half with a financial assessment between."""
    sim.store.add(who, day, day, event=EVENT["Request"], route=route, outcome=TO_ASSESSMENT)
    made, ended = _assessments(sim, who, day, PLANNING)
    financial = made & sim.alive_on(who, ended) & (sim.rng.random(len(who)) < 0.5)
    sim.store.add(
        who[financial],
        ended[financial],
        ended[financial] + sim.rng.integers(0, 8, int(financial.sum())).astype("m8[D]"),
        event=EVENT["Assessment"],
        assessment=ASSESSMENT["Financial assessment"],
        outcome=PLANNING,
    )
    start = ended + sim.rng.integers(1, 15, len(who)).astype("m8[D]")
    go = made & sim.alive_after(who, start) & (start < sim.window.end)
    sim.state.wait(who, ended + DAY)
    start_community(sim, who[go], start[go])
