"""Money: one constructor, pence rounding, and splits that add up to the penny.

Every amount in OneBudget is a ``Decimal`` in pounds with two decimal places. Floats are
refused at the door: ``D(0.1)`` is an error, because ``Decimal(0.1)`` is not 10p.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


FRACTION_OF_A_PENNY = "more than two decimal places (whole pence)"


class MoneyError(ValueError):
    """An amount that cannot be money: a float, text that is not a number, or NaN.
    ``rule`` is the broken rule on its own, for messages that name file, row and column."""

    def __init__(self, value: object, rule: str | None = None) -> None:
        """``MoneyError(value, rule)``, or ``MoneyError(message)`` when no value is at fault."""
        self.rule = str(value) if rule is None else rule
        super().__init__(self.rule if rule is None else f"{value!r}: {rule}")


def D(value: str | int | Decimal) -> Decimal:  # noqa: N802 (beancount's name for it)
    """An exact amount in pounds, rounded half-up to the penny.

    Accepts text (``"1,234.50"``, ``"£12"``, ``"(3.00)"`` for a negative), integers and
    Decimals. Refuses floats and anything that is not a finite number.
    """
    if isinstance(value, bool | float):
        raise MoneyError(value, "money is never a float; pass text or a Decimal")
    if isinstance(value, str):
        value = _parse(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as error:
        raise MoneyError(value, "not an amount of money") from error
    if not amount.is_finite():
        raise MoneyError(value, "not a finite amount")
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def exact(value: str | int | Decimal) -> Decimal:
    """Like ``D``, but an amount with fractions of a penny is an error, not rounded: for
    imported figures, where 12.345 is a mistake to report rather than a value to round."""
    amount = D(value)
    raw = _parse(value) if isinstance(value, str) else Decimal(value)
    if raw != amount:
        raise MoneyError(value, FRACTION_OF_A_PENNY)
    return amount


def _parse(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "").replace("£", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1].strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise MoneyError(text, "not an amount of money") from error
    return -amount if negative else amount


def to_pence(amount: Decimal) -> int:
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
