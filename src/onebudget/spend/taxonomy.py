"""The shared service taxonomy: reviewed, versioned data, validated on load."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from onebudget.io import yamlio
from onebudget.io.problems import ProblemsError, validation_problems


class TaxonomyError(ProblemsError):
    """Problems in a service taxonomy file."""


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    sector: str


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    version: str
    owner: str
    source: str
    reviewed: date
    review_by: date
    services: tuple[Service, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> Taxonomy:
        codes = [s.code for s in self.services]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"service codes appear more than once: {repeated}")
        return self

    def service(self, code: str) -> Service:
        return next(s for s in self.services if s.code == code)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(s.code for s in self.services)


def parse_taxonomy(text: str, *, source: str) -> Taxonomy:
    try:
        return Taxonomy.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise TaxonomyError(source, error.problems) from None
    except ValidationError as error:
        raise TaxonomyError(source, validation_problems(error)) from None


@cache
def services() -> Taxonomy:
    """The taxonomy shipped with the library."""
    path = resources.files("onebudget") / "definitions" / "taxonomy" / "services.yaml"
    return parse_taxonomy(path.read_text(encoding="utf-8"), source="services.yaml")
