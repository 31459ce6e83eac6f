"""Indicator definitions: reviewed YAML files, one per indicator, validated on load.

Each file names its owner, source and review date, its numerator and denominator as
measures over the linked dataset, and how its value is computed. The conditions use a small
vocabulary (``column``/``is``, ``in``, ``starts_with``, ``age_at_least``, ``all``, ``any``,
``not``...) that is parsed into the query model, and every table and column is checked
against ``population.schema``, so a typo is an error on load naming the file and place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from onebudget.io import yamlio
from onebudget.io.problems import ProblemsError, validation_problems
from onebudget.outcomes import model as m
from onebudget.outcomes.vocabulary import Parser

Framework = Literal["BCF", "ASCOF", "NHS OF", "PHOF", "local"]


class DefinitionError(ValueError):
    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class IndicatorFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    framework: Framework
    reference: str = ""
    description: str
    numerator: dict[str, Any]
    denominator: dict[str, Any]
    method: m.Method
    multiplier: float = Field(gt=0)
    unit: str
    polarity: Literal["higher is better", "lower is better", "no judgement"]
    breakdowns: list[
        Literal["local_authority", "gp_practice_code", "sex", "age_band", "imd_quintile"]
    ]
    owner: str
    source: str
    reviewed: date
    review_by: date
    notes: str = ""
    interim: bool = False  # not yet the published method in full: the notes say what differs


@dataclass(frozen=True)
class Indicator:
    """A validated indicator, its measures parsed into the query model."""

    spec: IndicatorFile
    numerator: m.Measure
    denominator: m.Measure

    @property
    def id(self) -> str:
        return self.spec.id


def parse_indicator(text: str, *, source: str, aliases: bool = False) -> Indicator:
    """The indicator in ``text``, or ``DefinitionError`` with every problem. ``aliases`` for
    the reviewed files shipped with the package, which share blocks with ``&`` and ``<<:``."""
    try:
        spec = IndicatorFile.model_validate(yamlio.load(text, source=source, aliases=aliases))
    except ProblemsError as error:
        raise DefinitionError(source, [str(p) for p in error.problems]) from None
    except ValidationError as error:
        raise DefinitionError(source, [str(p) for p in validation_problems(error)]) from None
    parser = Parser()
    numerator = parser.measure(spec.numerator, "numerator")
    denominator = parser.measure(spec.denominator, "denominator")
    if spec.review_by <= spec.reviewed:
        parser.problem("review_by", "must come after the review date")
    if parser.problems:
        raise DefinitionError(source, parser.problems)
    return Indicator(spec, numerator, denominator)


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator shipped with the library, by id."""
    folder = resources.files("onebudget") / "definitions" / "indicators"
    found: dict[str, Indicator] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            text = path.read_text(encoding="utf-8")
            indicator = parse_indicator(text, source=path.name, aliases=True)
            if f"{indicator.id}.yaml" != path.name:
                raise DefinitionError(path.name, [f"id {indicator.id!r} must match the file"])
            found[indicator.id] = indicator
    return found
