"""Adult social care in Client Level Data (CLD) fields: requests, assessments and services.

People already in long-term support at the start of the window carry a service that began
before it. New requests arrive at the published rates (some straight after a hospital
discharge), and end in reablement (ST-Max), long-term support, or information and advice.
Reablement after hospital is followed for 91 days: the published share are still at home;
the rest die or move permanently into a care home.

Every step reads the people, window, rates and random stream from the ``CldBuilder`` it
writes to, so the steps share one context and one order of random draws.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import england_population
from onebudget.population.synth.cells import AGES, CellModel
from onebudget.population.synth.cld import CldBuilder
from onebudget.population.synth.events import Draws, draw_events
from onebudget.population.synth.hospital import Spells, emergency_rates
from onebudget.population.synth.people import People, relative_risk
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.social_care_model import (
    CARE_HOME_65_SHAPE,
    REQUESTS_65_SHAPE,
    ST_MAX_TO_LONG_TERM,
    SUPPORT_65_SHAPE,
    social_care_model,
)
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
Strs = npt.NDArray[np.str_]
DAY = np.timedelta64(1, "D")
ST_MAX = "Short Term Support (ST-Max)"
LONG_TERM = "Long Term Support"


def _draw(cld: CldBuilder, base: npt.NDArray[np.float64], outcome: str) -> Draws:
    risk = cld.rates.risk(outcome)
    return draw_events(cld.people, cld.window, base, risk, cld.rates, cld.model, cld.rng)


def _in_support_at_start(cld: CldBuilder) -> None:
    people, start = cld.people, cld.window.start
    ages = people.age_at(start)
    base = cld.care.by_age("in_support_at_start", SUPPORT_65_SHAPE)
    risk = cld.rates.risk("long_term_support")
    chance = base[ages] * relative_risk(people, ages, risk, cld.model)
    who = np.flatnonzero((people.dob < start) & (cld.rng.random(people.count) < chance))
    began = start - cld.rng.integers(30, 5 * 365, size=len(who)).astype("m8[D]")
    cld.long_term_services(who, began, ages[who], prevalent=True)


def _requests(cld: CldBuilder, spells: Spells) -> tuple[Draws, Bools]:
    """New requests: some on the day of an emergency discharge (people 65+), the rest from
    the community; together at the published rate for each age group."""
    care = cld.care
    base = care.by_age("requests", REQUESTS_65_SHAPE)
    community = _draw(
        cld, np.where(AGES >= 65, base * (1 - care.hospital_route), base), "social_care_request"
    )
    discharged = (spells.disdest != "79") & (spells.disdate < cld.window.end)
    older = discharged & (cld.people.ages_on(spells.person, spells.disdate) >= 65)
    chance = care.hospital_route * care.older.requests / emergency_discharges_65_plus(cld.rates)
    chosen = older & (cld.rng.random(len(older)) < chance)
    person = np.concatenate([community.person, spells.person[chosen]])
    date = np.concatenate([community.date, spells.disdate[chosen]])
    from_hospital = np.concatenate([np.zeros(len(community), bool), np.ones(chosen.sum(), bool)])
    return Draws(person, date), from_hospital


def emergency_discharges_65_plus(rates: NationalRates) -> float:
    """Emergency discharges a year per person aged 65+, nationally."""
    people = england_population().sum(axis=1)
    return float((people * emergency_rates(rates))[65:].sum() / people[65:].sum())


def _outcomes(cld: CldBuilder, requests: Draws) -> Strs:
    care, n = cld.care, len(requests)
    older = cld.people.ages_on(requests.person, requests.date) >= 65
    st = np.where(older, care.older.short_term, care.working_age.short_term)
    lt = np.where(older, care.older.long_term, care.working_age.long_term)
    u = cld.rng.random(n)
    info = np.where(
        cld.rng.random(n) < 0.6,
        "Universal Services/Signposted",
        "No Services Provided - No identified needs",
    )
    return np.where(u < st, ST_MAX, np.where(u < st + lt, LONG_TERM, info))


def _alive_on(people: People, who: Ints, day: Dates) -> Bools:
    dod = people.dod[who]
    return np.asarray(np.isnat(dod) | (day < dod))


def _reablement(cld: CldBuilder, requests: Draws, from_hospital: Bools, outcomes: Strs) -> None:
    rng, people = cld.rng, cld.people
    chosen = outcomes == ST_MAX
    who, asked = requests.person[chosen], requests.date[chosen]
    start = asked + rng.integers(0, 8, size=len(who)).astype("m8[D]")
    end = start + rng.integers(7, 43, size=len(who)).astype("m8[D]")
    dod = people.dod[who]
    end = np.where(~np.isnat(dod) & (dod < end), dod, end)
    no_further = rng.random(len(who)) < cld.care.no_further_request
    to_lts = ~no_further & (rng.random(len(who)) < ST_MAX_TO_LONG_TERM)
    result = np.where(
        no_further,
        "No Further Request Made/No Services Provided",
        np.where(to_lts, LONG_TERM, "Further Request/Other"),
    )
    cld.reablement(who, start, end, result)
    lts_start = end + DAY
    ok = to_lts & (lts_start < cld.window.end) & _alive_on(people, who, lts_start)
    cld.long_term_services(who[ok], lts_start[ok], people.ages_on(who[ok], lts_start[ok]))
    older = people.ages_on(who, asked) >= 65
    _failed_reablement(cld, who, asked, from_hospital[chosen] & older)


def _failed_reablement(cld: CldBuilder, who: Ints, discharged: Dates, followed: Bools) -> None:
    """Of those followed for 91 days, move enough into care homes that the share still at
    home is the published one, after those who die in the 91 days anyway."""
    dod = cld.people.dod[who]
    died = ~np.isnat(dod) & ((dod - discharged).astype(np.int64) <= 91)
    natural = float(died[followed].mean()) if followed.any() else 0.0
    extra = max(0.0, (1 - cld.care.at_home_91 - natural) / max(1 - natural, 1e-9))
    moves = followed & ~died & (cld.rng.random(len(who)) < extra)
    when = discharged + cld.rng.integers(30, 91, size=len(who)).astype("m8[D]")
    ok = moves & (when < cld.window.end)
    cld.care_home_admissions(who[ok], when[ok])


def _direct_care_home(cld: CldBuilder) -> None:
    d = _draw(cld, cld.care.by_age("care_home_direct", CARE_HOME_65_SHAPE), "care_home_admission")
    cld.care_home_admissions(d.person, d.date)


def _new_long_term(cld: CldBuilder, requests: Draws, outcomes: Strs) -> None:
    chosen = outcomes == LONG_TERM
    who = requests.person[chosen]
    start = requests.date[chosen] + cld.rng.integers(7, 31, size=len(who)).astype("m8[D]")
    ok = (start < cld.window.end) & _alive_on(cld.people, who, start)
    cld.long_term_services(who[ok], start[ok], cld.people.ages_on(who[ok], start[ok]))


def social_care(
    people: People,
    spells: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    rng: np.random.Generator,
) -> CldBuilder:
    cld = CldBuilder(people, window, rates, model, social_care_model(rates), rng)
    _in_support_at_start(cld)
    requests, from_hospital = _requests(cld, spells)
    outcomes = _outcomes(cld, requests)
    cld.requests(requests, from_hospital, outcomes)
    cld.assessments(requests, outcomes)
    _reablement(cld, requests, from_hospital, outcomes)
    _new_long_term(cld, requests, outcomes)
    _direct_care_home(cld)
    return cld
