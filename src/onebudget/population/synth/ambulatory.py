"""A&E attendances (ECDS-style), outpatient appointments (HES OP) and community health
contacts (CSDS-style).

A&E attendances that end in admission are the emergency spells with admission method 21,
on the same day; the rest are drawn so that all attendances together meet England's rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from onebudget.population.synth import codes
from onebudget.population.synth.cells import AGES, CellModel, band_rates
from onebudget.population.synth.events import draw_events, pick
from onebudget.population.synth.hospital import Spells, emergency_rates
from onebudget.population.synth.people import People
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.window import Window

AE_SHAPE = {
    0: 1.6,
    1: 1.0,
    5: 0.7,
    15: 1.0,
    20: 1.1,
    30: 0.95,
    40: 0.85,
    50: 0.85,
    60: 0.9,
    70: 1.2,
    80: 1.9,
    90: 2.6,
}
OUTPATIENT_SHAPE = {
    0: 0.8,
    5: 0.5,
    15: 0.6,
    20: 0.75,
    30: 0.85,
    40: 0.9,
    50: 1.1,
    60: 1.45,
    70: 1.9,
    80: 2.0,
    90: 1.3,
}


@dataclass
class Activity:
    """A table of dated events for people, with its own columns."""

    person: npt.NDArray[np.int64]
    date: npt.NDArray[np.datetime64]
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    cost_pence: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))


def _pence(rates: NationalRates, item: str) -> int:
    return int(rates.cost(item) * 100)


def ae_attendances(
    people: People,
    emergency: Spells,
    window: Window,
    rates: NationalRates,
    model: CellModel,
    rng: np.random.Generator,
) -> Activity:
    total = rates.figure("hospital", "ae_attendances_per_1000") / 1000
    admitted_share = rates.figure("hospital", "ae_admitted_share")
    rest = np.maximum(band_rates(AE_SHAPE, total) - admitted_share * emergency_rates(rates), 0)
    other = draw_events(people, window, rest, rates.risk("ae"), rates, model, rng)
    admitted = emergency.admimeth == "21"
    person = np.concatenate([emergency.person[admitted], other.person])
    date = np.concatenate([emergency.admidate[admitted], other.date])
    n_admitted, n = int(admitted.sum()), len(person)
    disposal = np.concatenate(
        [
            np.full(n_admitted, "admitted"),
            pick(rng, len(other), {"discharged": 0.8, "referred": 0.2}),
        ]
    )
    ages = people.ages_on(person, date)
    ambulance = rng.random(n) < np.where(disposal == "admitted", 0.55, 0.1 + ages / 400)
    columns = {
        "ec_department_type": np.where(rng.random(n) < 0.85, "01", "03"),
        "arrival_mode": np.where(ambulance, "ambulance", "walk-in or other"),
        "attendance_disposal": disposal,
    }
    return Activity(person, date, columns, np.full(n, _pence(rates, "ae_attendance")))


def outpatient_appointments(
    people: People, window: Window, rates: NationalRates, model: CellModel, rng: np.random.Generator
) -> Activity:
    attended_rate = rates.figure("hospital", "outpatient_attendances_per_1000") / 1000
    missed = rates.figure("hospital", "outpatient_did_not_attend_share")
    base = band_rates(OUTPATIENT_SHAPE, attended_rate / (1 - missed))
    d = draw_events(people, window, base, rates.risk("outpatient"), rates, model, rng)
    n = len(d)
    first = rng.random(n) < 0.3
    attended = rng.random(n) >= missed
    cost = np.where(first, _pence(rates, "outpatient_first"), _pence(rates, "outpatient_follow_up"))
    columns = {
        "firstatt": np.where(first, "1", "2"),
        "attended": np.where(attended, "5", "3"),  # HES: 5 attended on time, 3 did not attend
        "tretspef": pick(rng, n, codes.OUTPATIENT_SPECIALTIES),
    }
    return Activity(d.person, d.date, columns, np.where(attended, cost, 0).astype(np.int64))


def community_contacts(
    people: People, window: Window, rates: NationalRates, model: CellModel, rng: np.random.Generator
) -> Activity:
    older = rates.figure("community", "contacts_per_1000_65_plus") / 1000
    younger = rates.figure("community", "contacts_per_1000_under_65") / 1000
    ucr = rates.figure("community", "urgent_community_response_per_1000_65_plus") / 1000
    routine = draw_events(
        people,
        window,
        np.where(AGES >= 65, older, younger),
        rates.risk("community"),
        rates,
        model,
        rng,
    )
    urgent = draw_events(
        people, window, np.where(AGES >= 65, ucr, 0.0), rates.risk("community"), rates, model, rng
    )
    ages = people.ages_on(routine.person, routine.date)
    teams = np.where(
        ages >= 65,
        pick(rng, len(routine), codes.COMMUNITY_TEAMS_65_PLUS),
        pick(rng, len(routine), codes.COMMUNITY_TEAMS_UNDER_65),
    )
    person = np.concatenate([routine.person, urgent.person])
    date = np.concatenate([routine.date, urgent.date])
    team = np.concatenate([teams, np.full(len(urgent), "urgent community response")])
    minutes = rng.choice(np.array([15, 20, 30, 45, 60], dtype=np.int16), size=len(person))
    columns = {"team_type": team, "contact_duration_minutes": minutes}
    return Activity(person, date, columns, np.full(len(person), _pence(rates, "community_contact")))
