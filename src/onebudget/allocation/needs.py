"""Each budget component's need for each place, by its own formula.

NHS components use one of the nine weighted populations summed over the place's practices.
Adult social care and public health use their own formula: the registered population, or a
population by age group with a weight per group, raised or lowered by deprivation (the IMD
2025 average score of the place's districts, weighted by registered population, relative to
England's mean) and multiplied by an area cost adjustment given as input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from onebudget.allocation.geography import deprivation_score, england_mean_score
from onebudget.allocation.populations import INDICES, PracticeNeed
from onebudget.io.problems import Problem
from onebudget.money import ZERO


@dataclass(frozen=True)
class Formula:
    """A component's need formula; exactly one of index, registered or age_weights is used."""

    index: str | None = None
    registered: bool = False
    age_weights: Mapping[str, Decimal] | None = None
    population_by_age: Mapping[str, Mapping[str, Decimal]] | None = None
    deprivation_weight: Decimal = ZERO
    area_cost: Mapping[str, Decimal] | None = None


def place_deprivation(members: Sequence[PracticeNeed]) -> tuple[Decimal | None, list[str]]:
    """The registered-population-weighted IMD 2025 score of the place's districts, and any
    district whose score is not known."""
    total, weight, unknown = ZERO, ZERO, []
    for p in members:
        score = deprivation_score(p.lad)
        if score is None:
            unknown.append(p.lad)
            continue
        total += score * p.population
        weight += p.population
    return (total / weight if weight else None), sorted(set(unknown))


def needs(
    formula: Formula, members: Mapping[str, Sequence[PracticeNeed]], path: str
) -> tuple[dict[str, Decimal], list[Problem]]:
    """Place -> need, or the problems that stop it (every one, not just the first)."""
    base, problems = _base(formula, members, path)
    if formula.deprivation_weight:
        mean = england_mean_score()
        for name, group in members.items():
            score, unknown = place_deprivation(group)
            if unknown or score is None:
                rule = (
                    "districts without an IMD 2025 score (expected scored districts, for the "
                    "deprivation weight)"
                    if unknown
                    else "no registered people to weight its districts' IMD 2025 scores by"
                )
                problems.append(Problem(path=f"places.{name}", value=unknown or None, rule=rule))
                continue
            base[name] = base.get(name, ZERO) * (
                1 + formula.deprivation_weight * (score / mean - 1)
            )
    for name, factor in (formula.area_cost or {}).items():
        if name not in members:
            rule = _not_a_place(members)
            problems.append(Problem(path=f"{path}.area_cost", value=name, rule=rule))
        else:
            base[name] = base.get(name, ZERO) * factor
    return base, problems


def _base(
    formula: Formula, members: Mapping[str, Sequence[PracticeNeed]], path: str
) -> tuple[dict[str, Decimal], list[Problem]]:
    if formula.index is not None:
        at = list(INDICES).index(formula.index)
        return {n: sum((p.weighted[at] for p in ps), ZERO) for n, ps in members.items()}, []
    if formula.registered:
        return {n: sum((p.population for p in ps), ZERO) for n, ps in members.items()}, []
    return _by_age(formula, list(members), path)


def _by_age(
    formula: Formula, places: Sequence[str], path: str
) -> tuple[dict[str, Decimal], list[Problem]]:
    weights = formula.age_weights or {}
    given = formula.population_by_age or {}
    out, problems = {}, []
    for name in places:
        groups = given.get(name)
        if groups is None or set(groups) != set(weights):
            found = "no populations by age" if groups is None else "populations for these ages"
            rule = f"{found} (expected one for each age group: {', '.join(weights)})"
            value = sorted(groups) if groups is not None else None
            problems.append(
                Problem(path=f"{path}.population_by_age.{name}", value=value, rule=rule)
            )
            continue
        out[name] = sum((groups[g] * weights[g] for g in weights), ZERO)
    for name in sorted(set(given) - set(places)):
        rule = _not_a_place(places)
        problems.append(Problem(path=f"{path}.population_by_age", value=name, rule=rule))
    return out, problems


def _not_a_place(places: Iterable[str]) -> str:
    return f"not one of the places (expected one of {', '.join(places)})"
