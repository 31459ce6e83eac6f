"""Synthetic people: age, sex, where they live, their GP practice, conditions and frailty,
and when they are born into or die out of the window.

People are drawn from England's age-sex structure at the start of the window; babies are born
through the window at England's rate, so the young do not vanish as the cohort ages. Deaths
follow a Gompertz annual probability scaled to England's crude death rate, raised for frailty and
conditions (relative risks divided by their expectation in each age × deprivation cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import MAX_AGE, england_population
from onebudget.population.synth.cells import AGES, FRAILTY_GRADES, CellModel
from onebudget.population.synth.place import SynthPlace
from onebudget.population.synth.rates import Multipliers, NationalRates
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Dates = npt.NDArray[np.datetime64]
NO_DATE = np.datetime64("NaT", "D")
MAX_ANNUAL_DEATH = 0.95


@dataclass
class People:
    """Columns of the persons table, as arrays (one row per person)."""

    sex: npt.NDArray[np.int8]  # 1 male, 2 female (the NHS data dictionary's codes)
    dob: Dates
    dod: Dates  # NaT while alive at the end of the window
    lsoa: Ints  # index into place.lsoa_codes
    decile: npt.NDArray[np.int8]
    practice: Ints  # index into place.practice_codes
    conditions: dict[str, npt.NDArray[np.bool_]]
    frailty: npt.NDArray[np.int8]  # index into FRAILTY_GRADES

    @property
    def count(self) -> int:
        return len(self.dob)

    def ages_on(self, who: Ints, when: Dates) -> Ints:
        """Age in whole years of each person ``who[i]`` on the date ``when[i]`` (not clipped:
        events may fall after a 100-year-old's birthday)."""
        return np.asarray((when - self.dob[who]).astype(np.int64) * 4 // 1461, dtype=np.int64)

    def age_at(self, day: np.datetime64) -> Ints:
        days = (day - self.dob).astype(np.int64)
        return np.clip(days * 4 // 1461, 0, MAX_AGE)


def relative_risk(people: People, ages: Ints, risk: Multipliers, model: CellModel) -> Floats:
    """Each person's relative risk for an outcome, divided by its mean in their cell."""
    m = np.ones(people.count)
    for name, factor in risk.conditions.items():
        m *= np.where(people.conditions[name], factor, 1.0)
    frailty: dict[str, float] = {str(k): v for k, v in risk.frailty.items()}
    grade_factor = np.array([frailty.get(g, 1.0) for g in FRAILTY_GRADES])
    m *= grade_factor[people.frailty]
    expected = model.expected_multiplier(risk.conditions, frailty)
    d = people.decile.astype(np.int64) - 1
    return np.asarray(m * model.deprivation[d] / expected[ages, d], dtype=np.float64)


def _characteristics(
    ages: Ints, deciles: npt.NDArray[np.int8], model: CellModel, rng: np.random.Generator
) -> tuple[dict[str, npt.NDArray[np.bool_]], npt.NDArray[np.int8]]:
    d = deciles.astype(np.int64) - 1
    conditions = {k: rng.random(len(ages)) < p[ages, d] for k, p in model.conditions.items()}
    cumulative = np.cumsum([model.frailty[g][ages, d] for g in FRAILTY_GRADES], axis=0)
    frailty = (rng.random(len(ages))[None, :] > cumulative).sum(axis=0).astype(np.int8)
    return conditions, np.minimum(frailty, len(FRAILTY_GRADES) - 1).astype(np.int8)


def _residents(
    n: int,
    ages: Ints,
    sexes: Ints,
    dobs: Dates,
    place: SynthPlace,
    model: CellModel,
    rng: np.random.Generator,
) -> People:
    lsoa = rng.integers(0, len(place.lsoa_codes), size=n)
    deciles = place.lsoa_deciles[lsoa]
    practice = rng.choice(len(place.practice_codes), size=n, p=place.practice_weights)
    conditions, frailty = _characteristics(ages, deciles, model, rng)
    return People(
        sexes.astype(np.int8),
        dobs,
        np.full(n, NO_DATE),
        lsoa,
        deciles,
        practice,
        conditions,
        frailty,
    )


def starting_population(
    n: int, place: SynthPlace, window: Window, model: CellModel, rng: np.random.Generator
) -> People:
    counts = england_population()  # (age, sex: female, male)
    cell = rng.choice(counts.size, size=n, p=(counts / counts.sum()).ravel())
    ages, female_or_male = np.divmod(cell, 2)
    sexes = np.where(female_or_male == 1, 1, 2)
    dobs = window.start - (ages * 1461 // 4 + rng.integers(0, 365, size=n)).astype("m8[D]")
    return _residents(n, ages, sexes, dobs, place, model, rng)


def births(
    n_start: int, place: SynthPlace, window: Window, model: CellModel, rng: np.random.Generator
) -> People:
    """Babies born during the window, at England's rate (people aged 0 per person)."""
    counts = england_population()
    per_year = counts[0].sum() / counts.sum()
    n = int(rng.poisson(n_start * per_year * window.days / 365.25))
    dobs = window.start + rng.integers(0, window.days, size=n).astype("m8[D]")
    sexes = np.where(rng.random(n) < counts[0, 1] / counts[0].sum(), 1, 2)
    people = _residents(n, np.zeros(n, dtype=np.int64), sexes, dobs, place, model, rng)
    people.conditions = {k: np.zeros(n, dtype=np.bool_) for k in people.conditions}
    people.frailty = np.zeros(n, dtype=np.int8)
    return people


def mortality_by_age(rates: NationalRates) -> Floats:
    """Annual hazard of death by age, scaled to England's crude death rate."""
    shape = rates.mortality()
    hazard = np.exp(shape.slope_per_year * AGES) + shape.infant_relative_hazard * (AGES == 0)
    people = england_population().sum(axis=1)
    crude = rates.figure("population", "deaths") / rates.figure("population", "mid_year_total")
    return np.asarray(hazard * crude * people.sum() / (hazard * people).sum(), dtype=np.float64)


def death_probability(
    people: People, ages: Ints, rates: NationalRates, model: CellModel
) -> tuple[Floats, Floats]:
    """Each person's annual probability of death, and its mean in their cell.

    The published rate is deaths ÷ population, so the calibrated hazard is used as the annual
    probability, capped for the very frail oldest old.
    """
    base = mortality_by_age(rates)
    cell_mean = base[ages] * model.deprivation[people.decile.astype(np.int64) - 1]
    risk = relative_risk(people, ages, rates.risk("mortality"), model)
    return np.minimum(base[ages] * risk, MAX_ANNUAL_DEATH), cell_mean


def exposure_correction(
    people: People, ages: Ints, rates: NationalRates, model: CellModel
) -> Floats:
    """Raise the event rate of people likely to die by the exposure they are likely to lose.

    Published rates are per person-year lived. People at high risk of death are also at high
    risk of admission, and lose more of the year, so without this a place's rate per
    person-year falls short of the published one. With it, each cell's rate per person-year
    is exact, and rates rise in the months before death, as they do in reality.
    """
    own, cell = death_probability(people, ages, rates, model)
    cell = np.minimum(cell, MAX_ANNUAL_DEATH)
    return np.asarray((1 - cell / 2) / (1 - own / 2), dtype=np.float64)


def assign_deaths(
    people: People, window: Window, rates: NationalRates, model: CellModel, rng: np.random.Generator
) -> None:
    """Draw each person's date of death, year by year of the window (or none)."""
    for year_start, year_end in window.years():
        start, days = window.exposure(people, year_start, year_end)
        ages = people.age_at(year_start)
        probability, _ = death_probability(people, ages, rates, model)
        dies = rng.random(people.count) < probability * days / 365.25
        when = start + np.floor(rng.random(people.count) * days).astype("m8[D]")
        people.dod = np.where(dies & (days > 0), when, people.dod)


def combine(first: People, second: People) -> People:
    """One table of people from two (the starting population and the babies born)."""
    return People(
        np.concatenate([first.sex, second.sex]),
        np.concatenate([first.dob, second.dob]),
        np.concatenate([first.dod, second.dod]),
        np.concatenate([first.lsoa, second.lsoa]),
        np.concatenate([first.decile, second.decile]),
        np.concatenate([first.practice, second.practice]),
        {k: np.concatenate([first.conditions[k], second.conditions[k]]) for k in first.conditions},
        np.concatenate([first.frailty, second.frailty]),
    )
