"""A Better Care Fund plan as data: one Health and Wellbeing Board's year.

Partners, allocations by stream, the Disabled Facilities Grant passed to each housing
authority, schemes, metric trajectories, national conditions, narrative, and the capacity and
demand plan for intermediate care by month (``MONTHS``: ``Apr`` to ``Mar``, the financial
year's own order, so a path reads ``capacity_demand.2.demand.Jul``). Plans are written
and exchanged as YAML (``load_plan``/``dump_plan``); loading checks the shape of the file
(every problem collected, nothing returned unless all is well), while the rules of the year
are the checks of ``onebudget.bcf.checks``, so a plan still being written loads and is told
what is left to do.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from onebudget.io import yamlio
from onebudget.io.problems import ProblemsError, validation_problems
from onebudget.io.yamlio import lines as lines
from onebudget.io.yamlio import with_lines as with_lines
from onebudget.money import MoneyError, exact

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
Quarter = Literal["Q1", "Q2", "Q3", "Q4"]
SIX_PLACES = Decimal("0.000001")
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
Month = Literal["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


class PlanError(ProblemsError):
    """Problems in a Better Care Fund plan file."""


def _pounds(value: object) -> Decimal:
    """Whole pence, not negative: a plan's figures are amounts, never fractions of a penny."""
    try:
        found = exact(value)  # type: ignore[arg-type]
    except (MoneyError, TypeError) as error:
        rule = getattr(error, "rule", "an amount in pounds")
        raise PydanticCustomError("money", "{rule}", {"rule": rule}) from None
    if found < 0:
        raise PydanticCustomError("money", "an amount of 0 or more", {})
    return found


def _percent(value: object) -> Decimal:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        found = Decimal(value)
        if found.is_finite() and 0 <= found <= 100 and found == found.quantize(SIX_PLACES):
            return found
    raise PydanticCustomError("percent", "a percentage from 0 to 100, e.g. 60", {})


def _count(value: object) -> Decimal:
    """A month's demand or capacity, exact and 0 or more: people, packages or beds (a
    bed-based service may plan part of a bed's month, so fractions are kept, never floats)."""
    if isinstance(value, int | Decimal | str) and not isinstance(value, bool):
        try:
            found = Decimal(value)
        except InvalidOperation:
            found = Decimal("NaN")
        if found.is_finite() and found >= 0:
            return found.copy_abs()  # -0 is 0
    raise PydanticCustomError("count", "a count of 0 or more, e.g. 120", {})


Pounds = Annotated[Decimal, BeforeValidator(_pounds)]
Count = Annotated[Decimal, BeforeValidator(_count)]
Percent = Annotated[Decimal, BeforeValidator(_percent)]
# A council by its GSS code (E06 unitary, E07 district, E08 metropolitan, E09 London
# borough, E10 county); an ICB by its ODS code (QWO): as onebudget.organisations has them
GssCode = Annotated[str, Field(pattern=r"^E(06|07|08|09|10)\d{6}$")]
OdsCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{3,8}$")]
Text = Annotated[str, Field(min_length=1, max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Council(_Strict):
    code: GssCode
    name: Text


class Icb(_Strict):
    code: OdsCode
    name: Text


class Partners(_Strict):
    council: Council
    icb: Icb
    housing_authorities: tuple[Council, ...] = ()  # districts, in two-tier areas

    @property
    def two_tier(self) -> bool:
        return bool(self.housing_authorities)


class Output(_Strict):
    quantity: Decimal = Field(ge=0)
    unit: Text


class Split(_Strict):
    """A jointly commissioned scheme's share, per cent, commissioned by each partner."""

    council: Percent
    icb: Percent


class Scheme(_Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")]
    name: Text
    scheme_type: Text
    sub_type: Text | None = None
    commissioner: Literal["council", "icb", "joint"]
    split: Split | None = None
    provider: Text
    source: str  # a stream id of the year
    spend: Pounds
    outputs: tuple[Output, ...] = ()
    new: bool = False
    adult_social_care: bool = False  # counts to the NHS minimum contribution to ASC
    nhs_out_of_hospital: bool = False  # NHS-commissioned out-of-hospital spend

    @model_validator(mode="after")
    def _split_when_joint(self) -> Scheme:
        if (self.commissioner == "joint") != (self.split is not None):
            raise ValueError("a split is given exactly when the commissioner is joint")
        return self


class Condition(_Strict):
    confirmed: bool
    note: str = ""


class CapacityLine(_Strict):
    """One line of the capacity and demand plan for intermediate care: a service category of
    the year, the service or route within it, its unit, and the demand expected and the
    capacity planned in each month. Months may be left out while the plan is written; the
    checks name each one missing."""

    category: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]  # an id of the year's list
    label: Text  # the service or route, e.g. "Reablement at home (pathway 1)"
    unit: Annotated[str, Field(min_length=1, max_length=40)]  # people, packages, beds...
    demand: dict[Month, Count] = Field(default_factory=dict)
    capacity: dict[Month, Count] = Field(default_factory=dict)


class Plan(_Strict):
    hwb: Council  # the Health and Wellbeing Board, by its council's GSS code
    year: Annotated[str, Field(pattern=r"^\d{4}/\d{2}$")]
    partners: Partners
    allocations: dict[str, Pounds]
    dfg_passed: dict[str, Pounds] = Field(default_factory=dict)
    asc_last_year: Pounds | None = None  # last year's NHS minimum contribution to ASC
    out_of_hospital_minimum: Pounds | None = None  # where the year sets one
    schemes: tuple[Scheme, ...] = ()
    metrics: dict[str, dict[Quarter, Annotated[Decimal, Field(ge=0)]]] = Field(default_factory=dict)
    conditions: dict[str, Condition] = Field(default_factory=dict)
    narrative: dict[str, str] = Field(default_factory=dict)
    capacity_demand: tuple[CapacityLine, ...] = ()

    @model_validator(mode="after")
    def _unique_schemes(self) -> Plan:
        ids = [s.id for s in self.schemes]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"scheme ids appear more than once: {twice}")
        return self

    @field_validator("capacity_demand")
    @classmethod
    def _one_line_each(cls, lines: tuple[CapacityLine, ...]) -> tuple[CapacityLine, ...]:
        """A category and service once: a workbook keys its rows by them."""
        keys = [f"{line.category}: {line.label}" for line in lines]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"a category and service appear on more than one line: {twice}")
        return lines


def load_plan(text: str, *, source: str = "plan.yaml") -> Plan:
    """The plan in ``text``, or ``PlanError`` with every problem in its shape."""
    try:
        return Plan.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise PlanError(source, error.problems) from None
    except ValidationError as error:
        raise PlanError(source, validation_problems(error)) from None


def read_plan(path: Path) -> tuple[Plan, dict[str, int]]:
    """The plan in a file and the line of each place in it (``schemes.2.spend`` -> 41)."""
    text = yamlio.read_text(path, PlanError)
    return load_plan(text, source=str(path)), lines(text)


def dump_plan(plan: Plan) -> str:
    return yamlio.dump(plan.model_dump(mode="python"))
