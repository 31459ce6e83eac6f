"""A Better Care Fund framework year as reviewed data: streams, the adult social care uplift,
the out-of-hospital minimum, national conditions, metrics, scheme types and whether a
capacity and demand plan for intermediate care is asked for.

Each year is a file in ``definitions/bcf`` (a new year is a new file, not code), validated on
load with every problem collected. A figure not confirmed from a published source is written
as missing with a note; ``gaps`` names each one, so a check that needs it can say why it
cannot be made rather than guess.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems

YEAR = re.compile(r"(\d{4})/(\d{2})")
StreamKind = Literal["nhs_minimum", "la_grant", "dfg", "additional"]
ONE_EACH = ("nhs_minimum", "la_grant", "dfg")


class FrameworkError(ProblemsError):
    """Problems in a Better Care Fund framework file, or no file for a year."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    """A published value with its source, or ``missing``: why it is not here. Never both."""

    source: str | None = None
    missing: str | None = None

    @model_validator(mode="after")
    def _value_or_missing(self) -> _Sourced:
        if (getattr(self, "value", None) is not None) == (self.missing is not None):
            raise ValueError("give either the published value or a missing: note, not both")
        return self


class Figure(_Sourced):
    value: Decimal | None = Field(default=None, ge=0)


class Wording(_Sourced):
    value: str | None = Field(default=None, min_length=1)


class Stream(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: StreamKind
    name: str = Field(min_length=1)
    contributor: Literal["council", "icb"]
    national_total: Figure | None = None  # None: no national total (additional contributions)


class OutOfHospital(_Strict):
    """Whether the year sets a minimum NHS-commissioned out-of-hospital spend (each area's
    figure is published with its allocations, so it is an input of the plan)."""

    status: Literal["defined", "not_in_framework", "missing"]
    source: str | None = None
    missing: str | None = None

    @model_validator(mode="after")
    def _noted(self) -> OutOfHospital:
        if (self.status == "missing") != (self.missing is not None):
            raise ValueError("a missing: note is given exactly when the status is missing")
        return self


class Condition(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    wording: str = Field(min_length=1)


@cache
def indicator_ids() -> frozenset[str]:
    """The ids of the indicator definitions shipped with the library (one file each, named
    by its id). Read as files, not parsed: the outcomes engine is a sibling of this package,
    so the framework may name its indicators but not import it."""
    folder = resources.files("onebudget") / "definitions" / "indicators"
    return frozenset(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


class Metric(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    definition: Wording
    # The indicator that computes the metric from the place's linked data; none: the
    # metric's actuals are entered by hand.
    indicator: str | None = None

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, value: str | None) -> str | None:
        if value is not None and value not in indicator_ids():
            raise ValueError(f"no indicator definition {value!r}: one of {sorted(indicator_ids())}")
        return value


class SchemeType(_Strict):
    name: str = Field(min_length=1)
    sub_types: tuple[str, ...] = ()


class _Listed(_Strict):
    """A published list, or ``missing``: why it is not here; ``complete: false`` (with a
    note) when only part of it is known."""

    source: str | None = None
    complete: bool = True
    missing: str | None = None

    @model_validator(mode="after")
    def _noted(self) -> _Listed:
        known = getattr(self, "items", None) is not None and self.complete
        if known == (self.missing is not None):
            raise ValueError(
                "give the published list, or a missing: note when it is not known in full"
            )
        return self


class Conditions(_Listed):
    items: tuple[Condition, ...] | None = None


class Metrics(_Listed):
    items: tuple[Metric, ...] | None = None


class SchemeTypes(_Listed):
    items: tuple[SchemeType, ...] | None = None


class CapacityCategory(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)


class CapacityCategories(_Listed):
    items: tuple[CapacityCategory, ...] | None = None


class CapacityAndDemand(_Strict):
    """Whether the year asks for a monthly capacity and demand plan for intermediate care
    (``required``, with its source) or ``missing``: why that is not known; and, where it is
    asked for, its service categories (the published list, or a missing note)."""

    required: bool | None = None
    source: str | None = None
    missing: str | None = None
    categories: CapacityCategories | None = None

    @model_validator(mode="after")
    def _known_or_missing(self) -> CapacityAndDemand:
        if (self.required is None) == (self.missing is None):
            raise ValueError("give required: true or false (with its source), or a missing: note")
        if bool(self.required) != (self.categories is not None):
            raise ValueError("the categories are given exactly when the year requires the plan")
        ids = [c.id for c in self.categories.items or ()] if self.categories else []
        if len(set(ids)) != len(ids):
            raise ValueError(f"category ids appear more than once: {ids}")
        return self


class Framework(_Strict):
    id: str
    year: str = Field(pattern=YEAR.pattern)
    version: str
    owner: str
    source: tuple[str, ...] = Field(min_length=1)
    reviewed: date
    review_by: date
    streams: tuple[Stream, ...] = Field(min_length=1)
    asc_uplift_percent: Figure
    out_of_hospital: OutOfHospital
    national_conditions: Conditions
    metrics: Metrics
    scheme_types: SchemeTypes
    capacity_and_demand: CapacityAndDemand

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if self.review_by <= self.reviewed:
            raise ValueError("review_by must come after the review date")
        ids = [s.id for s in self.streams]
        if len(set(ids)) != len(ids):
            raise ValueError(f"stream ids appear more than once: {ids}")
        kinds: list[str] = [s.kind for s in self.streams]
        if any(kinds.count(k) != 1 for k in ONE_EACH):
            raise ValueError(f"one stream each of kind {', '.join(ONE_EACH)}: found {kinds}")
        return self

    def stream(self, kind: StreamKind) -> Stream:
        return next(s for s in self.streams if s.kind == kind)

    @property
    def stream_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.streams)


def gaps(framework: Framework) -> list[Problem]:
    """Every figure of the year not published in the definitions, by name."""
    y = framework.year
    found: list[tuple[str, str | None]] = [
        (f"streams.{s.id}.national_total", s.national_total.missing)
        for s in framework.streams
        if s.national_total is not None
    ]
    found += [
        ("asc_uplift_percent", framework.asc_uplift_percent.missing),
        ("out_of_hospital", framework.out_of_hospital.missing),
        ("national_conditions", framework.national_conditions.missing),
        ("metrics", framework.metrics.missing),
        ("scheme_types", framework.scheme_types.missing),
        ("capacity_and_demand", framework.capacity_and_demand.missing),
    ]
    categories = framework.capacity_and_demand.categories
    if categories is not None:
        found.append(("capacity_and_demand.categories", categories.missing))
    found += [
        (f"metrics.{m.id}.definition", m.definition.missing) for m in framework.metrics.items or ()
    ]
    return [
        Problem(path=path, value=None, rule=f"{y}: not published in the definitions: {note}")
        for path, note in found
        if note is not None
    ]


def parse_framework(text: str, *, source: str) -> Framework:
    """The framework in ``text``, or ``FrameworkError`` with every problem in the file."""
    try:
        return Framework.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise FrameworkError(source, error.problems) from None
    except ValidationError as error:
        raise FrameworkError(source, validation_problems(error)) from None


def file_name(year: str) -> str:
    """``2025/26`` -> ``2025-26.yaml``."""
    return year.replace("/", "-") + ".yaml"


def years() -> list[str]:
    """The framework years shipped with the library, oldest first."""
    folder = resources.files("onebudget") / "definitions" / "bcf"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return [n.removesuffix(".yaml").replace("-", "/") for n in names]


@cache
def framework(year: str) -> Framework:
    """The shipped framework for ``year`` (``2025/26``); a named problem if there is none."""
    if year not in years():
        rule = f"no Better Care Fund framework for {year} in the definitions; have {years()}"
        raise FrameworkError("definitions/bcf", [Problem(path="year", value=year, rule=rule)])
    path = resources.files("onebudget") / "definitions" / "bcf" / file_name(year)
    return parse_framework(path.read_text(encoding="utf-8"), source=file_name(year))
