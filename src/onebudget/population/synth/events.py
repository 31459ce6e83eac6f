"""Drawing dated events for people: Poisson counts per year of exposure, uniform dates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.cells import CellModel
from onebudget.population.synth.people import People, exposure_correction, relative_risk
from onebudget.population.synth.rates import Multipliers, NationalRates
from onebudget.population.synth.window import Window

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Dates = npt.NDArray[np.datetime64]


@dataclass
class Draws:
    person: Ints
    date: Dates

    def __len__(self) -> int:
        return len(self.person)


def draw_events(
    people: People,
    window: Window,
    base_by_age: Floats,
    risk: Multipliers,
    rates: NationalRates,
    model: CellModel,
    rng: np.random.Generator,
) -> Draws:
    """Events at ``base_by_age`` per person-year × each person's relative risk, dated."""
    persons: list[Ints] = []
    dates: list[Dates] = []
    for year_start, year_end in window.years():
        start, days = window.exposure(people, year_start, year_end)
        ages = people.age_at(year_start)
        rate = base_by_age[ages] * relative_risk(people, ages, risk, model)
        rate *= exposure_correction(people, ages, rates, model)
        who, when = _dated(rng, rate, start, days)
        persons.append(who)
        dates.append(when)
    return Draws(np.concatenate(persons), np.concatenate(dates))


def draw_before(
    people: People,
    window: Window,
    days_before: int,
    base_by_age: Floats,
    risk: Multipliers,
    model: CellModel,
    rng: np.random.Generator,
) -> Draws:
    """Events in the ``days_before`` days before the window, for people alive then: they are
    not part of the data, but their consequences (readmissions) reach into it."""
    start = window.start - np.timedelta64(days_before, "D")
    days = np.where(people.dob <= start, days_before, 0).astype(np.int64)
    ages = people.age_at(start)
    rate = base_by_age[ages] * relative_risk(people, ages, risk, model)
    who, when = _dated(rng, rate, np.full(people.count, start), days)
    return Draws(who, when)


def _dated(rng: np.random.Generator, rate: Floats, start: Dates, days: Ints) -> tuple[Ints, Dates]:
    counts = rng.poisson(rate * days / 365.25)
    who = np.repeat(np.arange(len(rate)), counts)
    offset = np.floor(rng.random(len(who)) * days[who]).astype("m8[D]")
    return who, start[who] + offset


def pick(rng: np.random.Generator, n: int, options: dict[str, float]) -> npt.NDArray[np.str_]:
    """``n`` draws from labelled options with the given weights."""
    labels = np.array(list(options))
    weights = np.array(list(options.values()), dtype=np.float64)
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def geometric_stay(rng: np.random.Generator, mean_days: Floats) -> Ints:
    """Stays of at least one day with the given means."""
    return np.asarray(rng.geometric(1 / np.maximum(mean_days, 1.0)), dtype=np.int64)


MAX_RAISE = 10.0  # at most ten times the rate for those eligible, where few are


def draw_among(
    rng: np.random.Generator,
    expected: Floats,
    eligible: npt.NDArray[np.bool_],
    ages: Ints,
    given: Floats | None = None,
) -> npt.NDArray[np.bool_]:
    """Who has an event in one step, drawn only among the ``eligible``, with their rates
    raised so that at each age the expected events are those of everyone (``expected`` per
    person) less any already ``given`` at that age. An event that cannot happen to some
    people (a care-home admission of a resident) is then not lost from the national rate:
    it happens to someone it can happen to."""
    size = int(ages.max(initial=0)) + 1
    target = np.bincount(ages, weights=expected, minlength=size)
    if given is not None:
        target = np.maximum(target - given[:size], 0.0)
    pool = np.bincount(ages[eligible], weights=expected[eligible], minlength=size)
    raise_by = np.divide(target, pool, out=np.zeros(size), where=pool > 0)
    chance = np.where(eligible, expected * np.minimum(raise_by, MAX_RAISE)[ages], 0.0)
    return np.asarray(rng.random(len(chance)) < np.minimum(chance, 1.0), dtype=np.bool_)


def capped(chance: Floats, ages: Ints, rounds: int = 20) -> Floats:
    """Chances of at most one, raised among those below one so that the expected number
    at each age is still the sum of ``chance`` (a very frail 95-year-old's chance of being
    in support is capped at certainty; the rest of their age make up what it lost)."""
    size = int(ages.max(initial=0)) + 1
    target = np.bincount(ages, weights=chance, minlength=size)
    scale = np.ones(size)
    for _ in range(rounds):
        now = np.bincount(ages, weights=np.minimum(chance * scale[ages], 1.0), minlength=size)
        scale *= np.divide(target, now, out=np.ones(size), where=now > 0)
    return np.asarray(np.minimum(chance * scale[ages], 1.0), dtype=np.float64)
