"""Need indices exactly as NHS England's place-based allocation tool computes them.

An ICB's index is its weighted population over its population, relative to England's; a
place's (any list of the ICB's practices) is its own ratio relative to the ICB's. Indices
are rounded half up to three decimals. The tool has used two conventions, both offered:
sums of people as they are (``whole_people=False``), or each sum rounded to whole people
before dividing (``True``). Arithmetic is in Decimal, so the rounding is the published one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from onebudget.allocation.populations import INDICES, PracticeNeed, practices, unknown_icb

THOUSANDTH = Decimal("0.001")


class UnknownAreaError(ValueError):
    """An ICB or practice code that the year's published populations do not hold."""


@dataclass(frozen=True)
class Totals:
    population: Decimal
    weighted: tuple[Decimal, ...]

    def ratios(self) -> tuple[Decimal, ...]:
        return tuple(w / self.population for w in self.weighted)


def totals(group: Sequence[PracticeNeed], *, whole_people: bool = False) -> Totals:
    population = sum((p.population for p in group), Decimal(0))
    weighted = [sum((p.weighted[i] for p in group), Decimal(0)) for i in range(len(INDICES))]
    if whole_people:
        population = population.quantize(Decimal(1), ROUND_HALF_UP)
        weighted = [w.quantize(Decimal(1), ROUND_HALF_UP) for w in weighted]
    return Totals(population, tuple(weighted))


def _relative(mine: Totals, base: Totals) -> dict[str, Decimal]:
    return {
        name: (a / b).quantize(THOUSANDTH, ROUND_HALF_UP)
        for name, a, b in zip(INDICES, mine.ratios(), base.ratios(), strict=True)
    }


def icb_indices(year: str, icb: str, *, whole_people: bool = False) -> dict[str, Decimal]:
    """The ICB's nine indices relative to England."""
    return dict(_icb_indices(year, icb, whole_people))


def place_indices(
    year: str, icb: str, codes: Sequence[str], *, whole_people: bool = False
) -> dict[str, Decimal]:
    """A place's nine indices relative to its ICB; every practice must be in the ICB."""
    return dict(_place_indices(year, icb, tuple(codes), whole_people))


# The published populations never change, so each answer is worked out once per process
# (pages ask for the same ICBs and places on every view); callers get their own copy.
@lru_cache(maxsize=64)
def _icb_indices(year: str, icb: str, whole_people: bool) -> dict[str, Decimal]:
    everyone = practices(year)
    members = [p for p in everyone if p.icb == icb]
    if not members:
        raise UnknownAreaError(f"{icb}: {unknown_icb(year)}")
    return _relative(totals(members, whole_people=whole_people), _england(year, whole_people))


@lru_cache(maxsize=8)
def _england(year: str, whole_people: bool) -> Totals:
    return totals(practices(year), whole_people=whole_people)


@lru_cache(maxsize=512)
def _place_indices(
    year: str, icb: str, codes: tuple[str, ...], whole_people: bool
) -> dict[str, Decimal]:
    members = [p for p in practices(year) if p.icb == icb]
    if not members:
        raise UnknownAreaError(f"{icb}: {unknown_icb(year)}")
    by_code = {p.code: p for p in members}
    unknown = [c for c in codes if c not in by_code]
    if unknown or not codes:
        found = f"{', '.join(unknown)}: not practices of {icb} in {year}" if unknown else ""
        expected = f"expected practice codes of {icb}, like {min(by_code)}"
        raise UnknownAreaError(f"{found} ({expected})" if found else f"no practices ({expected})")
    place = [by_code[c] for c in dict.fromkeys(codes)]
    return _relative(
        totals(place, whole_people=whole_people), totals(members, whole_people=whole_people)
    )
