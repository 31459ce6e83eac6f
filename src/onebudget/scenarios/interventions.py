"""Community interventions as reviewed data: who each is for, how far it reaches, what it
costs and whom, and what it changes, each change with its source (issue 18).

One YAML file per intervention, its name the intervention's id. Every uncertain figure is a
``model.Figure`` checked in its range (a share 0 to 1, a relative change -1 to +1, pounds at
least 0). An effect, or a cost, with no published source must say it is illustrative, so a
scenario built on guesses says so (``Intervention.has_illustrative``) rather than passing
them off as evidence. Every problem in a file is named at once, each with its line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems
from onebudget.scenarios.model import AGE_BANDS, PODS, SEGMENTS, SEXES, Figure, Strict, Uncertain

UNSOURCED = "an effect without a published source is marked illustrative"
UNSOURCED_COST = "a cost without a published source is marked illustrative"


class InterventionError(ProblemsError):
    """Problems in an intervention file (or, from ``read_interventions``, in a folder)."""


def _values(figure: Uncertain) -> tuple[float, ...]:
    if figure.point is not None:
        return (figure.point,)
    return figure.uniform or figure.triangular or ()


def _within(low: float, high: float, what: str) -> Callable[[Uncertain], Uncertain]:
    """A check that every value of a figure is finite and from ``low`` to ``high``; written
    ``not low <= v <= high`` so that NaN (``"nan"`` is a float to pydantic) is refused."""

    def check(figure: Uncertain) -> Uncertain:
        if not all(math.isfinite(v) and low <= v <= high for v in _values(figure)):
            raise ValueError(what)
        return figure

    return check


def _one_of(allowed: Iterable[str], what: str) -> Callable[[str], str]:
    names = tuple(allowed)

    def check(name: str) -> str:
        if name not in names:
            raise ValueError(f"{what}: one of {', '.join(names)}")
        return name

    return check


def _some_text(text: str) -> str:
    if not text.strip():
        raise ValueError("some text: it may not be empty")
    return text


SHARE, CHANGE = "a share from 0 to 1", "a relative change from -1 to +1 (-0.23: a 23% fall)"
ShareFigure = Annotated[Figure, AfterValidator(_within(0, 1, f"{SHARE}, each value"))]
ChangeFigure = Annotated[Figure, AfterValidator(_within(-1, 1, f"{CHANGE}, each value"))]
PoundsFigure = Annotated[Figure, AfterValidator(_within(0, math.inf, "pounds, each at least 0"))]
Segment = Annotated[str, AfterValidator(_one_of(SEGMENTS, "a Bridges to Health segment"))]
AgeBand = Annotated[str, AfterValidator(_one_of(AGE_BANDS, "an age band"))]
Sex = Annotated[str, AfterValidator(_one_of(SEXES, "a sex"))]
Pod = Annotated[str, AfterValidator(_one_of(PODS, "a point of delivery"))]
Text = Annotated[str, AfterValidator(_some_text)]


def _once(names: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(names)) != len(names):
        raise ValueError("each named once")
    return names


class Target(Strict):
    """The cohort offered it: cells of segment × age band × sex (all, unless narrowed)."""

    segments: Annotated[tuple[Segment, ...], Field(min_length=1), AfterValidator(_once)] = SEGMENTS
    age_bands: Annotated[tuple[AgeBand, ...], Field(min_length=1), AfterValidator(_once)] = (
        AGE_BANDS
    )
    sexes: Annotated[tuple[Sex, ...], Field(min_length=1), AfterValidator(_once)] = SEXES


class BudgetLine(Strict):
    """Whose budget pays a cost or gains a saving: the partner, and the line in words."""

    partner: Literal["council", "icb"]
    budget: Text


def _sourced(rule: str) -> Any:
    """A check on ``illustrative`` (validated after ``source``, and when left out): a figure
    with no source must be marked illustrative. A field check, so it is named alongside
    the other problems of its effect rather than only once they are fixed."""

    def check(illustrative: bool, info: ValidationInfo) -> bool:
        if not illustrative and not str(info.data.get("source", "")).strip():
            raise ValueError(rule)
        return illustrative

    return field_validator("illustrative")(check)


class Cost(Strict):
    """Pounds a year: ``per_person`` for each person taking it up, ``fixed`` for the service."""

    per_person: PoundsFigure | None = None
    fixed: PoundsFigure | None = None
    source: str = ""
    illustrative: bool = Field(default=False, validate_default=True)
    _unsourced = _sourced(UNSOURCED_COST)

    @model_validator(mode="after")
    def _some_cost(self) -> Cost:
        if self.per_person is None and self.fixed is None:
            raise ValueError("per_person, fixed or both: what it costs a year")
        return self


class Effect(Strict):
    """The relative change in one POD's activity for each person taking it up."""

    pod: Pod
    change: ChangeFigure
    source: str = ""
    illustrative: bool = Field(default=False, validate_default=True)
    saving_to: BudgetLine
    _unsourced = _sourced(UNSOURCED)


class Intervention(Strict):
    """An intervention at full scale. In year ``t`` (1, 2, ...) the people taking it up are
    ``reach × uptake × ramp_up[t]`` (the last share holding) of the target cohort; its
    effects start ``lag_years`` after that. ``illustrative`` marks the whole as a guess."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    name: Text
    description: str = ""
    owner: Text
    source: Text
    review_date: date
    illustrative: bool = False  # the whole intervention is illustrative
    target: Target = Target()
    reach: ShareFigure  # of the target cohort, offered it at full scale
    uptake: ShareFigure  # of those offered, taking it up
    ramp_up: Annotated[tuple[Annotated[float, Field(ge=0, le=1)], ...], Field(min_length=1)]
    lag_years: Annotated[int, Field(strict=True, ge=0)]
    cost: Cost
    cost_bearer: BudgetLine
    effects: Annotated[tuple[Effect, ...], Field(min_length=1)]

    @property
    def has_illustrative(self) -> bool:
        """Whether any part rests on a guess: the whole, its cost or any effect."""
        return (
            self.illustrative
            or self.cost.illustrative
            or any(effect.illustrative for effect in self.effects)
        )


def load_intervention(text: str, source: str = "intervention.yaml") -> Intervention:
    """The intervention in ``text``, or ``InterventionError`` with every problem and its line.
    A ``source`` ending ``.yaml`` is the file's name, which the id must match."""
    try:
        data = yamlio.load(text, source=source)
    except ProblemsError as error:
        raise InterventionError(source, error.problems) from None
    problems = _named(data, source)
    try:
        intervention = Intervention.model_validate(data)
    except ValidationError as error:
        problems += _without_echoes([_in_file(p) for p in validation_problems(error)])
    if problems:
        placed = yamlio.with_lines(problems, yamlio.lines(text))
        raise InterventionError(source, sorted(placed, key=lambda p: p.line or 0))
    return intervention


def _named(data: Any, source: str) -> list[Problem]:
    """The id against the file's name, checked before the shape so both are reported."""
    name = Path(source).name
    found = data.get("id") if isinstance(data, dict) else None
    if not name.endswith(".yaml") or not isinstance(found, str):
        return []
    stem = name.removesuffix(".yaml")
    if found == stem:
        return []
    return [Problem(path="id", value=found, rule=f"the file's name without .yaml: {stem}")]


def _in_file(problem: Problem) -> Problem:
    """``reach.point`` (a bare number, read as a point) as ``reach``, as the file has it."""
    if problem.path.endswith(".point"):
        return problem.model_copy(update={"path": problem.path.removesuffix(".point")})
    return problem


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Without pydantic's "at least 1 item" for a list whose items were refused: the items'
    own problems say what is wrong."""
    return [
        p
        for p in problems
        if not p.rule.startswith("Tuple should have at least")
        or not any(q.path.startswith(f"{p.path}.") for q in problems)
    ]


def read_interventions(folder: Path | None = None) -> dict[str, Intervention]:
    """Every ``*.yaml`` intervention in ``folder`` (the shipped library if none), by id, or
    ``InterventionError`` with every file's problems, each path led by its file's name."""
    if folder is None:
        return dict(_shipped())
    return _read(folder, str(folder))


@cache
def _shipped() -> dict[str, Intervention]:
    return _read(resources.files("onebudget") / "definitions" / "interventions", "interventions")


def _read(folder: Traversable, where: str) -> dict[str, Intervention]:
    found: dict[str, Intervention] = {}
    problems: list[Problem] = []
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in files:
        try:
            found[file.name.removesuffix(".yaml")] = load_intervention(_text(file), file.name)
        except InterventionError as error:
            problems += [
                p.model_copy(update={"path": f"{file.name}: {p.path}"}) for p in error.problems
            ]
    if problems:
        raise InterventionError(where, problems)
    return found


def _text(file: Traversable) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        rule = "not UTF-8 text: a YAML file is text"
        raise InterventionError(
            file.name, [Problem(path="(file)", value=None, rule=rule)]
        ) from None
