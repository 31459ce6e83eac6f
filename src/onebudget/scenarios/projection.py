"""A place's population year by year (issue 18): cohort-component ageing from its age
structure, and the growth of each age band and sex that the Monte Carlo engine multiplies
activity by.

A **population** is persons by sex (``SEXES``: female, male) and single year of age 0..100
(100 = 100 and over). Each year of a **projection**:

1. each cohort survives with its sex-and-age probability of dying within the year;
2. survivors age one year, and those reaching 100 join the 100-and-over;
3. children aged 0 are added, ``fertility`` for each woman aged 15–44 at the start of the
   year, split by the sex ratio at birth.

There is **no migration**: a place's migration is in ONS's subnational population
projection, which the user can supply instead (``onebudget.scenarios.snpp``).

The national rates are the ones the synthetic data generator uses, so a projection and the
synthetic place agree: mortality is ``population.synth.people.mortality_by_age`` (a Gompertz
hazard scaled so that England's mid-2023 age structure gives the national crude death rate,
deaths 2024 / mid-2023 population: the same for both sexes, as in the generator); fertility
and the sex ratio are from England's mid-2023 persons aged 0, as the generator's ``births``
takes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from onebudget.population.reference import MAX_AGE, england_population
from onebudget.population.synth.people import mortality_by_age
from onebudget.population.synth.rates import national_rates
from onebudget.scenarios.model import AGE_BANDS, PODS, SEXES, Figure, Strict, Uncertain

Floats = npt.NDArray[np.float64]
AGES = np.arange(MAX_AGE + 1)
SHAPE = (len(SEXES), MAX_AGE + 1)
FEMALE, MALE = SEXES.index("female"), SEXES.index("male")
MOTHERS = slice(15, 45)  # women aged 15 to 44, ONS's general fertility rate's denominator
# First age of each band ("0-17" -> 0, "85+" -> 85), so the bands are AGE_BANDS' own
BAND_STARTS = tuple(int(band.split("-")[0].rstrip("+")) for band in AGE_BANDS)


def _frozen(values: npt.ArrayLike, shape: tuple[int, ...], what: str) -> Floats:
    """A read-only copy, checked: a frozen record's array cannot change under it."""
    array = np.array(values, dtype=np.float64)
    if array.shape != shape:
        raise ValueError(f"{what}: shape {shape} (sex, age 0..{MAX_AGE}), not {array.shape}")
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{what}: every value a finite number, not negative")
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class Population:
    """Persons by sex (female, male) and single year of age 0..100 in ``year``."""

    year: int
    persons: Floats  # (sexes, ages)

    def __post_init__(self) -> None:
        object.__setattr__(self, "persons", _frozen(self.persons, SHAPE, "persons"))


@dataclass(frozen=True)
class Rates:
    """What a year of ageing needs: each sex-and-age probability of dying within the year;
    children aged 0 a year on per woman aged 15–44 at its start; boys born per girl."""

    mortality: Floats  # (sexes, ages), each 0..1
    fertility: float
    boys_per_girl: float

    def __post_init__(self) -> None:
        mortality = _frozen(self.mortality, SHAPE, "mortality")
        if (mortality > 1).any():
            raise ValueError("mortality: a probability of dying, at most 1")
        if not (np.isfinite(self.fertility) and self.fertility >= 0):
            raise ValueError("fertility: a finite number of children per woman, not negative")
        if not (np.isfinite(self.boys_per_girl) and self.boys_per_girl > 0):
            raise ValueError("boys_per_girl: a finite positive ratio")
        object.__setattr__(self, "mortality", mortality)


@cache
def national_projection_rates() -> Rates:
    """England's rates as the synthetic data generator uses them (status: derived from
    ONS mid-2023 estimates and 2024 deaths; the mortality age shape is modelled)."""
    england = england_population()  # (ages, sexes)
    hazard = mortality_by_age(national_rates())
    return Rates(
        mortality=np.stack([hazard, hazard]),
        fertility=float(england[0].sum() / england[MOTHERS, FEMALE].sum()),
        boys_per_girl=float(england[0, MALE] / england[0, FEMALE]),
    )


@dataclass(frozen=True)
class Projection:
    """Persons by year (``start_year`` onwards), sex and age: ``persons[t]`` is year
    ``start_year + t``. ``source`` says where it came from, for the board paper."""

    start_year: int
    persons: Floats  # (years + 1, sexes, ages)
    source: str

    def __post_init__(self) -> None:
        shape = (len(np.asarray(self.persons)), *SHAPE)
        object.__setattr__(self, "persons", _frozen(self.persons, shape, "persons"))
        if shape[0] < 1:
            raise ValueError("a projection holds at least its start year")

    @property
    def years(self) -> int:
        return len(self.persons) - 1

    def since(self, year: int, years: int) -> Projection:
        """The ``years`` years after ``year`` (a baseline year later than the file's)."""
        first = year - self.start_year
        if first < 0 or years < 0 or first + years > self.years:
            last = self.start_year + self.years
            raise ValueError(f"{year} to {year + years} is outside {self.start_year}–{last}")
        return Projection(year, self.persons[first : first + years + 1], self.source)


def births(persons: Floats, rates: Rates) -> Floats:
    """Children aged 0 by sex (female, male) a year on, from the women aged 15–44 now."""
    children = rates.fertility * persons[FEMALE, MOTHERS].sum()
    by_sex = np.empty(len(SEXES))
    by_sex[MALE] = children * rates.boys_per_girl / (1 + rates.boys_per_girl)
    by_sex[FEMALE] = children - by_sex[MALE]
    return by_sex


def age_one_year(persons: Floats, rates: Rates) -> Floats:
    """Next year's persons: survivors a year older (100+ accumulating), births at age 0."""
    survivors = persons * (1 - rates.mortality)
    after = np.zeros_like(survivors)
    after[:, 1:] = survivors[:, :-1]
    after[:, -1] += survivors[:, -1]
    after[:, 0] = births(persons, rates)
    return after


def project(population: Population, years: int, rates: Rates) -> Projection:
    """``population`` aged ``years`` years (1 to 10 in a scenario) by cohort component."""
    if years < 0:
        raise ValueError("years: none or more")
    persons = [population.persons]
    for _ in range(years):
        persons.append(age_one_year(persons[-1], rates))
    return Projection(population.year, np.stack(persons), "cohort-component, no migration")


def band_totals(persons: Floats) -> Floats:
    """Persons by age band and sex: (..., sexes, ages) to (..., bands, sexes)."""
    totals = np.add.reduceat(persons, BAND_STARTS, axis=-1)
    return np.asarray(np.swapaxes(totals, -1, -2), dtype=np.float64)


def band_growth(projection: Projection) -> Floats:
    """Each band and sex's persons relative to the start year: (years + 1, bands, sexes),
    year 0 all ones. A band with nobody at the start stays at 1: it has no activity to grow."""
    totals = band_totals(projection.persons)
    start = np.broadcast_to(totals[0], totals.shape)
    growth: Floats = np.divide(totals, start, out=np.ones_like(totals), where=start > 0)
    return growth


def population_from_bands(counts_by_band_sex: npt.ArrayLike, year: int) -> Population:
    """A population when only band counts (bands, sexes) are known: each band's persons
    spread over its single years as England's mid-2023 persons of that sex are (so within
    a band the place is assumed to have the national age shape)."""
    counts = np.array(counts_by_band_sex, dtype=np.float64)
    if counts.shape != (len(AGE_BANDS), len(SEXES)):
        raise ValueError(f"counts: shape {(len(AGE_BANDS), len(SEXES))} (bands, sexes)")
    widths = np.diff((*BAND_STARTS, MAX_AGE + 1))  # single years in each band
    england = england_population().T  # (sexes, ages)
    shares = england / band_totals(england).T.repeat(widths, axis=-1)
    return Population(year, shares * counts.T.repeat(widths, axis=-1))


class Growth(Strict):
    """Growth a year beyond demography, and inflation, as uncertain figures (YAML:
    ``inflation: {triangular: [0.015, 0.025, 0.04]}``). ``non_demographic`` is every POD's,
    unless ``by_pod`` names the POD's own."""

    non_demographic: Figure = Field(default_factory=lambda: Uncertain(point=0.0))
    by_pod: dict[str, Figure] = Field(default_factory=dict)
    inflation: Figure

    @model_validator(mode="after")
    def _known_pods_and_above_minus_one(self) -> Growth:
        unknown = sorted(set(self.by_pod) - set(PODS))
        if unknown:
            raise ValueError(f"by_pod: unknown points of delivery {unknown}; known: {list(PODS)}")
        figures = [self.non_demographic, self.inflation, *self.by_pod.values()]
        if any(_lowest(f) <= -1 for f in figures):
            raise ValueError("a growth or inflation rate a year is above -1 (-100%)")
        return self

    def for_pod(self, pod: str) -> Uncertain:
        return self.by_pod.get(pod, self.non_demographic)

    def by_every_pod(self) -> dict[str, Uncertain]:
        """Each POD's growth a year, as the engine's ``Scenario.non_demographic`` takes it."""
        return {pod: self.for_pod(pod) for pod in PODS}


def _lowest(figure: Uncertain) -> float:
    bounds = figure.uniform or figure.triangular
    return bounds[0] if bounds is not None else figure.central


def cumulative(rates_by_run: npt.ArrayLike, years: int) -> Floats:
    """The multiplier by year, (runs, years + 1): year 0 is 1 and year t is the product of
    (1 + r) over years 1..t. ``rates_by_run`` is (runs,), one rate every year of a run (as
    ``Uncertain.draw`` gives), or (runs, years), a rate for each year."""
    rates = np.array(rates_by_run, dtype=np.float64)
    if rates.ndim == 1:
        rates = np.repeat(rates[:, None], years, axis=1)
    if rates.ndim != 2 or rates.shape[1] != years:
        raise ValueError(f"rates: (runs,) or (runs, {years}), not {rates.shape}")
    if not np.isfinite(rates).all() or (rates <= -1).any():
        raise ValueError("rates: finite, each above -1 (-100%)")
    start = np.ones((len(rates), 1))
    return np.concatenate([start, np.cumprod(1 + rates, axis=1)], axis=1)
