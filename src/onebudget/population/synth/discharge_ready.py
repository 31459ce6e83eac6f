"""Discharge ready dates of admitted care: the day a patient no longer met the criteria to
reside in hospital (NHS Data Dictionary "Discharge Ready Date (Hospital Provider Spell)",
in the Commissioning Data Set from 2023/24; HES field ``DISREADYDATE``).

Acute trusts record it for every adult inpatient discharged alive, so it is filled for each
ordinary admission (patient classification 1) of a person aged 18 or over on the day of
discharge who did not die in hospital, and equals the discharge date when the discharge was
not delayed (NHS England's guidance lets a provider leave it blank then; the synthetic data
does not, so a blank here always means "not recorded"). Every spell of the place is at an
acute trust (``place``), so every such spell is an acute one. A spell that ends in a transfer
to another hospital (51) is not a discharge from hospital: its ready date is its discharge.

The share of discharges delayed and the mean delay of those delayed are INTERIM figures:
NHS England publishes both monthly (Discharge Ready Date publication, statistical work area
"Discharge delays": "Date of discharge is 1+ days after Discharge Ready Date" and "Average
days from Discharge Ready Date to Date of Discharge (exc 0 day delays)"), but the published
values could not be read when this was written. Replace them with the national figures of
a recent month, citing it, when they can be.

The dates are drawn from their own stream (``generate`` passes a child of the seed no other
part uses), so adding them changed no other column of the synthetic place.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth.people import People
from onebudget.population.synth.spells import DIED, Spells

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
# INTERIM, not published figures (see the module's docstring for what is missing).
SHARE_DELAYED = 0.12  # of adult acute discharges, discharged 1+ days after their ready date
MEAN_DELAY_DAYS = 5.5  # days from ready date to discharge, of the discharges delayed
ADULT = 18
ORDINARY = 1  # patient classification: ordinary admission (not a day case)
TO_ANOTHER_HOSPITAL = "51"


def completed_years(born: Dates, on: Dates) -> Ints:
    """Age in completed years, as ``outcomes.calendar.age_on`` counts it (the indicator's
    age test), so the dated spells are exactly the ones the indicator selects."""
    years = on.astype("M8[Y]").astype(np.int64) - born.astype("M8[Y]").astype(np.int64)

    def month_day(d: Dates) -> Ints:
        month = d.astype("M8[M]").astype(np.int64) % 12
        return np.asarray(month * 100 + (d - d.astype("M8[M]")).astype(np.int64), np.int64)

    return np.asarray(years - (month_day(on) < month_day(born)), dtype=np.int64)


def recorded(spells: Spells, people: People) -> Bools:
    """Spells that carry a discharge ready date: adults' ordinary admissions, discharged
    alive."""
    discharged = ~np.isnat(spells.disdate)
    day = np.where(discharged, spells.disdate, spells.admidate)
    adult = completed_years(people.dob[spells.person], day) >= ADULT
    alive = spells.disdest != DIED
    return np.asarray(discharged & adult & alive & (spells.classpat == ORDINARY), np.bool_)


def _chosen(weights: npt.NDArray[np.float64], k: int, rng: np.random.Generator) -> Ints:
    """``k`` of the candidates, without replacement, each as likely as its weight
    (Efraimidis and Spirakis' keys: the k largest of log(u) / w)."""
    keys = np.log(rng.random(len(weights))) / weights
    if k >= len(weights):
        return np.arange(len(weights), dtype=np.int64)
    return np.sort(np.argpartition(-keys, k)[:k]).astype(np.int64)


def geometric_chance(stays: Ints, mean: float) -> float:
    """The chance q for which a delay of 1 + Geometric(q) days, cut at the stay (a patient
    is not ready before admission), averages ``mean`` over these stays: the expected cut
    delay of a stay of s days is (1 - (1 - q)^s) / q, found by bisection."""
    low, high = 1e-9, 1.0
    for _ in range(60):
        q = (low + high) / 2
        expected = float(np.mean((1 - (1 - q) ** stays) / q))
        low, high = (q, high) if expected > mean else (low, q)
    return (low + high) / 2


def ready_dates(spells: Spells, people: People, rng: np.random.Generator) -> Dates:
    """Each spell's discharge ready date (NaT where none is recorded). Of the discharges
    from hospital (not transfers) of at least one night, ``SHARE_DELAYED`` of all recorded
    discharges are delayed, longer stays more often (chance in proportion to the stay),
    by ``MEAN_DELAY_DAYS`` on average, never before the admission."""
    dated = recorded(spells, people)
    stays = np.asarray((spells.disdate - spells.admidate).astype(np.int64), dtype=np.int64)
    counted = dated & (spells.disdest != TO_ANOTHER_HOSPITAL)
    candidates = np.flatnonzero(counted & (stays >= 1))
    k = min(round(SHARE_DELAYED * int(counted.sum())), len(candidates))
    delayed = candidates[_chosen(stays[candidates].astype(np.float64), k, rng)]
    q = geometric_chance(stays[delayed], MEAN_DELAY_DAYS) if k else 1.0
    delays = np.zeros(len(spells), dtype=np.int64)
    drawn = rng.geometric(q, size=k).astype(np.int64)
    delays[delayed] = np.minimum(drawn, stays[delayed])
    ready = spells.disdate - delays.astype("m8[D]")
    return np.where(dated, ready, np.datetime64("NaT", "D"))
