"""``{{ amount|pounds }}``: £1,234.56, and −£1,234.56 for a negative amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    sign = "\u2212" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def percent(value: Any) -> str:
    """A fraction as a percentage to one decimal place: 0.0123 -> 1.2%."""
    if value is None or value == "":
        return ""
    share = Decimal(str(value)) * 100
    sign = "\u2212" if share < 0 else ""
    return f"{sign}{abs(share):.1f}%"
