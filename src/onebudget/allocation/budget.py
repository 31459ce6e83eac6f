"""A budget allocation from a reviewed YAML configuration: places, components, pace of change.

    year: 2025/26
    budget: 2500000000.00
    icb: QWO
    places:                       # each a local authority district or a list of practices
      Leeds: {lad: E08000035}
      Central Bradford: {practices: [B82001, B82005]}
    components:                   # shares add up to 1
      - {name: Core NHS services, share: 0.85, index: Overall core}
      - {name: Primary medical care, share: 0.10, index: Primary medical care}
      - name: Adult social care
        share: 0.05
        population: registered    # need: registered population...
        deprivation_weight: 0.5   # ...raised or lowered by the area's IMD 2025 score
        area_cost: {Leeds: 1.02}  # an area cost adjustment, default 1
    baseline: {Leeds: 2000000000.00, Central Bradford: 100000000.00}   # optional
    pace: {floor: 0.02, cap: 0.05}                                      # with a baseline

Needs come from the year's GP-practice weighted populations (an index's weighted
population, summed over the place's practices). Money is split with ``money.allocate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from onebudget.allocation.populations import INDICES, PracticeNeed, practices
from onebudget.allocation.targets import Component, Paced, by_components, pace_of_change
from onebudget.io import yamlio
from onebudget.io.problems import Problem
from onebudget.money import ZERO
from onebudget.population.reference import council_profiles


class BudgetError(ValueError):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaceSpec(_Strict):
    lad: str | None = None
    practices: list[str] | None = None


class ComponentSpec(_Strict):
    name: str
    share: Decimal = Field(gt=0, le=1)
    index: Literal[tuple(INDICES)] | None = None  # type: ignore[valid-type]
    population: Literal["registered"] | None = None
    deprivation_weight: Decimal = Decimal(0)
    area_cost: dict[str, Decimal] = Field(default_factory=dict)


class Pace(_Strict):
    floor: Decimal
    cap: Decimal | None = None


class BudgetConfig(_Strict):
    year: str
    budget: Decimal = Field(gt=0)
    icb: str
    places: dict[str, PlaceSpec] = Field(min_length=1)
    components: list[ComponentSpec] = Field(min_length=1)
    baseline: dict[str, Decimal] | None = None
    pace: Pace | None = None


@dataclass(frozen=True)
class BudgetResult:
    config: BudgetConfig
    population: dict[str, Decimal]
    by_place: dict[str, dict[str, Decimal]]
    paced: dict[str, Paced] | None

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for place, parts in self.by_place.items():
            total = sum(parts.values(), ZERO)
            pop = self.population[place]
            row: dict[str, Any] = {"place": place, **parts, "target": total}
            row["per_head"] = (total / pop).quantize(Decimal("0.01")) if pop else None
            if self.paced:
                p = self.paced[place]
                row |= {"baseline": p.baseline, "allocation": p.allocation,
                        "growth": float(round(p.growth, 4)),
                        "distance_before": float(round(p.distance_before, 4)),
                        "distance_after": float(round(p.distance_after, 4))}  # fmt: skip
            out.append(row)
        return out


def load_budget(text: str, *, source: str) -> BudgetConfig:
    try:
        config = BudgetConfig.model_validate(yamlio.load(text))
    except ValidationError as error:
        problems = [
            Problem(path=".".join(str(x) for x in e["loc"]), value=e.get("input"), rule=e["msg"])
            for e in error.errors()
        ]
        raise BudgetError(source, problems) from None
    problems = _check(config)
    if problems:
        raise BudgetError(source, problems)
    return config


def _check(c: BudgetConfig) -> list[Problem]:
    problems = []
    if sum((x.share for x in c.components), ZERO) != 1:
        problems.append(
            Problem(
                path="components",
                value=[str(x.share) for x in c.components],
                rule="shares add up to 1",
            )
        )
    for i, x in enumerate(c.components):
        if (x.index is None) == (x.population is None):
            problems.append(
                Problem(
                    path=f"components.{i}",
                    value=x.name,
                    rule="give an index or population: registered",
                )
            )
    for name, spec in c.places.items():
        if (spec.lad is None) == (spec.practices is None):
            problems.append(
                Problem(path=f"places.{name}", value=None, rule="give lad or practices")
            )
    if (c.baseline is None) != (c.pace is None):
        problems.append(Problem(path="pace", value=None, rule="a baseline and pace go together"))
    elif c.baseline is not None and set(c.baseline) != set(c.places):
        problems.append(
            Problem(path="baseline", value=sorted(c.baseline), rule="one baseline for each place")
        )
    return problems


def _members(config: BudgetConfig) -> dict[str, list[PracticeNeed]]:
    icb = [p for p in practices(config.year) if p.icb == config.icb]
    problems = (
        [] if icb else [Problem(path="icb", value=config.icb, rule=f"an ICB in {config.year}")]
    )
    out = {}
    for name, spec in config.places.items():
        if spec.lad is not None:
            chosen = [p for p in icb if p.lad == spec.lad]
        else:
            codes = set(spec.practices or ())
            chosen = [p for p in icb if p.code in codes]
            missing = codes - {p.code for p in chosen}
            if missing:
                problems.append(
                    Problem(
                        path=f"places.{name}.practices",
                        value=sorted(missing),
                        rule=f"practices of {config.icb}",
                    )
                )
        if not chosen:
            problems.append(
                Problem(
                    path=f"places.{name}", value=spec.lad, rule=f"has practices in {config.icb}"
                )
            )
        out[name] = chosen
    if problems:
        raise BudgetError("budget", problems)
    return out


def allocate_budget(config: BudgetConfig) -> BudgetResult:
    members = _members(config)
    population = {n: sum((p.population for p in ps), ZERO) for n, ps in members.items()}
    components = [_component(config, x, members, population) for x in config.components]
    by_place = by_components(config.budget, components)
    paced = None
    if config.baseline is not None and config.pace is not None:
        needs = {n: sum(parts.values(), ZERO) for n, parts in by_place.items()}
        paced = pace_of_change(
            config.budget, config.baseline, needs, floor=config.pace.floor, cap=config.pace.cap
        )
    return BudgetResult(config, population, by_place, paced)


def _component(
    config: BudgetConfig,
    spec: ComponentSpec,
    members: dict[str, list[PracticeNeed]],
    population: dict[str, Decimal],
) -> Component:
    if spec.index is not None:
        at = list(INDICES).index(spec.index)
        needs = {n: sum((p.weighted[at] for p in ps), ZERO) for n, ps in members.items()}
    else:
        needs = dict(population)
    profiles = council_profiles()
    mean = Decimal(str(sum(p.imd_average_score for p in profiles.values()) / len(profiles)))
    for name in needs:
        lad = config.places[name].lad
        if spec.deprivation_weight and lad in profiles:
            score = Decimal(str(profiles[lad].imd_average_score))
            needs[name] *= 1 + spec.deprivation_weight * (score / mean - 1)
        needs[name] *= spec.area_cost.get(name, Decimal(1))
    return Component(spec.name, spec.share, needs)
