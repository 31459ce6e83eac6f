"""Admitted patient care spells as arrays, and the rules that make them a possible history.

A person is in one hospital bed at a time and is never admitted after death. Events are drawn
independently per person-year, so an admission can land while the person is still in hospital
from an earlier one, or on the day they died there. Two rules repair that without changing
how many admissions there are: an emergency admission drawn during a stay happens on the day
of discharge instead (a readmission or transfer), and a planned (elective) admission that
clashes with another stay is cancelled, as a planned operation is when the patient is already
in hospital. "Overlap" follows the extract checks: one spell starts before the other ends and
ends after the other starts, so an admission on the discharge day of the last is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

Strs = npt.NDArray[np.str_]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
DIED = "79"
KEY = 1_000_000  # days in a person's sort key: person * KEY + day (dates are ~20,000 days)


@dataclass
class Spells:
    """Spells as arrays, one entry per spell. Before ``transfers.split`` an emergency stay that
    moves to another hospital is one entry: ``transfer_out`` is the day of the stay (counted
    from admission) the first hospital discharges it and ``transfer_in`` the day the second
    admits it, -1 when the stay does not move; offsets rather than dates, so they survive
    moving the stay."""

    person: Ints
    admidate: Dates
    disdate: Dates
    admimeth: Strs
    classpat: npt.NDArray[np.int8]
    disdest: Strs
    diagnoses: Strs  # (spells, 20): ICD-10 codes in positions 1-20, '' where none
    cost_pence: Ints
    transfer_out: Ints
    transfer_in: Ints

    def __len__(self) -> int:
        return len(self.person)


FIELDS = tuple(f.name for f in fields(Spells))


def join(parts: list[Spells]) -> Spells:
    """The spells of several parts as one set, in order."""
    return Spells(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in FIELDS})


def take(spells: Spells, rows: Ints | Bools) -> Spells:
    """The spells at ``rows`` (indices or a mask)."""
    return Spells(**{name: getattr(spells, name)[rows] for name in FIELDS})


def end_at_death(spells: Spells, dod: Dates) -> None:
    """A stay that reaches the date of death (``dod``, per spell) ends with it, in hospital
    (destination 79); a death on or before the day the stay was to move to another hospital
    means it never moves."""
    died = ~np.isnat(dod) & (dod <= spells.disdate)
    spells.disdate = np.where(died, dod, spells.disdate)
    spells.disdest = np.where(died, DIED, spells.disdest)
    moves = spells.transfer_out >= 0
    moved_on = spells.admidate + np.maximum(spells.transfer_out, 0).astype("m8[D]")
    stays = ~(died & moves & (moved_on >= dod))
    spells.transfer_out = np.where(stays, spells.transfer_out, -1)
    spells.transfer_in = np.where(stays, spells.transfer_in, -1)


def _days(dates: Dates) -> Ints:
    return np.asarray(dates.astype("M8[D]").astype(np.int64), dtype=np.int64)


def _by_person(spells: Spells) -> Spells:
    """Sorted by person, then admission, then discharge."""
    return take(spells, np.lexsort((spells.disdate, spells.admidate, spells.person)))


def _previous_discharge(spells: Spells) -> Ints:
    """For spells sorted by person: the latest discharge day among the person's earlier
    spells, or a very early day for their first."""
    key = spells.person * KEY + _days(spells.disdate)
    latest = np.maximum.accumulate(key)
    before = np.concatenate([[-1], latest[:-1]])
    same = before // KEY == spells.person
    return np.where(same, before - spells.person * KEY, np.iinfo(np.int32).min)


def _earlier_death(spells: Spells) -> Bools:
    """For spells sorted by person: an earlier spell of the person ended in death."""
    died = (spells.disdest == DIED).astype(np.int64)
    total = np.cumsum(died)
    first = np.r_[True, spells.person[1:] != spells.person[:-1]]
    at_first = np.maximum.accumulate(np.where(first, np.arange(len(died)), 0))
    return np.asarray(total - died - (total - died)[at_first] > 0, dtype=np.bool_)


def emergencies_in_turn(spells: Spells, dod: Dates, end: np.datetime64) -> Spells:
    """Emergency spells of one person one after another: an admission drawn during a stay
    moves to the discharge day (keeping its length); one moved past the window, past the
    date of death or after a death in hospital is dropped. ``dod`` is indexed by person."""
    spells = _by_person(spells)
    for _ in range(100):
        previous = _previous_discharge(spells)
        shift = np.maximum(previous - _days(spells.admidate), 0)
        if not shift.any():
            break
        spells.admidate = spells.admidate + shift.astype("m8[D]")
        spells.disdate = spells.disdate + shift.astype("m8[D]")
        spells = _by_person(spells)
    death = dod[spells.person]
    alive = np.isnat(death) | (spells.admidate <= death)
    spells = take(spells, alive & (spells.admidate < end))
    end_at_death(spells, dod[spells.person])
    return take(spells, ~_earlier_death(spells))


def _clashes_with(fixed: Spells, planned: Spells) -> Bools:
    """Which planned spells overlap one of the fixed (non-overlapping) spells: the only
    candidate is the person's first fixed spell discharged after the planned admission."""
    if not len(fixed):
        return np.zeros(len(planned), dtype=np.bool_)
    order = np.lexsort((_days(fixed.disdate), fixed.person))
    ends = fixed.person[order] * KEY + _days(fixed.disdate[order])
    first = np.searchsorted(ends, planned.person * KEY + _days(planned.admidate), side="right")
    hit = order[np.minimum(first, len(ends) - 1)]
    same = (first < len(ends)) & (fixed.person[hit] == planned.person)
    return np.asarray(same & (fixed.admidate[hit] < planned.disdate), dtype=np.bool_)


def _death_conflicts(fixed: Spells, planned: Spells, people: int) -> Bools:
    """Planned spells on or after the admission in which the person died as an emergency,
    or ending in death before a later emergency admission."""
    died_at = np.full(people, np.datetime64("9999-12-31", "D"))
    death = fixed.disdest == DIED
    np.minimum.at(died_at, fixed.person[death], fixed.admidate[death])
    last = np.full(people, np.datetime64("1900-01-01", "D"))
    np.maximum.at(last, fixed.person, fixed.admidate)
    after = planned.admidate >= died_at[planned.person]
    before = (planned.disdest == DIED) & (last[planned.person] >= planned.admidate)
    return np.asarray(after | before, dtype=np.bool_)


def planned_around(fixed: Spells, planned: Spells) -> Spells:
    """The fixed (emergency) spells and the planned ones that fit around them and each
    other: a planned spell that clashes, or follows a death, is cancelled. Dropping a spell
    only lowers the discharges before the next, so one pass leaves no clash."""
    people = int(max(fixed.person.max(initial=-1), planned.person.max(initial=-1))) + 1
    keep = ~_clashes_with(fixed, planned) & ~_death_conflicts(fixed, planned, people)
    planned = _by_person(take(planned, keep))
    clash = _days(planned.admidate) < _previous_discharge(planned)
    planned = take(planned, ~clash & ~_earlier_death(planned))
    return join([fixed, planned])
