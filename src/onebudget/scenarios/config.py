"""A scenario as a file (``onebudget scenario run --config FILE.yaml``): its baseline year,
horizon, runs and seed, growth and inflation, the population's source, the interventions
at their scales, and for the optimiser the budgets and the objective. Every problem is
named with its path and line, never a traceback::

    name: Fernmouth, shifting to community services
    baseline_year: 2025          # the financial year 2025/26, counted from the linked data
    years: 5
    runs: 1000
    seed: 2026
    growth:
      non_demographic: {triangular: [0.0, 0.01, 0.02]}
      inflation: {triangular: [0.015, 0.025, 0.04]}
    population: national         # or {snpp: FILE.csv, area: E06000059}; or ONS's file for
                                 # each sex: {snpp: [females.csv, males.csv], area: ...}
    interventions:
      - {id: falls-prevention, scale: 1}
      - {id: reablement, scale: 0.5, least: 0.25, most: 1}
    budget: [400000, 450000, 500000, 500000, 500000]   # a year, for the optimiser
    by_partner: {council: [250000, 250000, 250000, 250000, 250000]}
    objective: expected          # net saving; or risk-averse: the mean of the worst 10% of
                                 # runs; or bed-days / emergency-admissions: the most avoided
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems
from onebudget.scenarios.model import Strict
from onebudget.scenarios.projection import Growth

Share = Annotated[float, Field(ge=0, le=1)]
Pounds = Annotated[Decimal, Field(ge=0, decimal_places=2)]


class ConfigError(ProblemsError):
    """Problems in a scenario file."""


class Choice(Strict):
    id: str
    scale: Share = 1.0  # for a run: the share of full scale
    least: Share = 0.0  # for the optimiser: a minimum scale (a minimum spend)
    most: Share = 1.0  # for the optimiser: a capacity limit


class Snpp(Strict):
    # an ONS subnational population projection file (CSV or XLSX), or its file for each sex
    snpp: str | Annotated[tuple[str, ...], Field(min_length=1, max_length=4)]
    area: str  # the area's GSS code in it

    @property
    def files(self) -> tuple[str, ...]:
        return (self.snpp,) if isinstance(self.snpp, str) else self.snpp


class ScenarioConfig(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    baseline_year: Annotated[int, Field(ge=2000, le=2100)]
    years: Annotated[int, Field(ge=1, le=10)] = 5
    runs: Annotated[int, Field(ge=1, le=100_000)] = 1000
    seed: Annotated[int, Field(ge=0)] = 2026
    growth: Growth = Field(default_factory=lambda: Growth(inflation=0.0))  # type: ignore[arg-type]
    population: Literal["national"] | Snpp = "national"
    interventions: tuple[Choice, ...] = ()
    budget: tuple[Pounds, ...] | None = None
    by_partner: dict[Literal["council", "icb"], tuple[Pounds, ...]] = Field(default_factory=dict)
    objective: Literal["expected", "risk-averse", "bed-days", "emergency-admissions"] = "expected"

    @model_validator(mode="after")
    def _a_budget_for_each_year(self) -> ScenarioConfig:
        for name, amounts in [("budget", self.budget), *self.by_partner.items()]:
            if amounts is not None and len(amounts) != self.years:
                raise ValueError(f"{name}: one amount for each of the {self.years} years")
        ids = [c.id for c in self.interventions]
        if len(set(ids)) != len(ids):
            raise ValueError("each intervention once")
        if any(c.least > c.most for c in self.interventions):
            raise ValueError("an intervention's least scale is at most its most")
        return self


def load_config(text: str, source: str, known: set[str]) -> ScenarioConfig:
    """The scenario in ``text``; ``known``: the interventions' ids that may be chosen."""
    try:
        data = yamlio.load(text, source=source)
        config = ScenarioConfig.model_validate(data)
    except ProblemsError as error:
        raise ConfigError(source, error.problems) from None
    except ValidationError as error:
        problems = yamlio.with_lines(validation_problems(error), yamlio.lines(text))
        raise ConfigError(source, problems) from None
    unknown = [
        Problem(path=f"interventions.{n}.id", value=c.id, rule=f"one of {', '.join(sorted(known))}")
        for n, c in enumerate(config.interventions)
        if c.id not in known
    ]
    if unknown:
        raise ConfigError(source, yamlio.with_lines(unknown, yamlio.lines(text)))
    return config
