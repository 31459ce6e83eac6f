"""Stays that move from the place's hospital to another: two provider spells, one stay.

SUS records a transfer as two provider spells: the first ends with discharge destination 51
(another NHS hospital), the second, at the other provider, starts the same day or the next
with source of admission 51 and admission method 2B. ``population.cips`` joins them into one
continuous inpatient spell, which is what the national measures count.

A stay is drawn whole and only split at the end (``split``), so everything that keeps a
person in one bed at a time, dying at most once, treats it as the one stay it is; social care
sees the stay, not the two spells.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population.synth import codes
from onebudget.population.synth.coding import TRANSFER_IN, diagnoses
from onebudget.population.synth.events import geometric_stay, pick
from onebudget.population.synth.people import People
from onebudget.population.synth.procedures import starts
from onebudget.population.synth.rates import NationalRates
from onebudget.population.synth.spells import Spells, join, take

Ints = npt.NDArray[np.int64]
SHARE = 0.025  # of overnight emergency stays at 65, more with age (HES: about 2-3%)
NEXT_DAY = 0.3  # share admitted by the second hospital the day after the first discharges
MORE_DAYS = 4.0  # mean further stay at the second hospital
SAME_PRIMARY = 0.85  # share coded with the first hospital's primary diagnosis
TO_ANOTHER_HOSPITAL = "51"
# Maternity and mental health stays move to other kinds of ward (52, 53): not drawn here.
NOT_MOVED = ("O", "F1", "F2", "F3")
ELSEWHERE = {k: v for k, v in codes.ACUTE_DIAGNOSES.items() if not k.startswith(NOT_MOVED)}


def _days(spells: Spells) -> Ints:
    return np.asarray((spells.disdate - spells.admidate).astype(np.int64), dtype=np.int64)


def choose(people: People, spells: Spells, rng: np.random.Generator) -> None:
    """Some overnight emergency stays move to another hospital, more often with age: the
    first hospital's part is the stay as drawn, and the stay goes on a few days there."""
    n = len(spells)
    stay = _days(spells)
    ages = people.ages_on(spells.person, spells.admidate)
    chance = SHARE * (1 + np.maximum(ages - 65, 0) / 20) * (ages >= 16)
    eligible = (stay >= 1) & ~starts(spells.diagnoses[:, 0], NOT_MOVED)
    moves = eligible & (rng.random(n) < chance)
    gap = (rng.random(n) < NEXT_DAY).astype(np.int64)
    more = geometric_stay(rng, np.full(n, MORE_DAYS))
    spells.transfer_out = np.where(moves, stay, -1)
    spells.transfer_in = np.where(moves, stay + gap, -1)
    spells.disdate = np.where(moves, spells.disdate + (gap + more).astype("m8[D]"), spells.disdate)


def within(spells: Spells, end: np.datetime64) -> None:
    """A stay that would move on or after the window's ``end`` stays where it is: an extract
    ending then would show the discharge to another hospital but not the admission there."""
    moves_on = spells.admidate + np.maximum(spells.transfer_in, 0).astype("m8[D]")
    late = (spells.transfer_in >= 0) & (moves_on >= end)
    spells.transfer_out = np.where(late, -1, spells.transfer_out)
    spells.transfer_in = np.where(late, -1, spells.transfer_in)


def non_elective_pence(spells: Spells, rates: NationalRates) -> Ints:
    """The national unit cost of each emergency spell: short stay (under two days) or long."""
    short, long = (int(rates.cost(f"non_elective_{k}_stay") * 100) for k in ("short", "long"))
    return np.asarray(np.where(_days(spells) >= 2, long, short), dtype=np.int64)


def _moved(people: People, stays: Spells, rates: NationalRates, rng: np.random.Generator) -> Spells:
    """The second hospital's spells of the moving stays."""
    second = take(stays, np.arange(len(stays)))
    second.admidate = stays.admidate + stays.transfer_in.astype("m8[D]")
    second.admimeth = np.full(len(stays), TRANSFER_IN)
    first_primary = stays.diagnoses[:, 0]
    same = (rng.random(len(stays)) < SAME_PRIMARY) | starts(first_primary, ("S", "T"))
    primary = np.where(same, first_primary, pick(rng, len(stays), ELSEWHERE))
    secondary = stays.diagnoses[:, 1:]
    external = starts(secondary.ravel(), ("V", "W", "X", "Y")).reshape(secondary.shape)
    found = secondary[np.arange(len(stays)), external.argmax(axis=1)]
    cause = np.where(external.any(axis=1), found, "")  # the fall's external cause, or ''
    second.diagnoses = diagnoses(people, second.person, second.admidate, primary, cause, rng)
    second.cost_pence = non_elective_pence(second, rates)
    return second


def split(spells: Spells, people: People, rates: NationalRates, rng: np.random.Generator) -> Spells:
    """Each moving stay as its two provider spells; every spell's transfer days cleared."""
    moving = spells.transfer_out >= 0
    stays = take(spells, moving)
    second = _moved(people, stays, rates, rng)
    first = take(stays, np.arange(len(stays)))
    first.disdate = stays.admidate + stays.transfer_out.astype("m8[D]")
    first.disdest = np.full(len(stays), TO_ANOTHER_HOSPITAL)
    first.cost_pence = non_elective_pence(first, rates)
    out = join([take(spells, ~moving), first, second])
    out.transfer_out = np.full(len(out), -1)
    out.transfer_in = np.full(len(out), -1)
    return out
