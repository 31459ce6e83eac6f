"""The field types a provider contract's file is written in: money in whole pence, counts,
percentages, codes and names, each with its rule in words; and the ``Step`` of a payment
that every engine returns. Kept apart from ``model`` so that every mechanism's model may use
them without importing the contract itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from onebudget.money import MoneyError, exact

SIX_PLACES = Decimal("0.000001")
MOST = Decimal(10**9)  # the most units, heads or weight a figure may be: a billion


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _pounds(value: object) -> Decimal:
    """Whole pence, 0 or more: prices, rates and values are amounts, never a fraction of a
    penny (a rate per head that needs one is a weight on a whole-penny rate)."""
    try:
        found = exact(value)  # type: ignore[arg-type]
    except (MoneyError, TypeError) as error:
        rule = getattr(error, "rule", "an amount in pounds, e.g. 1234.56")
        raise PydanticCustomError("money", "{rule}", {"rule": rule}) from None
    if found < 0:
        raise PydanticCustomError("money", "an amount of 0 or more", {})
    return found


def number(value: object, *, most: Decimal = MOST) -> Decimal:
    """A count or weight: exact (never a float), 0 to ``most``, at most six decimal places
    (a part of a bed day, a weighted head). ValueError with the rule otherwise."""
    if isinstance(value, int | Decimal | str) and not isinstance(value, bool):
        try:
            found = Decimal(value.strip() if isinstance(value, str) else value)
        except ArithmeticError:
            found = Decimal("NaN")
        if found.is_finite() and 0 <= found <= most and found == found.quantize(SIX_PLACES):
            return found.copy_abs()  # -0 is 0
    raise ValueError(f"a number from 0 to {most:,}, at most six decimal places, e.g. 1200")


def _number(value: object) -> Decimal:
    try:
        return number(value)
    except ValueError as error:
        raise PydanticCustomError("number", str(error), {}) from None


def _percent(value: object) -> Decimal:
    try:
        return number(value, most=Decimal(100))
    except ValueError:
        raise PydanticCustomError("percent", "a percentage from 0 to 100, e.g. 50", {}) from None


def _pattern(regex: str, rule: str) -> AfterValidator:
    compiled = re.compile(regex, re.ASCII)

    def check(text: str) -> str:
        if not compiled.fullmatch(text):
            raise ValueError(rule)
        return text

    return AfterValidator(check)


def printable(text: str) -> str:
    if not text.isprintable():
        raise ValueError("text without control characters (tabs, new lines, NUL)")
    return text


Pounds = Annotated[Decimal, BeforeValidator(_pounds)]
Number = Annotated[Decimal, BeforeValidator(_number)]
Percent = Annotated[Decimal, BeforeValidator(_percent)]
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(printable)]
ODS = "an ODS code: 3 to 8 upper-case letters or digits, e.g. ZZC01"
OdsCode = Annotated[str, _pattern(r"[A-Z0-9]{3,8}", ODS)]
# A council commissions by its GSS code (as onebudget.organisations has councils), an ICB by
# its ODS code
CommissionerCode = Annotated[
    str, _pattern(r"[A-Z0-9]{3,8}|E(06|07|08|09|10)\d{6}", f"{ODS}, or a council's GSS code")
]
Id = Annotated[
    str,
    _pattern(
        r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,59}",
        "an id starts with a letter or digit and has at most 60 letters, digits, spaces or "
        "- _ . /, e.g. C-FERN-2025-01",
    ),
]
# An activity line or population segment, as the inputs file names it
LineName = Annotated[
    str,
    _pattern(
        r"[A-Za-z0-9][A-Za-z0-9._+-]{0,39}",
        "a line starts with a letter or digit and has at most 40 letters, digits or . _ + -, "
        "e.g. first-outpatient",
    ),
]


@dataclass(frozen=True)
class Step:
    """One step of a payment: what it is, the figures it used (as words), the rule in words,
    and its amount in exact pence."""

    what: str
    inputs: dict[str, str]
    rule: str
    amount: Decimal


def figure(value: Decimal) -> str:
    """A count or weight as written: 1,200 or 2.5."""
    return f"{value.normalize():,f}"
