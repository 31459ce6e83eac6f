"""The national rates that calibrate the generator, loaded from reviewed data and validated.

The YAML file is the single place a number lives; here it is parsed into typed, frozen
models so that a missing source, a probability above one or an unknown status is refused on
load, with every problem named, rather than surfacing as a strange synthetic population.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from onebudget.io import yamlio
from onebudget.io.problems import ProblemsError, validation_problems

Status = Literal["checked", "derived", "approximate", "modelled"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Figure(_Frozen):
    value: float = Field(ge=0)
    unit: str
    year: str | None = None
    status: Status
    source: str = Field(min_length=3)


class Shape(_Frozen):
    shape: dict[int, float]
    status: Status
    source: str = Field(min_length=3)

    @field_validator("shape")
    @classmethod
    def _positive_and_starting_at_a_band(cls, shape: dict[int, float]) -> dict[int, float]:
        if not shape or any(v <= 0 for v in shape.values()):
            raise ValueError("a shape needs at least one band and positive relative rates")
        return dict(sorted(shape.items()))


class Mortality(_Frozen):
    slope_per_year: float = Field(gt=0)
    infant_relative_hazard: float = Field(gt=0)
    status: Status
    source: str


class Condition(_Frozen):
    prevalence: float = Field(gt=0, lt=1)
    min_age: int = Field(ge=0)
    age_slope: float
    deprivation_slope: float
    status: Status
    source: str = Field(min_length=3)


class Frailty(_Frozen):
    any_frailty_65_plus: Figure
    age_slope: float
    deprivation_slope: float
    grade_split: dict[Literal["mild", "moderate", "severe"], float]

    @field_validator("grade_split")
    @classmethod
    def _split_sums_to_one(cls, split: dict[str, float]) -> dict[str, float]:
        if abs(sum(split.values()) - 1) > 1e-9:
            raise ValueError("the frailty grades must split all frail people (sum to 1)")
        return split


class UnitCosts(_Frozen):
    status: Status
    source: str
    pounds: dict[str, Decimal]


class Deprivation(_Frozen):
    gradient_per_decile: float = Field(ge=0, lt=0.15)
    status: Status
    source: str


class Multipliers(_Frozen):
    conditions: dict[str, float] = Field(default_factory=dict)
    frailty: dict[Literal["mild", "moderate", "severe"], float] = Field(default_factory=dict)

    @field_validator("conditions", "frailty")
    @classmethod
    def _positive(cls, values: dict[str, float]) -> dict[str, float]:
        if any(v <= 0 for v in values.values()):
            raise ValueError("relative risks must be positive")
        return values


class MultiplierTable(_Frozen):
    status: Status
    source: str
    by_outcome: dict[str, Multipliers]


class NationalRates(_Frozen):
    owner: str
    reviewed: date
    review_by: date
    source_note: str
    population: dict[str, Figure | Mortality]
    hospital: dict[str, Figure | Shape]
    community: dict[str, Figure]
    social_care: dict[str, Figure]
    conditions: dict[str, Condition]
    frailty: Frailty
    deprivation: Deprivation
    unit_costs: UnitCosts
    unit_costs_modelled: UnitCosts
    multipliers: MultiplierTable

    def risk(self, outcome: str) -> Multipliers:
        return self.multipliers.by_outcome[outcome]

    def figure(self, section: str, name: str) -> float:
        item = getattr(self, section)[name]
        if not isinstance(item, Figure):
            raise KeyError(f"{section}.{name} is not a single figure")
        return item.value

    def shape(self, section: str, name: str) -> dict[int, float]:
        item = getattr(self, section)[name]
        if not isinstance(item, Shape):
            raise KeyError(f"{section}.{name} is not an age shape")
        return item.shape

    def mortality(self) -> Mortality:
        item = self.population["mortality_age_shape"]
        assert isinstance(item, Mortality)  # noqa: S101 (the schema guarantees it)
        return item

    def cost(self, name: str) -> Decimal:
        for table in (self.unit_costs, self.unit_costs_modelled):
            if name in table.pounds:
                return table.pounds[name]
        raise KeyError(f"no unit cost {name!r}")


class RatesFileError(ValueError):
    """The rates file broke its schema; ``problems`` names each place and rule."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def parse_rates(text: str, *, source: str = "national.yaml") -> NationalRates:
    """The rates in ``text`` through the one YAML reader, or every problem with its path."""
    try:
        return NationalRates.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise RatesFileError(source, [str(p) for p in error.problems]) from None
    except ValidationError as error:
        raise RatesFileError(source, [str(p) for p in validation_problems(error)]) from None


@cache
def national_rates() -> NationalRates:
    """The reviewed national rates shipped with the library."""
    path = resources.files("onebudget") / "definitions" / "rates" / "national.yaml"
    return parse_rates(path.read_text(encoding="utf-8"), source=str(path))
