"""Money: one constructor, pence rounding, and splits that add up to the penny.

Every amount in OneBudget is a ``Decimal`` in pounds with two decimal places, and every
amount a person gives us (a ledger cell, a form, a YAML agreement) becomes money through
``amount`` (``D`` rounds it to the penny, ``exact`` refuses fractions of a penny, ``Money``
is the same rule as a pydantic field). What it refuses, each with a named rule:

- floats (``D(0.1)``: ``Decimal(0.1)`` is not 10p), NaN and infinities;
- text not written as an amount: ``1e30``, ``12,34``, ``fifty``, ``10%``. Exponent notation
  is refused rather than read: nobody keys an amount as ``1.5E+6``, and in a money cell it
  almost always means a spreadsheet has turned a long number into rounded scientific
  notation, so the digits that were meant are lost;
- amounts beyond what a signed 64-bit count of pence holds (more than
  £92,233,720,368,547,758.07 either side of zero), which is how the ledger keeps money.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from onebudget.io.problems import shorten

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
LARGEST = Decimal(2**63 - 1) * PENNY  # £92,233,720,368,547,758.07
# The most a whole (a fund's contributions, a year's actuals) may add up to: half of what
# the ledger holds, so that the difference of two such wholes (a variance) is held too
LARGEST_WHOLE = Decimal((2**63 - 1) // 2) * PENNY  # £46,116,860,184,273,879.03

FRACTION_OF_A_PENNY = "more than two decimal places (whole pence)"
TOO_LARGE = f"more than £{LARGEST:,} either side of zero, the most OneBudget can hold"
NOT_WRITTEN = "not written as an amount of money, e.g. 1234.56, £1,234.56 or (1,234.56)"
A_FLOAT = "money is never a float; pass text or a Decimal"

# Digits with an optional decimal point, in thousands groups if commas are used: "12,34"
# (a continental 12.34?) and "1e30" are not amounts. ASCII digits only.
_WRITTEN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+", re.ASCII)
_SIGNED = re.compile(r"([+-]?)\s*£?\s*([+-]?)(.*)", re.DOTALL)


class MoneyError(ValueError):
    """An amount that cannot be money: a float, text that is not an amount, NaN, too large.
    ``rule`` is the broken rule on its own, for messages that name file, row and column."""

    def __init__(self, value: object, rule: str | None = None) -> None:
        """``MoneyError(value, rule)``, or ``MoneyError(message)`` when no value is at fault."""
        self.rule = str(value) if rule is None else rule
        super().__init__(self.rule if rule is None else f"{shorten(value)}: {rule}")


def amount(value: object) -> Decimal:
    """The amount in pounds as given (not rounded), if it can be money: finite, written as
    an amount, and within £92,233,720,368,547,758.07 of zero once rounded to the penny."""
    if isinstance(value, float):
        raise MoneyError(value, A_FLOAT)
    if isinstance(value, str):
        found = _parse(value)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        found = Decimal(value)
    else:
        raise MoneyError(value, "not an amount of money")
    if not found.is_finite():
        raise MoneyError(value, "not a finite amount")
    if abs(found) > LARGEST + 1 or abs(_rounded(found)) > LARGEST:  # before rounding 1e400
        raise MoneyError(value, TOO_LARGE)
    return found


def D(value: str | int | Decimal) -> Decimal:  # noqa: N802 (beancount's name for it)
    """An exact amount in pounds, rounded half-up to the penny.

    Accepts text (``"1,234.50"``, ``"£12"``, ``"(3.00)"`` for a negative), integers and
    Decimals, by the rules of ``amount``.
    """
    return _rounded(amount(value))


def exact(value: str | int | Decimal) -> Decimal:
    """Like ``D``, but an amount with fractions of a penny is an error, not rounded: for
    imported figures, where 12.345 is a mistake to report rather than a value to round."""
    raw = amount(value)
    rounded = _rounded(raw)
    if raw != rounded:
        raise MoneyError(value, FRACTION_OF_A_PENNY)
    return rounded


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _parse(text: str) -> Decimal:
    """``1,234.50``, ``-£12``, ``£-12`` or ``(3.00)``, as a Decimal; anything else refused."""
    cleaned = text.strip()
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1].strip().removeprefix("£").strip()
    before, after, digits = "", "", cleaned
    if not negative:  # a sign either side of the pound sign, not both
        before, after, digits = _SIGNED.fullmatch(cleaned).groups()  # type: ignore[union-attr]
    if (before and after) or not _WRITTEN.fullmatch(digits):
        raise MoneyError(text, NOT_WRITTEN)
    found = Decimal(digits.replace(",", ""))
    return -found if negative or "-" in (before, after) else found


def _field(value: object) -> Decimal:
    try:
        return amount(value)
    except MoneyError as error:
        raise PydanticCustomError("money", "{rule}", {"rule": error.rule}) from None


Money = Annotated[Decimal, BeforeValidator(_field)]
"""An amount of money in a pydantic model, by the rules of ``amount`` (not rounded: the
model's own checks say whether fractions of a penny are allowed)."""


def to_pence(amount: Decimal) -> int:
    """Whole pence in ``amount``, rounded by the rules of ``D``. An amount already in whole
    pence (the ledger's every posting) skips ``D``'s checks and rounding: a million postings
    are written as pence (benchmarks/fund_ledger.py)."""
    if type(amount) is Decimal and amount.is_finite() and abs(amount) <= LARGEST:
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -2:
            return int(amount.scaleb(2))
    return int(D(amount) / PENNY)


def from_pence(pence: int) -> Decimal:
    return (Decimal(pence) * PENNY).quantize(PENNY)


def allocate(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so that the parts sum exactly to it.

    Largest-remainder method on whole pence: each part gets its floor share, and the pence
    left over go, one each, to the largest remainders (ties to the earliest weight), so the
    result is deterministic. Negative totals split the same way; weights must be >= 0 and
    not all zero.
    """
    if not weights:
        raise MoneyError("cannot split money into no parts")
    exact = [Decimal(w) for w in weights]
    if any(w < 0 for w in exact) or sum(exact) == 0:
        raise MoneyError("weights must be non-negative and not all zero")
    pence = to_pence(total)
    sign = -1 if pence < 0 else 1
    quotas = [abs(pence) * w / sum(exact) for w in exact]
    floors = [int(q) for q in quotas]
    left = abs(pence) - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [from_pence(sign * p) for p in floors]
