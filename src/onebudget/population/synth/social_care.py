"""Adult social care in Client Level Data (CLD) fields: requests, assessments and services.

People already in long-term support at the start of the window carry a service that began
before it. New requests arrive at the published rates (some straight after a hospital
discharge), and end in reablement (ST-Max), long-term support, or information and advice.
Reablement after hospital is followed for 91 days: the published share are still at home;
the rest die or move permanently into a care home.
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
    SocialCareModel,
    social_care_model,
)
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
DAY = np.timedelta64(1, "D")


def _ages(people: People, who: Ints, when: npt.NDArray[np.datetime64]) -> Ints:
    return np.asarray((when - people.dob[who]).astype(np.int64) * 4 // 1461, dtype=np.int64)


def _in_support_at_start(
    people: People,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    care: SocialCareModel,
    cld: CldBuilder,
    rng: np.random.Generator,
) -> None:
    ages = people.age_at(window.start)
    base = care.by_age("in_support_at_start", SUPPORT_65_SHAPE)
    chance = base[ages] * relative_risk(people, ages, rates.risk("long_term_support"), model)
    who = np.flatnonzero((people.dob < window.start) & (rng.random(people.count) < chance))
    began = window.start - rng.integers(30, 5 * 365, size=len(who)).astype("m8[D]")
    cld.long_term_services(who, began, ages[who], prevalent=True)


def _requests(
    people: People,
    spells: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    care: SocialCareModel,
    rng: np.random.Generator,
) -> tuple[Draws, npt.NDArray[np.bool_]]:
    """New requests: some on the day of an emergency discharge (people 65+), the rest from
    the community; together at the published rate for each age group."""
    base = care.by_age("requests", REQUESTS_65_SHAPE)
    base = np.where(AGES >= 65, base * (1 - care.hospital_route), base)
    community = draw_events(
        people, window, base, rates.risk("social_care_request"), rates, model, rng
    )
    discharged = (spells.disdest != "79") & (spells.disdate < window.end)
    older = discharged & (_ages(people, spells.person, spells.disdate) >= 65)
    chance = care.hospital_route * care.older.requests / emergency_discharges_65_plus(rates)
    chosen = older & (rng.random(len(older)) < chance)
    person = np.concatenate([community.person, spells.person[chosen]])
    date = np.concatenate([community.date, spells.disdate[chosen]])
    from_hospital = np.concatenate([np.zeros(len(community), bool), np.ones(chosen.sum(), bool)])
    return Draws(person, date), from_hospital


def emergency_discharges_65_plus(rates: NationalRates) -> float:
    """Emergency discharges a year per person aged 65+, nationally."""
    people = england_population().sum(axis=1)
    return float((people * emergency_rates(rates))[65:].sum() / people[65:].sum())


def _outcomes(
    people: People, requests: Draws, care: SocialCareModel, rng: np.random.Generator
) -> npt.NDArray[np.str_]:
    older = _ages(people, requests.person, requests.date) >= 65
    st = np.where(older, care.older.short_term, care.working_age.short_term)
    lt = np.where(older, care.older.long_term, care.working_age.long_term)
    u = rng.random(len(requests))
    info = np.where(
        rng.random(len(requests)) < 0.6,
        "Universal Services/Signposted",
        "No Services Provided - No identified needs",
    )
    return np.where(
        u < st, "Short Term Support (ST-Max)", np.where(u < st + lt, "Long Term Support", info)
    )


def _reablement(
    people: People,
    requests: Draws,
    from_hospital: npt.NDArray[np.bool_],
    outcomes: npt.NDArray[np.str_],
    window: Window,
    care: SocialCareModel,
    cld: CldBuilder,
    rng: np.random.Generator,
) -> None:
    chosen = outcomes == "Short Term Support (ST-Max)"
    who, asked = requests.person[chosen], requests.date[chosen]
    start = asked + rng.integers(0, 8, size=len(who)).astype("m8[D]")
    end = start + rng.integers(7, 43, size=len(who)).astype("m8[D]")
    dod = people.dod[who]
    end = np.where(~np.isnat(dod) & (dod < end), dod, end)
    no_further = rng.random(len(who)) < care.no_further_request
    to_lts = ~no_further & (rng.random(len(who)) < ST_MAX_TO_LONG_TERM)
    result = np.where(
        no_further,
        "No Further Request Made/No Services Provided",
        np.where(to_lts, "Long Term Support", "Further Request/Other"),
    )
    cld.reablement(who, start, end, result)
    lts_start = end + DAY
    ok = to_lts & (lts_start < window.end) & (np.isnat(dod) | (lts_start < dod))
    cld.long_term_services(who[ok], lts_start[ok], _ages(people, who[ok], lts_start[ok]))
    older = _ages(people, who, asked) >= 65
    _failed_reablement(people, who, asked, from_hospital[chosen] & older, window, care, cld, rng)


def _failed_reablement(
    people: People,
    who: Ints,
    discharged: npt.NDArray[np.datetime64],
    followed: npt.NDArray[np.bool_],
    window: Window,
    care: SocialCareModel,
    cld: CldBuilder,
    rng: np.random.Generator,
) -> None:
    """Of those followed for 91 days, move enough into care homes that the share still at
    home is the published one, after those who die in the 91 days anyway."""
    dod = people.dod[who]
    died = ~np.isnat(dod) & ((dod - discharged).astype(np.int64) <= 91)
    natural = float(died[followed].mean()) if followed.any() else 0.0
    extra = max(0.0, (1 - care.at_home_91 - natural) / max(1 - natural, 1e-9))
    moves = followed & ~died & (rng.random(len(who)) < extra)
    when = discharged + rng.integers(30, 91, size=len(who)).astype("m8[D]")
    ok = moves & (when < window.end)
    cld.care_home_admissions(who[ok], when[ok], _ages(people, who[ok], when[ok]), rng)


def _direct_care_home(
    people: People,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    care: SocialCareModel,
    cld: CldBuilder,
    rng: np.random.Generator,
) -> None:
    base = care.by_age("care_home_direct", CARE_HOME_65_SHAPE)
    d = draw_events(people, window, base, rates.risk("care_home_admission"), rates, model, rng)
    cld.care_home_admissions(d.person, d.date, _ages(people, d.person, d.date), rng)


def _new_long_term(
    people: People,
    requests: Draws,
    outcomes: npt.NDArray[np.str_],
    window: Window,
    cld: CldBuilder,
    rng: np.random.Generator,
) -> None:
    chosen = outcomes == "Long Term Support"
    who = requests.person[chosen]
    start = requests.date[chosen] + rng.integers(7, 31, size=len(who)).astype("m8[D]")
    dod = people.dod[who]
    ok = (start < window.end) & (np.isnat(dod) | (start < dod))
    cld.long_term_services(who[ok], start[ok], _ages(people, who[ok], start[ok]))


def social_care(
    people: People,
    spells: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    la_code: str,
    rng: np.random.Generator,
) -> CldBuilder:
    care = social_care_model(rates)
    cld = CldBuilder(people, window, rates, care, la_code, rng)
    _in_support_at_start(people, window, rates, model, care, cld, rng)
    requests, from_hospital = _requests(people, spells, window, rates, model, care, rng)
    outcomes = _outcomes(people, requests, care, rng)
    cld.requests(requests, from_hospital, outcomes)
    cld.assessments(requests, outcomes)
    _reablement(people, requests, from_hospital, outcomes, window, care, cld, rng)
    _new_long_term(people, requests, outcomes, window, cld, rng)
    _direct_care_home(people, window, rates, model, care, cld, rng)
    return cld
