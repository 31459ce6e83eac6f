"""Primary diagnoses of emergency admissions other than falls: an acute illness, or a chronic
ambulatory-care-sensitive (ACSC) condition of the person's own.

The ACSC codes are ones ``chronic-acsc-admissions`` counts (``codes.ACSC_DIAGNOSES``), and
the chance of drawing one is set so that the share of emergency admissions the indicator
counts is the published one: an admission whose code it would leave out for a cardiac
procedure is drawn more often by as much, so the calibration does not drift from the measure.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from onebudget.population.synth import codes
from onebudget.population.synth.cells import CellModel, national_weights
from onebudget.population.synth.events import Draws, pick
from onebudget.population.synth.people import MAX_ANNUAL_DEATH, People, mortality_by_age
from onebudget.population.synth.procedures import uncounted_acsc_share
from onebudget.population.synth.rates import NationalRates

Strs = npt.NDArray[np.str_]
Floats = npt.NDArray[np.float64]
NAMES = tuple(codes.ACSC_DIAGNOSES)


def counted_shares() -> Floats:
    """For each ACSC condition (in ``NAMES`` order), the share of its admissions the indicator
    counts: all but those with a code it leaves out when a procedure was done."""
    shares = []
    for name in NAMES:
        options = codes.ACSC_DIAGNOSES[name]
        counted = sum(w * (1 - uncounted_acsc_share(c)) for c, w in options.items())
        shares.append(counted / sum(options.values()))
    return np.array(shares)


def person_years(rates: NationalRates, model: CellModel) -> Floats:
    """England's people by (age, decile), as years lived in a year: those who die live half
    of it on average, and the calibrated rates are per year lived (the old, who are the
    most often admitted, also lose the most)."""
    dying = mortality_by_age(rates)[:, None] * model.deprivation[None, :]
    return np.asarray(national_weights() * (1 - np.minimum(dying, MAX_ANNUAL_DEATH) / 2))


def _eligible(
    rates: NationalRates, model: CellModel, by_age: Floats, risk: Mapping[str, float]
) -> float:
    """Expected admissions a year (England's population) of people with an ACSC condition,
    for admissions at ``by_age`` per person-year weighted by the relative ``risk``."""
    weights = person_years(rates, model) * model.deprivation[None, :] * by_age[:, None]
    return float((weights * (1 - model.share_without(NAMES, risk))).sum())


def acsc_probability(
    rates: NationalRates,
    model: CellModel,
    total: Floats,
    index: tuple[Floats, Mapping[str, float]],
    terminal: tuple[Floats, Mapping[str, float]],
) -> float:
    """Chance ``q`` that a non-falls emergency admission of someone with a chronic ACSC
    condition is one the indicator counts, so that ACSC admissions are the published share of
    all (``total`` by age, per person-year): ordinary (``index``) admissions, the half of
    their readmissions that are for the same diagnosis, and ``terminal`` ones (never
    readmitted). Each is (rate by age, relative risk by condition)."""
    readmit = rates.figure("hospital", "readmission_30_day_share")
    eligible = _eligible(rates, model, *index) * (1 + readmit / 2)
    eligible += _eligible(rates, model, *terminal)
    share = rates.figure("hospital", "chronic_acsc_share")
    admissions = (person_years(rates, model) * model.deprivation[None, :] * total[:, None]).sum()
    return float(min(1.0, share * admissions / eligible))


def acute(people: People, draws: Draws, rng: np.random.Generator) -> Strs:
    """Acute primary diagnoses; the maternity ones only for women of 15-49."""
    found = pick(rng, len(draws), codes.ACUTE_DIAGNOSES)
    ages = people.ages_on(draws.person, draws.date)
    mother = (people.sex[draws.person] == 2) & (ages >= 15) & (ages <= 49)
    rows = np.char.startswith(found, "O") & ~mother
    others = {k: v for k, v in codes.ACUTE_DIAGNOSES.items() if not k.startswith("O")}
    found[rows] = pick(rng, int(rows.sum()), others)
    return found


def non_falls(people: People, draws: Draws, q: float, rng: np.random.Generator) -> Strs:
    """An acute diagnosis or, for people with a chronic ACSC condition, one of their
    conditions (the ones that admit more, more often: ``codes.ACSC_WEIGHTS``), at chance
    ``q`` divided by the share of that person's ACSC admissions the indicator counts."""
    who = draws.person
    found = acute(people, draws, rng)
    flags = np.stack([people.conditions[n][who] for n in NAMES], axis=1)
    weights = flags * np.array([codes.ACSC_WEIGHTS[n] for n in NAMES])
    total = weights.sum(axis=1)
    counted = (weights * counted_shares()).sum(axis=1) / np.maximum(total, 1e-12)
    chance = np.where(total > 0, q / np.maximum(counted, q), 0.0)
    acsc = rng.random(len(who)) < chance
    which = np.argmax(np.cumsum(weights, axis=1) > (rng.random(len(who)) * total)[:, None], axis=1)
    for i, name in enumerate(NAMES):
        rows = acsc & (which == i)
        found[rows] = pick(rng, int(rows.sum()), codes.ACSC_DIAGNOSES[name])
    return found
