"""The template filters for figures, one per rule of ``onebudget.figures`` (the same rules
the workbooks, charts and CLI use): ``{{ amount|pounds }}``, ``|pounds_short``,
``|whole_pounds``, ``|count``, ``|percent`` (of a fraction) and
``{{ value|indicator_value:method }}``. Nothing (``None`` or "") is shown as nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from onebudget import figures

register = template.Library()


def _blank_for_nothing(rule: Callable[[Any], str]) -> Callable[[Any], str]:
    def shown(value: Any) -> str:
        return "" if value is None or value == "" else rule(value)

    shown.__doc__ = rule.__doc__
    return shown


for _name in ("pounds", "pounds_short", "whole_pounds", "count", "percent"):
    register.filter(_name, _blank_for_nothing(getattr(figures, _name)))


@register.filter
def indicator_value(value: Any, method: figures.Method) -> str:
    """An indicator's value in its own terms (``figures.indicator_value``)."""
    return "" if value is None or value == "" else figures.indicator_value(value, method)
