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
