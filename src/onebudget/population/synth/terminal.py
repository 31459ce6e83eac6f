"""Deaths in hospital: over two in five of England's deaths happen there.

Admissions drawn per person-year rarely happen to span the day a person dies, so without
this almost nobody would die in hospital. A share of the people who die are admitted as an
emergency a few days before and die in that stay (discharge destination 79, method 4): the
published share over England's deaths, higher at younger ages and lower with dementia (most
deaths with dementia are in care homes; who lives in one is decided after the hospital
activity, so dementia stands in for it). A person already in hospital when the admission
would begin, or admitted in the days between, dies in that stay instead: a person is in one
bed at a time and nothing follows death. ``hospital`` takes the expected terminal admissions
out of the ordinary emergency draw at each age, so the emergency admission rates stay the
published ones.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import MAX_AGE, england_population
from onebudget.population.synth.cells import CellModel, band_rates
from onebudget.population.synth.events import Draws
from onebudget.population.synth.people import MAX_ANNUAL_DEATH, People, mortality_by_age
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.spells import DIED, KEY, Spells, join, take
from onebudget.population.synth.window import Window

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
# Mean days from the terminal admission to death (0 = died on the day of admission). PHE,
# "Older people who died in hospital: England 2017": 51.5% of hospital deaths at 75 and over
# ended an admission of 8 days or more, as a geometric stay of mean 10 days gives (48%).
STAY_MEAN_DAYS = 10.0


def in_hospital_by_age(rates: NationalRates) -> Floats:
    """Share of deaths at each age that happen in hospital: the modelled age shape, scaled
    so that over England's deaths it is the published share."""
    shape = band_rates(rates.shape("hospital", "deaths_in_hospital_age_shape"), 1.0)
    deaths = england_population().sum(axis=1) * mortality_by_age(rates)
    share = rates.figure("hospital", "deaths_in_hospital_share")
    return np.asarray(shape * share * deaths.sum() / (shape * deaths).sum(), dtype=np.float64)


def risk(rates: NationalRates) -> dict[str, float]:
    """Relative chance of a terminal admission by condition: the mortality risks, dementia's
    lowered (to weigh whose admissions these are)."""
    found = dict(rates.risk("mortality").conditions)
    relative = rates.figure("hospital", "deaths_in_hospital_dementia_relative")
    found["dementia"] = found.get("dementia", 1.0) * relative
    return found


def admission_rates(rates: NationalRates) -> Floats:
    """Terminal admissions per person-year lived, by age (deaths per person at the start of
    a year, per year lived, is ``h / (1 - h / 2)``)."""
    hazard = np.minimum(mortality_by_age(rates), MAX_ANNUAL_DEATH)
    return np.asarray(in_hospital_by_age(rates) * hazard / (1 - hazard / 2), dtype=np.float64)


def _ages_at_death(people: People, who: Ints) -> Ints:
    return np.minimum(people.ages_on(who, people.dod[who]), MAX_AGE)


def _chance(people: People, who: Ints, rates: NationalRates, model: CellModel) -> Floats:
    """Each dying person's chance of dying in hospital: their age's share, lower with
    dementia, divided by its mean over the deaths of their (age, decile) cell."""
    ages = _ages_at_death(people, who)
    cell = (ages, people.decile[who].astype(np.int64) - 1)
    prevalence = model.conditions["dementia"][cell]
    relative = rates.figure("hospital", "deaths_in_hospital_dementia_relative")
    dying = rates.risk("mortality").conditions.get("dementia", 1.0) * prevalence
    mean = (dying * relative + 1 - prevalence) / (dying + 1 - prevalence)
    own = np.where(people.conditions["dementia"][who], relative, 1.0)
    return np.asarray(np.minimum(in_hospital_by_age(rates)[ages] * own / mean, 1.0))


def _chosen(
    people: People, who: Ints, already: Bools, rates: NationalRates, model: CellModel
) -> Floats:
    """Chances of a terminal admission for the dying people not ``already`` dying in a stay:
    lowered in each age band of the shape so that, with those already, the expected deaths
    in hospital are the band's share."""
    chance = _chance(people, who, rates, model)
    bands = np.array(sorted(rates.shape("hospital", "deaths_in_hospital_age_shape")))
    band = np.searchsorted(bands, _ages_at_death(people, who), side="right") - 1
    wanted = np.bincount(band, weights=chance - already, minlength=len(bands))
    rest = np.bincount(band, weights=chance * ~already, minlength=len(bands))
    lower = np.divide(np.maximum(wanted, 0), rest, out=np.zeros(len(bands)), where=rest > 0)
    return np.asarray(np.where(already, 0.0, np.minimum(chance * lower[band], 1.0)))


def admissions(
    people: People,
    spells: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    rng: np.random.Generator,
) -> Draws:
    """Who dies in hospital, and the day of their terminal admission (none when that would
    be before the window: the extract holds admissions in it). People whose stay already
    ends in death (one of the emergency ``spells``) are among them, so the others' chances
    are lowered to keep the expected number of deaths in hospital."""
    dod = people.dod
    who = np.flatnonzero(~np.isnat(dod) & (dod >= window.start) & (dod < window.end))
    already = np.isin(who, spells.person[spells.disdest == DIED])
    who = who[rng.random(len(who)) < _chosen(people, who, already, rates, model)]
    days = rng.geometric(1 / (STAY_MEAN_DAYS + 1), len(who)) - 1
    admitted = dod[who] - days.astype("m8[D]")
    keep = admitted >= window.start
    return Draws(who[keep], admitted[keep])


def _days(dates: npt.NDArray[np.datetime64]) -> Ints:
    return np.asarray(dates.astype("M8[D]").astype(np.int64), dtype=np.int64)


def end_in_hospital(spells: Spells, dying: Spells) -> Spells:
    """The emergency ``spells`` (one after another, none after death) with the terminal
    ones (``dying``, each ending the day its person dies): a person whose last stay is still
    going on the day their terminal admission would begin, or began since, dies in that stay
    (it goes on to the day they die) and is not admitted again."""
    if not len(spells):
        return join([spells, dying])
    order = np.lexsort((spells.admidate, spells.person))
    keys = spells.person[order] * KEY + _days(spells.admidate[order])
    found = np.searchsorted(keys, dying.person * KEY + _days(dying.disdate), side="right") - 1
    last = order[np.maximum(found, 0)]
    staying = (found >= 0) & (spells.person[last] == dying.person)
    staying &= spells.disdate[last] >= dying.admidate
    ends = np.full(len(spells), np.datetime64("NaT", "D"))
    ends[last[staying]] = dying.disdate[staying]
    dies = ~np.isnat(ends)
    spells.disdate = np.where(dies, ends, spells.disdate)
    spells.disdest = np.where(dies, DIED, spells.disdest)
    return join([spells, take(dying, ~staying)])
