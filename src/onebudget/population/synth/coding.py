"""Clinical coding of the synthetic spells as SUS records it: every diagnosis position, the
specialty, where the patient came from and how the spell ended.

Secondary diagnoses are the person's long-term conditions and some common comorbidities in
a random order, as coders record them, so a measure that reads one fixed position misses
cases: the external cause of a fall is in a random position from 2 to 6, not always 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population import schema
from onebudget.population.synth import codes
from onebudget.population.synth.cld import KINDS
from onebudget.population.synth.events import pick
from onebudget.population.synth.people import People
from onebudget.population.synth.procedures import procedures
from onebudget.population.synth.spells import KEY, Spells

Strs = npt.NDArray[np.str_]
Ints = npt.NDArray[np.int64]
Dates = npt.NDArray[np.datetime64]
POSITIONS = len(schema.DIAGNOSES)
CAUSE_POSITIONS = (2, 6)  # the external cause of a fall goes in one of these, inclusive
TRANSFER_IN = "2B"  # admission method: emergency transfer from another hospital provider


@dataclass
class Coding:
    """What coding adds to the spells, one entry per spell."""

    admisorc: Strs
    mainspef: Strs
    tretspef: Strs
    dismeth: Strs
    procedures: Strs  # (spells, 24): OPCS-4 codes, '' where none
    procedure_dates: Dates  # (spells, 24): NaT where no procedure


def _candidates(people: People, who: Ints, ages: Ints, rng: np.random.Generator) -> Strs:
    """Each person's condition codes, and some other comorbidities (more with age), as a
    (people, codes) matrix with '' for those they do not have."""
    names = list(codes.CONDITION_CODES)
    has = np.stack([people.conditions[n][who] for n in names], axis=1)
    labels = np.array([codes.CONDITION_CODES[n] for n in names])
    found = np.where(has, labels[None, :], "")
    extra = len(codes.OTHER_COMORBIDITIES)
    chance = np.minimum(0.02 + ages / 400, 0.3)[:, None]
    other = np.where(rng.random((len(who), extra)) < chance, codes.OTHER_COMORBIDITIES, "")
    return np.asarray(np.concatenate([found, other], axis=1), dtype="<U4")


def diagnoses(
    people: People, who: Ints, when: Dates, primary: Strs, cause: Strs, rng: np.random.Generator
) -> Strs:
    """All 20 diagnosis positions: the primary, then the secondary codes shuffled and with
    no gaps, the external ``cause`` (or '') in a random position from 2 to 6 among them."""
    n = len(who)
    found = _candidates(people, who, people.ages_on(who, when), rng)
    found = np.where(found == primary[:, None], "", found)
    order = np.argsort(rng.random(found.shape) + (found == ""), axis=1, kind="stable")
    secondary = np.take_along_axis(found, order, axis=1)
    width = POSITIONS - 1
    secondary = np.concatenate([secondary, np.full((n, width), "")], axis=1)[:, :width]
    low, high = CAUSE_POSITIONS
    slot = rng.integers(low - 2, high - 1, n)  # index among the secondary positions
    secondary = _insert(secondary, cause, slot)
    return np.asarray(np.concatenate([primary[:, None], secondary], axis=1), dtype="<U4")


def _insert(secondary: Strs, cause: Strs, slot: Ints) -> Strs:
    """``cause`` put at ``slot`` (or after the last code, if fewer), the codes from there
    moving one along, in the rows that have a cause."""
    has_cause = cause != ""
    secondary = secondary.copy()
    secondary[has_cause, -1] = ""  # room for the cause: the last position drops off
    at = np.minimum(slot, (secondary != "").sum(axis=1))[:, None]
    column = np.arange(secondary.shape[1])[None, :]
    shifted = np.concatenate([np.full((len(cause), 1), ""), secondary[:, :-1]], axis=1)
    inserted = np.where(column < at, secondary, np.where(column == at, cause[:, None], shifted))
    return np.where(has_cause[:, None], inserted, secondary)


def specialties(primary: Strs, ages: Ints) -> tuple[Strs, Strs]:
    """Main specialty and treatment function from the primary diagnosis and age."""
    unique, back = np.unique(primary, return_inverse=True)
    rules = [_rule(str(code)) for code in unique]
    main = np.array([r[0] for r in rules], dtype="<U3")[back]
    treatment = np.array([r[1] for r in rules], dtype="<U3")[back]
    medical = np.array([r[2] for r in rules], dtype=bool)[back]
    general = np.array([r[3] for r in rules], dtype=bool)[back]
    main = np.where(general & (ages >= 75), codes.GERIATRIC_MEDICINE, main)
    main = np.where(medical & (ages < 16), codes.PAEDIATRICS, main)
    treatment = np.where(general | medical, main, treatment)
    return main, treatment


def _rule(code: str) -> tuple[str, str, bool, bool]:
    """(main specialty, treatment function, medical, general medicine) for one code."""
    for prefixes, main, treatment, medical in codes.SPECIALTIES:
        if code.startswith(prefixes):
            return main, treatment, medical, False
    return codes.GENERAL_MEDICINE, codes.GENERAL_MEDICINE, True, True


class CareHomes:
    """Long-term care home placements in the CLD, to find who lived in one when admitted."""

    def __init__(self, cld: dict[str, np.ndarray]) -> None:
        service = cld["Service_Type"]
        kinds = {KINDS[k].service_type: k for k in codes.CARE_HOME_SOURCES}
        placed = np.isin(service, list(kinds))
        start = cld["Event_Start_Date"][placed].astype("M8[D]")
        order = np.lexsort((start, cld["person"][placed]))
        self.keys = cld["person"][placed][order] * KEY + start[order].astype(np.int64)
        self.end = cld["Event_End_Date"][placed][order].astype("M8[D]")
        self.kind = np.array([kinds[s] for s in service[placed][order]], dtype="<U11")

    def kind_on(self, who: Ints, day: Dates) -> Strs:
        """The kind of care home each person was placed in on ``day`` (begun before it and
        not ended before it), or ''."""
        if not len(self.keys):
            return np.full(len(who), "", dtype="<U11")
        days = day.astype("M8[D]").astype(np.int64)
        i = np.searchsorted(self.keys, who * KEY + days, side="left") - 1
        j = np.maximum(i, 0)
        open_ = np.isnat(self.end[j]) | (self.end[j] >= day)
        found = (i >= 0) & (self.keys[j] // KEY == who) & open_
        return np.where(found, self.kind[j], "")


def admission_sources(spells: Spells, homes: CareHomes, rng: np.random.Generator) -> Strs:
    """51 for a transfer in; the care home for its residents; mostly 19, some 29."""
    n = len(spells)
    source = np.where(rng.random(n) < codes.TEMPORARY_RESIDENCE_SHARE, "29", "19")
    kind = homes.kind_on(spells.person, spells.admidate)
    for name, options in codes.CARE_HOME_SOURCES.items():
        rows = kind == name
        source[rows] = pick(rng, int(rows.sum()), options)
    return np.where(spells.admimeth == TRANSFER_IN, "51", source)


def discharge_methods(spells: Spells, ages: Ints, rng: np.random.Generator) -> Strs:
    """4 (died) exactly when the destination is 79; some adults of working age leave an
    emergency stay against advice (2); the rest on clinical advice (1)."""
    emergency = np.char.startswith(spells.admimeth, "2")
    working = (ages >= 18) & (ages <= 64) & (spells.disdest == "19") & emergency
    left = working & (rng.random(len(spells)) < codes.SELF_DISCHARGE_SHARE)
    return np.where(spells.disdest == "79", "4", np.where(left, "2", "1"))


def code(spells: Spells, people: People, homes: CareHomes, rng: np.random.Generator) -> Coding:
    ages = people.ages_on(spells.person, spells.admidate)
    main, treatment = specialties(spells.diagnoses[:, 0], ages)
    operations, dates = procedures(spells, rng)
    return Coding(
        admission_sources(spells, homes, rng),
        main,
        treatment,
        discharge_methods(spells, ages, rng),
        operations,
        dates,
    )
