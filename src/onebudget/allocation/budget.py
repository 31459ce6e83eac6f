"""A budget allocation from a reviewed YAML configuration: places, components, pace of change.

    year: 2025/26
    budget: 2500000000.00
    icb: QWO
    places:                       # each by practices, pcn, lad or council (one code or a list)
      Leeds: {lad: E08000035}
      Kirklees: {council: E08000034}
      Central Bradford: {practices: [B82001, B82005]}
    components:                   # shares add up to 1
      - {name: Core NHS services, share: 0.85, index: Overall core}
      - {name: Public health, share: 0.05, population: registered, deprivation_weight: 1}
      - name: Adult social care
        share: 0.10
        population: by_age        # need: people in each age group times its weight...
        age_weights: {18-64: 1, 65-84: 4, 85+: 12}
        population_by_age: {Leeds: {18-64: 520000, 65-84: 110000, 85+: 16000}, ...}
        deprivation_weight: 0.5   # ...raised or lowered by the place's IMD 2025 score
        area_cost: {Leeds: 1.02}  # an area cost adjustment, default 1
    baseline: {Leeds: 2000000000.00, Kirklees: 400000000.00, ...}   # optional
    pace: {floor: 0.02, cap: 0.05}                                    # with a baseline

NHS needs come from the year's GP-practice weighted populations (an index's weighted
population, summed over the place's practices); the formulae are in ``needs``. Money is
split with ``money.allocate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from onebudget.allocation.needs import Formula, needs
from onebudget.allocation.places import Choice, choose, practices_by_code
from onebudget.allocation.populations import INDICES, YEARS, PracticeNeed
from onebudget.allocation.targets import Component, Paced, by_components, pace_of_change
from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems
from onebudget.money import ZERO, Money


class BudgetError(ProblemsError):
    """Problems in a budget configuration or its places and formulae."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Codes = Annotated[list[str], BeforeValidator(_listed)]
# Bounds on the numbers of a formula, wide enough for any real one, so that a value such as
# 1e400 is a problem on load, not an overflow in the arithmetic of the allocation.
Weight = Annotated[Decimal, Field(ge=0, le=10_000)]
People = Annotated[Decimal, Field(ge=0, le=10**9)]
Rate = Annotated[Decimal, Field(ge=-1, le=1)]  # growth: -1 is -100%


class PlaceSpec(_Strict):
    practices: Codes = Field(default_factory=list)
    pcn: Codes = Field(default_factory=list)
    lad: Codes = Field(default_factory=list)
    council: Codes = Field(default_factory=list)

    def choice(self) -> Choice:
        return Choice(tuple(self.practices), tuple(self.pcn), tuple(self.lad), tuple(self.council))


class ComponentSpec(_Strict):
    name: str
    share: Decimal = Field(gt=0, le=1)
    index: Literal[tuple(INDICES)] | None = None  # type: ignore[valid-type]
    population: Literal["registered", "by_age"] | None = None
    age_weights: dict[str, Weight] = Field(default_factory=dict)
    population_by_age: dict[str, dict[str, People]] = Field(default_factory=dict)
    deprivation_weight: Decimal = Field(default=Decimal(0), ge=-10_000, le=10_000)
    area_cost: dict[str, Weight] = Field(default_factory=dict)

    def formula(self) -> Formula:
        return Formula(
            index=self.index,
            registered=self.population == "registered",
            age_weights=self.age_weights,
            population_by_age=self.population_by_age,
            deprivation_weight=self.deprivation_weight,
            area_cost=self.area_cost,
        )


class Pace(_Strict):
    floor: Rate
    cap: Rate | None = None


class BudgetConfig(_Strict):
    year: Literal[YEARS]  # type: ignore[valid-type]
    budget: Money = Field(gt=0)
    icb: str
    places: dict[str, PlaceSpec] = Field(min_length=1)
    components: list[ComponentSpec] = Field(min_length=1)
    baseline: dict[str, Annotated[Money, Field(ge=0)]] | None = None
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
    """The configuration in ``text``, or ``BudgetError`` with every problem in the file."""
    try:
        config = BudgetConfig.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise BudgetError(source, error.problems) from None
    except ValidationError as error:
        raise BudgetError(source, validation_problems(error)) from None
    problems = _check(config)
    if problems:
        raise BudgetError(source, problems)
    return config


def _check(c: BudgetConfig) -> list[Problem]:
    problems = []
    total = sum((x.share for x in c.components), ZERO)
    if total != 1:
        shares = [str(x.share) for x in c.components]
        rule = f"the shares add up to {total.normalize():f} (expected: shares add up to 1)"
        problems.append(Problem(path="components", value=shares, rule=rule))
    for i, x in enumerate(c.components):
        problems += _check_component(f"components.{i}", x)
    for name, spec in c.places.items():
        if not (spec.practices or spec.pcn or spec.lad or spec.council):
            rule = "nothing chosen (expected practices, pcn, lad or council)"
            problems.append(Problem(path=f"places.{name}", value=None, rule=rule))
    return problems + _check_baseline(c)


def _check_baseline(c: BudgetConfig) -> list[Problem]:
    """A baseline and pace come together, and the baseline has each place, no other."""
    if c.baseline is None and c.pace is not None:
        rule = "pace without a baseline (expected a baseline for each place, or no pace)"
        return [Problem(path="pace", value=None, rule=rule)]
    if c.baseline is not None and c.pace is None:
        rule = "a baseline without pace (expected pace, such as {floor: 0.02}, or no baseline)"
        return [Problem(path="pace", value=None, rule=rule)]
    if c.baseline is None or set(c.baseline) == set(c.places):
        return []
    missing = sorted(set(c.places) - set(c.baseline))
    other = sorted(set(c.baseline) - set(c.places))
    found = [f"no baseline for {', '.join(missing)}"] if missing else []
    found += [f"{', '.join(other)} not among the places"] if other else []
    rule = f"{'; '.join(found)} (expected one baseline for each place)"
    return [Problem(path="baseline", value=sorted(c.baseline), rule=rule)]


def _check_component(path: str, x: ComponentSpec) -> list[Problem]:
    if (x.index is None) == (x.population is None):
        found = "both an index and a population" if x.index else "neither an index nor a population"
        return [Problem(path=path, value=x.name, rule=f"{found} (expected one of them)")]
    by_age = x.population == "by_age"
    if by_age and not (x.age_weights and x.population_by_age):
        rule = "population: by_age without age_weights and population_by_age (expected both)"
        return [Problem(path=path, value=x.name, rule=rule)]
    if not by_age and (x.age_weights or x.population_by_age):
        rule = "age_weights or population_by_age given (expected them only with population: by_age)"
        return [Problem(path=path, value=x.name, rule=rule)]
    return []


def _members(config: BudgetConfig) -> dict[str, list[PracticeNeed]]:
    """Each place's practices; an unknown ICB is named once, not once for every place."""
    problems: dict[str, Problem] = {}
    out = {}
    for name, spec in config.places.items():
        place, found = choose(config.year, config.icb, name, spec.choice())
        for p in found:
            moved = p.model_copy(update={"path": _config_path(p.path)})
            problems.setdefault(str(moved), moved)
        if place is not None:
            everyone = practices_by_code(config.year)
            out[name] = [everyone[code] for code in place.practices]
    if problems:
        raise BudgetError("budget", list(problems.values()))
    return out


_KEYS = {"pcns": "pcn", "districts": "lad", "councils": "council"}


def _config_path(path: str) -> str:
    """``Leeds.districts`` (the library's word) -> ``places.Leeds.lad`` (the file's key);
    ``icb`` is the file's own key."""
    if path == "icb":
        return path
    head, _, kind = path.rpartition(".")
    return f"places.{head}.{_KEYS.get(kind, kind)}" if head else f"places.{path}"


def allocate_budget(config: BudgetConfig) -> BudgetResult:
    members = _members(config)
    population = {n: sum((p.population for p in ps), ZERO) for n, ps in members.items()}
    components, problems = [], []
    for i, spec in enumerate(config.components):
        found, wrong = needs(spec.formula(), members, f"components.{i}")
        components.append(Component(spec.name, spec.share, found))
        problems += wrong
    if problems:
        raise BudgetError("budget", problems)
    by_place = by_components(config.budget, components)
    paced = None
    if config.baseline is not None and config.pace is not None:
        totals = {n: sum(parts.values(), ZERO) for n, parts in by_place.items()}
        paced = pace_of_change(
            config.budget, config.baseline, totals, floor=config.pace.floor, cap=config.pace.cap
        )
    return BudgetResult(config, population, by_place, paced)
