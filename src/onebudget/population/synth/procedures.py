"""OPCS-4 procedures of the synthetic spells, with their dates, as SUS records them.

A planned admission is for its operation (``codes.ELECTIVE_PROCEDURES``), done on the day of
admission or, in an overnight stay, sometimes the day after; an overnight stay also records
what goes with the operation (a lens implant, the approach, the side). Most emergency spells
have no procedure; some diagnoses have a share with one (``codes.EMERGENCY_PROCEDURES``),
dated early in the stay.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from onebudget.population import schema
from onebudget.population.synth import codes
from onebudget.population.synth.events import pick
from onebudget.population.synth.spells import Spells

Strs = npt.NDArray[np.str_]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Dates = npt.NDArray[np.datetime64]
POSITIONS = len(schema.PROCEDURES)
NO_DATE = np.datetime64("NaT", "D")


def starts(values: Strs, prefixes: tuple[str, ...]) -> Bools:
    """Which values start with one of the prefixes."""
    found = np.zeros(len(values), dtype=bool)
    for prefix in prefixes:
        found |= np.char.startswith(values, prefix)
    return found


def uncounted_acsc_share(code: str) -> float:
    """Share of emergency spells with primary diagnosis ``code`` that the chronic ACSC
    indicator leaves out for their procedure (``codes.ACSC_UNLESS_PROCEDURE``): those given
    a chapter K (heart) procedure by ``codes.EMERGENCY_PROCEDURES``. The generator draws
    more of these diagnoses by as much, so the counted share is the published one."""
    if not code.startswith(codes.ACSC_UNLESS_PROCEDURE):
        return 0.0
    share = 0.0
    for prefixes, rule_share, options in codes.EMERGENCY_PROCEDURES:
        if code.startswith(prefixes):
            cardiac = sum(w for c, w in options.items() if c.startswith("K"))
            share += rule_share * cardiac / sum(options.values())
    return share


def _stay(spells: Spells) -> Ints:
    return np.asarray((spells.disdate - spells.admidate).astype(np.int64), dtype=np.int64)


def _elective(spells: Spells, ops: Strs, when: Dates, rng: np.random.Generator) -> None:
    """Each planned spell's operation, and in an overnight stay what goes with it."""
    planned = np.char.startswith(spells.admimeth, "1")
    later = (_stay(spells) >= 1) & (rng.random(len(spells)) < 0.25)
    day = spells.admidate + later.astype("m8[D]")
    side = np.where(rng.random(len(spells)) < 0.5, "Z942", "Z943")
    for diagnosis, base in codes.ELECTIVE_PROCEDURES.items():
        rows = planned & (spells.diagnoses[:, 0] == diagnosis)
        ordinary = rows & (spells.classpat == 1)
        extras = codes.ELECTIVE_EXTRAS.get(base[0], ())
        _put(ops, when, rows, 0, np.array(base), day)
        _put(ops, when, ordinary, len(base), np.array(extras, dtype="<U4"), day)
        if base[0] in codes.SIDED:
            _put(ops, when, ordinary, len(base) + len(extras), side[ordinary, None], day)


def _put(ops: Strs, when: Dates, rows: Bools, first: int, values: Strs, day: Dates) -> None:
    """Codes ``values`` (one row for all, or one per row) from position ``first``."""
    width = values.shape[-1]
    if not width or not rows.any():
        return
    ops[rows, first : first + width] = values
    when[rows, first : first + width] = day[rows, None]


def _emergency(spells: Spells, ops: Strs, when: Dates, rng: np.random.Generator) -> None:
    """A share of emergency spells with some diagnoses have one procedure, early in the
    stay; rules on the same diagnosis take disjoint shares of one draw."""
    n = len(spells)
    rows = np.char.startswith(spells.admimeth, "2")
    primary = spells.diagnoses[:, 0]
    u, used, matched = rng.random(n), np.zeros(n), np.zeros(n, dtype=bool)
    hit = np.zeros(n, dtype=bool)
    for prefixes, share, options in codes.EMERGENCY_PROCEDURES:
        match = rows & starts(primary, prefixes)
        now = match & (u >= used) & (u < used + share)
        ops[now, 0] = pick(rng, int(now.sum()), options)
        used, matched, hit = np.where(match, used + share, used), matched | match, hit | now
    share, options = codes.OTHER_EMERGENCY_PROCEDURES
    other = rows & ~matched & (u < share)
    ops[other, 0] = pick(rng, int(other.sum()), options)
    hit |= other
    offset = np.minimum(rng.geometric(0.5, n) - 1, _stay(spells))
    when[hit, 0] = (spells.admidate + offset.astype("m8[D]"))[hit]


def procedures(spells: Spells, rng: np.random.Generator) -> tuple[Strs, Dates]:
    """The (spells, 24) procedure codes ('' where none) and their dates (NaT where none)."""
    n = len(spells)
    ops = np.full((n, POSITIONS), "", dtype="<U4")
    when = np.full((n, POSITIONS), NO_DATE, dtype="M8[D]")
    _elective(spells, ops, when, rng)
    _emergency(spells, ops, when, rng)
    return ops, when
