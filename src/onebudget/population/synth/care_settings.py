"""Long-term support that starts, changes and ends: community packages and care homes.

A community package runs until the person dies, moves into a care home (it ends the day
before the admission), no longer needs it (needs met, moved away, self-funding, NHS
continuing care), or is replaced after a review by another package the next day, with a
different component or delivery mechanism. A care-home placement runs until death, or until
a move from residential to nursing care, which ends the first the day before the second.
Delivery mechanisms are drawn afresh for every package at the published shares, so the
snapshot at 31 March has ASCOF 3D's direct payment and self-directed support shares.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.care_people import CARE_HOME_AT_START, community_kinds
from onebudget.population.synth.care_state import (
    COMMUNITY,
    DAY,
    NURSING,
    RESIDENTIAL,
    YEAR_DAYS,
    Month,
    Sim,
)
from onebudget.population.synth.cld import KIND, add_services
from onebudget.population.synth.cld_values import (
    EVENT,
    LONG_TERM_SUPPORT_ENDED,
    MECHANISM,
    OUTCOME,
)
from onebudget.population.synth.events import capped, pick
from onebudget.population.synth.people import relative_risk
from onebudget.population.synth.social_care_model import SUPPORT_65_SHAPE

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
CONTINUES = OUTCOME["Continuation of support or services"]
COMMISSIONED = MECHANISM["CASSR commissioned support"]


def mechanisms(sim: Sim, who: Ints, older: Bools) -> Ints:
    """Direct payment, managed personal budget or commissioned support, at the published
    shares of the person's age group."""
    u = sim.rng.random(len(who))
    dp = np.where(older, sim.care.older.direct_payment, sim.care.working_age.direct_payment)
    pb = np.where(older, sim.care.older.personal_budget, sim.care.working_age.personal_budget)
    return np.where(
        u < dp,
        MECHANISM["Direct payment"],
        np.where(u < dp + pb, MECHANISM["CASSR managed personal budget"], COMMISSIONED),
    )


def start_community(sim: Sim, who: Ints, start: Dates) -> Ints:
    """New community packages from ``start``; the people are in community support. The
    delivery mechanism follows the age group the person is in while the window is open."""
    mechanism = mechanisms(sim, who, sim.older(who, np.maximum(start, sim.window.start)))
    direct = mechanism == MECHANISM["Direct payment"]
    kind = community_kinds(sim.rng, sim.who.group[who], sim.who.home[who], direct)
    rows = add_services(sim.store, sim.rates, sim.rng, who, start, kind, mechanism=mechanism)
    sim.state.enter(who, COMMUNITY, rows, start)
    return rows


def place(sim: Sim, who: Ints, start: Dates, nursing: Bools) -> Ints:
    """New care-home placements from ``start``, arranged by the council."""
    kind = np.where(nursing, KIND["nursing"], KIND["residential"])
    rows = add_services(sim.store, sim.rates, sim.rng, who, start, kind, mechanism=COMMISSIONED)
    sim.state.enter(who, np.where(nursing, NURSING, RESIDENTIAL), rows, start)
    return rows


def admit(sim: Sim, who: Ints, day: Dates) -> Ints:
    """Permanent admissions on ``day``: any community package ends the day before."""
    older = sim.older(who, day)
    share = np.where(older, sim.care.older.nursing_share, sim.care.working_age.nursing_share)
    in_community = sim.state.setting[who] == COMMUNITY
    rows = sim.state.service[who[in_community]]
    end_services(sim, rows, day[in_community] - DAY, CONTINUES)
    return place(sim, who, day, sim.rng.random(len(who)) < share)


def end_services(sim: Sim, rows: Ints, day: Dates, outcome: int | Ints) -> None:
    sim.store.set("end", rows, day)
    sim.store.set("outcome", rows, outcome)


def review(sim: Sim, who: Ints, day: Dates, outcome: int | Ints) -> None:
    sim.store.add(who, day, day, event=EVENT["Review"], outcome=outcome)


def in_support_at_start(sim: Sim) -> None:
    """People already in long-term support when the window opens, in a care home or in the
    community by their group, with support that began up to five years before (not before
    they were 18)."""
    people, start = sim.people, sim.window.start
    ages = people.age_at(start)
    base = sim.care.by_age("in_support_at_start", SUPPORT_65_SHAPE)
    risk = sim.rates.risk("long_term_support")
    alive = (people.dob < start) & (np.isnat(people.dod) | (people.dod > start))
    chance = capped(alive * base[ages] * relative_risk(people, ages, risk, sim.model), ages)
    who = np.flatnonzero(alive & (sim.rng.random(people.count) < chance))
    began = start - sim.rng.integers(30, 5 * 365, size=len(who)).astype("m8[D]")
    adult = people.dob[who] + np.timedelta64(6575, "D")  # adult social care begins at 18
    began = np.minimum(np.maximum(began, adult), start - DAY)
    residential, nursing = CARE_HOME_AT_START[sim.who.group[who]].T
    u = sim.rng.random(len(who))
    home = u < residential + nursing
    place(sim, who[home], began[home], u[home] >= residential[home])
    start_community(sim, who[~home], began[~home])


def _open_packages(sim: Sim, month: Month, setting: int) -> tuple[Ints, Ints]:
    """People in ``setting`` alive in the month, and their service, begun before it."""
    who = np.flatnonzero((sim.state.setting == setting) & (month.days > 0))
    rows = sim.state.service[who]
    begun = sim.store["start"][rows] < month.start
    return who[begun], rows[begun]


def _chance(rate: float | npt.NDArray[np.float64], days: Ints) -> npt.NDArray[np.float64]:
    return np.asarray(1 - np.exp(-np.asarray(rate) * days / YEAR_DAYS), dtype=np.float64)


def package_changes(sim: Sim, month: Month) -> None:
    """Community packages that end or are replaced this month, after a review."""
    who, rows = _open_packages(sim, month, COMMUNITY)
    older = month.ages[who] >= 65
    end = _chance(
        np.where(older, sim.care.older.package_end, sim.care.working_age.package_end),
        month.days[who],
    )
    change = _chance(sim.care.package_change, month.days[who])
    u, day = sim.rng.random(len(who)), month.day_in(who, sim.rng)
    ends, changes = u < end, (u >= end) & (u < end + change)
    outcome = OUTCOME.codes(pick(sim.rng, int(ends.sum()), LONG_TERM_SUPPORT_ENDED))
    review(sim, who[ends], day[ends], outcome)
    end_services(sim, rows[ends], day[ends], outcome)
    sim.state.leave(who[ends])
    sim.state.wait(who[ends], day[ends] + 30 * DAY)
    _replace(sim, who[changes], rows[changes], day[changes])


def _replace(sim: Sim, who: Ints, rows: Ints, day: Dates) -> None:
    """A new package from the day after ``day`` where it differs from the old one."""
    start = day + DAY
    mechanism = mechanisms(sim, who, sim.older(who, start))
    direct = mechanism == MECHANISM["Direct payment"]
    old = sim.store["kind"][rows]
    kind = community_kinds(sim.rng, sim.who.group[who], sim.who.home[who], direct, old)
    new = (kind != old) | (mechanism != sim.store["mechanism"][rows])
    ok = new & sim.alive_after(who, start) & (start < sim.window.end)
    review(sim, who[ok], day[ok], OUTCOME["Progress to support planning or services"])
    end_services(sim, rows[ok], day[ok], CONTINUES)
    added = add_services(
        sim.store, sim.rates, sim.rng, who[ok], start[ok], kind[ok], mechanism=mechanism[ok]
    )
    sim.state.enter(who[ok], COMMUNITY, added, start[ok])


def transfers(sim: Sim, month: Month) -> None:
    """Residents 65+ who move from residential to nursing care this month, after a review."""
    who, rows = _open_packages(sim, month, RESIDENTIAL)
    chance = _chance(sim.care.residential_to_nursing, month.days[who])
    moving = (month.ages[who] >= 65) & (sim.rng.random(len(who)) < chance)
    who, rows = who[moving], rows[moving]
    day = month.day_in(who, sim.rng)
    stay = (day - sim.store["start"][rows]).astype(np.int64)
    lead = np.minimum(sim.rng.integers(1, 15, len(who)), stay).astype("m8[D]")
    review(sim, who, day - lead, OUTCOME["Progress to support planning or services"])
    end_services(sim, rows, day - DAY, CONTINUES)
    place(sim, who, day, np.ones(len(who), dtype=np.bool_))
