"""Hospital activity in HES-style fields: admitted patient care spells, A&E, outpatients.

Emergency admissions are calibrated by age band to England's total; falls admissions (65+)
to the published directly standardised rate; 30-day readmissions, the chronic
ambulatory-care-sensitive share (as its indicator counts it, ``primary``), deaths in hospital
(``terminal``) and discharge to usual place of residence to their national shares. All are
exact in expectation for a national-shaped population (see ``cells``). A person is in one
bed at a time and never admitted after death (see ``spells``). A stay that moves to another
hospital is drawn as one stay (``transfers``), so the figures count admissions excluding
transfers in, as the national ones do.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth import codes, primary, terminal, transfers
from onebudget.population.synth.cells import AGES, CellModel, band_rates, national_weights
from onebudget.population.synth.coding import diagnoses
from onebudget.population.synth.events import Draws, draw_before, draw_events, geometric_stay, pick
from onebudget.population.synth.people import People
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.spells import (
    DIED,
    emergencies_in_turn,
    end_at_death,
    join,
    planned_around,
    take,
)
from onebudget.population.synth.spells import Spells as Spells
from onebudget.population.synth.window import Window

Strs = npt.NDArray[np.str_]
# 2013 European Standard Population weights for 65-69, 70-74, ..., 90+ (per 100,000).
ESP2013_65_PLUS = {65: 5500, 70: 5000, 75: 4000, 80: 2500, 85: 1500, 90: 1000}


def falls_rates(rates: NationalRates) -> npt.NDArray[np.float64]:
    """Falls admissions per person-year by age, 65+, giving the published DSR (ESP 2013)."""
    relative = band_rates(rates.shape("hospital", "falls_age_shape"), 1.0, min_age=65)
    people = national_weights().sum(axis=1)
    bands = sorted(ESP2013_65_PLUS)
    band_of = np.searchsorted(bands, AGES, side="right") - 1
    dsr = 0.0
    for i, band in enumerate(bands):
        ages = (band_of == i) & (AGES >= 65)
        dsr += ESP2013_65_PLUS[band] * (relative * people)[ages].sum() / people[ages].sum()
    target = rates.figure("hospital", "falls_65_plus_dsr_per_100000") / 100_000
    return np.asarray(relative * target * sum(ESP2013_65_PLUS.values()) / dsr, dtype=np.float64)


def emergency_rates(rates: NationalRates) -> npt.NDArray[np.float64]:
    """All emergency admissions per person-year by age, readmissions included."""
    per_person = rates.figure("hospital", "emergency_admissions_per_1000") / 1000
    return band_rates(rates.shape("hospital", "emergency_admission_age_shape"), per_person)


def _acsc_chance(rates: NationalRates, model: CellModel) -> float:
    """The chance ``q`` of ``primary.non_falls`` that gives the national chronic ACSC share."""
    index = (_drawn_rates(rates)[1], rates.risk("emergency").conditions)
    dying = (terminal.admission_rates(rates), terminal.risk(rates))
    return primary.acsc_probability(rates, model, emergency_rates(rates), index, dying)


def _emergency_stays(
    people: People, draws: Draws, falls: bool, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    ages = people.ages_on(draws.person, draws.date)
    frail = people.frailty[draws.person]
    same_day = rng.random(len(draws)) < (0.1 if falls else 0.35 - 0.2 * np.minimum(ages, 90) / 90)
    mean = (8 + 0.1 * np.maximum(ages - 65, 0)) if falls else 2 + 0.08 * np.maximum(ages - 40, 0)
    stays = geometric_stay(rng, mean + frail)
    return np.where(same_day, 0, stays)


def _destinations(
    people: People, spells: Spells, rates: NationalRates, rng: np.random.Generator
) -> None:
    """Died in hospital (79) if the stay reaches the date of death; otherwise usual place of
    residence (19) or elsewhere, elsewhere more often with age, at the national share (of
    stays, a stay that moves hospital counted once, where it ends)."""
    ages = people.ages_on(spells.person, spells.admidate)
    other = 1 + np.maximum(ages - 65, 0) / 10
    weights = national_weights().sum(axis=1) * emergency_rates(rates)
    mean_other = ((1 + np.maximum(AGES - 65, 0) / 10) * weights).sum() / weights.sum()
    share = 1 - rates.figure("hospital", "discharge_to_usual_residence_share")
    elsewhere = rng.random(len(ages)) < other * share / mean_other
    spells.disdest = np.where(elsewhere, pick(rng, len(ages), codes.OTHER_DESTINATIONS), "19")
    end_at_death(spells, people.dod[spells.person])


def _new_spells(
    people: People,
    draws: Draws,
    stays: npt.NDArray[np.int64],
    methods: Strs,
    coded: Strs,
    classpat: int,
) -> Spells:
    n = len(draws)
    return Spells(
        draws.person,
        draws.date,
        draws.date + stays.astype("m8[D]"),
        methods,
        np.full(n, classpat, dtype=np.int8),
        np.full(n, "19"),
        coded,
        np.zeros(n, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
    )


def _coded(people: People, d: Draws, first: Strs, rng: np.random.Generator) -> Strs:
    """All diagnosis positions of spells with these primary diagnoses (no external cause)."""
    return diagnoses(people, d.person, d.date, first, np.full(len(d), ""), rng)


def _admission_methods(n: int, rates: NationalRates, rng: np.random.Generator) -> Strs:
    via_ae = rng.random(n) < rates.figure("hospital", "ae_admitted_share")
    return np.where(via_ae, "21", pick(rng, n, codes.EMERGENCY_METHODS_NOT_AE))


def concat(parts: list[Spells]) -> Spells:
    """All spells of the place as one possible history: the emergency spells (admission
    method 2x, already one after another from ``emergency_spells``) stay as they are, and
    a planned spell that clashes with a stay or follows a death is cancelled."""
    spells = join(parts)
    emergency = np.char.startswith(spells.admimeth.astype(str), "2")
    return planned_around(take(spells, emergency), take(spells, ~emergency))


def _readmissions(
    people: People, index: Spells, window: Window, rates: NationalRates, rng: np.random.Generator
) -> Spells:
    alive = index.disdest != DIED
    chosen = alive & (rng.random(len(alive)) < rates.figure("hospital", "readmission_30_day_share"))
    who = index.person[chosen]
    when = index.disdate[chosen] + rng.integers(1, 31, chosen.sum()).astype("m8[D]")
    dod = people.dod[who]
    keep = (when < window.end) & (np.isnat(dod) | (when < dod))
    draws = Draws(who[keep], when[keep])
    same = rng.random(len(draws)) < 0.5
    found = np.where(same, index.diagnoses[chosen, 0][keep], primary.acute(people, draws, rng))
    stays = _emergency_stays(people, draws, False, rng)
    methods = _admission_methods(len(draws), rates, rng)
    return _new_spells(people, draws, stays, methods, _coded(people, draws, found, rng), 1)


def _drawn_rates(
    rates: NationalRates,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Falls and other emergency admissions per person-year by age, before readmissions and
    terminal admissions (which are never readmitted: their patients die)."""
    readmit = rates.figure("hospital", "readmission_30_day_share")
    falls = falls_rates(rates)
    ordinary = emergency_rates(rates) - terminal.admission_rates(rates)
    return falls, np.maximum(ordinary / (1 + readmit) - falls, 0)


def _emergency(
    people: People,
    d: Draws,
    falls: bool,
    coded: Strs,
    rates: NationalRates,
    rng: np.random.Generator,
) -> Spells:
    stays = _emergency_stays(people, d, falls, rng)
    return _new_spells(people, d, stays, _admission_methods(len(d), rates, rng), coded, 1)


def _index_spells(
    people: People,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    q: float,
    rng: np.random.Generator,
) -> Spells:
    """Emergency admissions other than readmissions: falls (an injury, its external cause
    among the secondary diagnoses) and the rest."""
    falls, non_falls = _drawn_rates(rates)
    f = draw_events(people, window, falls, rates.risk("falls"), rates, model, rng)
    injury = pick(rng, len(f), codes.FALL_INJURIES)
    cause = pick(rng, len(f), codes.FALL_EXTERNAL_CAUSES)
    falls_diagnoses = diagnoses(people, f.person, f.date, injury, cause, rng)
    e = draw_events(people, window, non_falls, rates.risk("emergency"), rates, model, rng)
    other_diagnoses = _coded(people, e, primary.non_falls(people, e, q, rng), rng)
    return join(
        [
            _emergency(people, f, True, falls_diagnoses, rates, rng),
            _emergency(people, e, False, other_diagnoses, rates, rng),
        ]
    )


def _terminal(
    people: People,
    spells: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    q: float,
    rng: np.random.Generator,
) -> Spells:
    """Emergency admissions in which the patient dies (``terminal``), coded as the others."""
    d = terminal.admissions(people, spells, window, rates, model, rng)
    coded = _coded(people, d, primary.non_falls(people, d, q, rng), rng)
    stays = (people.dod[d.person] - d.date).astype(np.int64)
    spells = _emergency(people, d, False, coded, rates, rng)
    spells.disdate = spells.admidate + stays.astype("m8[D]")
    spells.disdest = np.full(len(d), DIED)
    return spells


def emergency_spells(
    people: People, window: Window, rates: NationalRates, model: CellModel, rng: np.random.Generator
) -> Spells:
    """All emergency stays of the place, one after another; a stay that moves to another
    hospital is still one entry here (``transfers.split`` makes it two spells)."""
    q = _acsc_chance(rates, model)
    index = _index_spells(people, window, rates, model, q, rng)
    transfers.choose(people, index, rng)
    _destinations(people, index, rates, rng)
    falls, non_falls = _drawn_rates(rates)
    before = _spells_before(people, window, falls + non_falls, rates, model, q, rng)
    again = _readmissions(people, join([before, index]), window, rates, rng)
    again = _within(again, window)
    transfers.choose(people, again, rng)
    _destinations(people, again, rates, rng)
    spells = emergencies_in_turn(join([index, again]), people.dod, window.end)
    dying = _terminal(people, spells, window, rates, model, q, rng)
    spells = terminal.end_in_hospital(spells, dying)
    transfers.within(spells, window.end)
    spells.cost_pence = transfers.non_elective_pence(spells, rates)
    return spells


def _spells_before(
    people: People,
    window: Window,
    base: npt.NDArray[np.float64],
    rates: NationalRates,
    model: CellModel,
    q: float,
    rng: np.random.Generator,
) -> Spells:
    """Emergency spells in the month before the window: only their readmissions are kept."""
    d = draw_before(people, window, 31, base, rates.risk("emergency"), model, rng)
    spells = _new_spells(
        people,
        d,
        _emergency_stays(people, d, False, rng),
        np.full(len(d), "21"),
        _coded(people, d, primary.non_falls(people, d, q, rng), rng),
        1,
    )
    _destinations(people, spells, rates, rng)
    return spells


def _within(spells: Spells, window: Window) -> Spells:
    return take(spells, spells.admidate >= window.start)


def _pence(rates: NationalRates, item: str) -> int:
    return int(rates.cost(item) * 100)


def elective_spells(
    people: People, window: Window, rates: NationalRates, model: CellModel, rng: np.random.Generator
) -> Spells:
    per_person = rates.figure("hospital", "elective_admissions_per_1000") / 1000
    shape = {
        0: 0.3,
        5: 0.25,
        15: 0.35,
        20: 0.45,
        30: 0.55,
        40: 0.7,
        50: 1.0,
        60: 1.5,
        70: 2.1,
        80: 2.0,
        90: 1.0,
    }
    d = draw_events(
        people, window, band_rates(shape, per_person), rates.risk("elective"), rates, model, rng
    )
    day_case = rng.random(len(d)) < rates.figure("hospital", "elective_day_case_share")
    stays = np.where(day_case, 0, geometric_stay(rng, np.full(len(d), 3.0)))
    coded = _coded(people, d, pick(rng, len(d), codes.ELECTIVE_DIAGNOSES), rng)
    spells = _new_spells(people, d, stays, pick(rng, len(d), codes.ELECTIVE_METHODS), coded, 1)
    spells.classpat = np.where(day_case, 2, 1).astype(np.int8)
    _destinations(people, spells, rates, rng)
    spells.cost_pence = np.where(
        day_case, _pence(rates, "day_case"), _pence(rates, "elective_inpatient")
    )
    return spells
