"""Filters for the scenario form: a service's share and least share fields by its id, the
hint that says what a service is and whether its effects are published figures, and a
financial year."""

from __future__ import annotations

from typing import Any

from django import template

from onebudget.scenarios.interventions import Intervention
from onebudget.scenarios.report import year_label

register = template.Library()


@register.filter
def field(fields: dict[str, Any], key: str) -> Any:
    return fields.get(f"scale_{key}", "")


@register.filter
def least(fields: dict[str, Any], key: str) -> Any:
    return fields.get(f"least_{key}", "")


@register.filter
def intervention_hint(intervention: Intervention) -> str:
    """Who it is for and how sure its effects are: illustrative ones are said to be."""
    sourced = sum(not e.illustrative for e in intervention.effects)
    shown = f"{sourced} of its {len(intervention.effects)} effects from published evidence"
    if intervention.illustrative or sourced == 0:
        shown = "its effects are illustrative assumptions, not published figures"
    what = (intervention.description.strip() or intervention.name).rstrip(".")
    return f"{what}. {shown[0].upper()}{shown[1:]}."


@register.filter
def financial_year(year: int) -> str:
    return year_label(year, 0)
