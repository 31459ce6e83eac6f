"""Figures as people read them: money as money, counts with separators, rates and percentages
to the precision they carry. One set of rules for every page, workbook, chart and the CLI.

A minus is the typographic minus (U+2212) joined to the figure by a word joiner (U+2060), so
"−£1,192.50" never breaks after its sign. Pence are shown where they matter (a ledger line, a
statement) and left out where they are noise: ``pounds_short`` gives £428.8m or £1.79bn.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

MINUS = "\u2212\u2060"  # minus sign, then a word joiner: the sign stays with the figure
Method = Literal["proportion", "rate", "dsr", "mean"]
SCALES = ((Decimal(10) ** 9, "bn", 2), (Decimal(10) ** 6, "m", 1))


def _decimal(value: object) -> Decimal:
    figure = value if isinstance(value, Decimal) else Decimal(str(value))
    exponent = figure.as_tuple().exponent
    return figure.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else figure


def _signed(amount: Decimal, text: str) -> str:
    return f"{MINUS}{text}" if amount < 0 else text


def pounds(value: object) -> str:
    """£1,234.56; −£1,234.56."""
    amount = _decimal(value)
    return _signed(amount, f"£{abs(amount):,.2f}")


def whole_pounds(value: object) -> str:
    """£1,235: to the pound (halves up, as people round), for totals where pence are noise."""
    amount = _decimal(value).quantize(Decimal(1), ROUND_HALF_UP)
    return _signed(amount, f"£{abs(amount):,.0f}")


def pounds_short(value: object) -> str:
    """A large sum at a glance: £1.79bn, £428.8m, £12,345 (whole pounds), £12.34."""
    amount = _decimal(value)
    for size, suffix, places in SCALES:
        if abs(amount) >= size:
            scaled = (abs(amount) / size).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            return _signed(amount, f"£{scaled:,}{suffix}")
    return whole_pounds(amount) if abs(amount) >= 1000 else pounds(amount)


def count(value: object) -> str:
    """29,620."""
    number = _decimal(value)
    return _signed(number, f"{abs(number):,.0f}")


def number(value: object, places: int | None = None) -> str:
    """1,234.5: separators, and the decimal places given (or those the value carries)."""
    figure = _decimal(value)
    if places is not None:
        figure = figure.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return _signed(figure, f"{abs(figure):,}")


def percent(fraction: object, places: int = 1) -> str:
    """A fraction as a percentage: 0.0123 -> 1.2%."""
    return f"{number(_decimal(fraction) * 100, places)}%"


def indicator_value(value: object, method: Method) -> str:
    """An indicator's value in its own terms: 92.5% (a proportion, already per 100),
    1,234.5 (a rate, its unit stated beside it), £1,764.65 (a mean cost)."""
    if method == "mean":
        return pounds(value)
    text = number(value)
    return f"{text}%" if method == "proportion" else text
