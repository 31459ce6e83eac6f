"""A plan's quarterly or year-end return as it stands: the signed-off plan, each scheme's
spend by quarter from the pooled fund's ledger (the funds engine's ``quarter_actuals`` over
the ledger's monthly figures, as the fund's monitoring page reads them), metric progress from
the linked data with the narrative the partners write, and the national conditions. The
return itself is the library's (``bcf.returns.build_return``); recording it is an action."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from onebudget.bcf.returns import (
    PERIODS,
    FundSpend,
    MetricProgress,
    Period,
    Return,
    build_return,
    quarters_of,
)
from onebudget.funds.monitoring import quarter_actuals
from onebudget_web.bcf import selectors
from onebudget_web.bcf.metric_data import metric_data
from onebudget_web.bcf.models import BcfPlan, PlanVersion
from onebudget_web.funds.selectors import agreement_of, monthly_figures

NARRATIVE = ("challenges", "achievements", "support_needs")
NARRATIVE_WORDS = {
    "challenges": "Challenges",
    "achievements": "Achievements",
    "support_needs": "Support needs",
}
PERIOD_WORDS = {
    "Q1": "Quarter 1 (April to June)",
    "Q2": "Quarter 2 (July to September)",
    "Q3": "Quarter 3 (October to December)",
    "Q4": "Quarter 4 (January to March)",
    "year-end": "Year end",
}


def as_period(text: str) -> Period | None:
    return next((p for p in PERIODS if p == text), None)


def fund_spend(plan: BcfPlan, period: Period) -> list[FundSpend]:
    """Each fund scheme's spend in each quarter of the return; none without a fund."""
    if plan.fund is None:
        return []
    agreement = agreement_of(plan.fund)
    figures = monthly_figures(plan.fund, agreement)
    spent = quarter_actuals(agreement, figures, len(quarters_of(period)))
    return [FundSpend(s.code, s.name, spent[s.code]) for s in agreement.schemes]


def progress(
    plan: BcfPlan, version: PlanVersion, period: Period, narrative: Mapping[str, Any]
) -> list[MetricProgress]:
    """Each metric's figure for each quarter of the return, and for the return's own
    quarter the narrative written for it (by metric: challenges, achievements, support)."""
    entered = entered_actuals(plan, period, narrative)
    data = metric_data(plan.place, selectors.checked(version), entered)
    if data.report is None:
        return []
    covered = quarters_of(period)
    found = []
    for m in data.report.metrics:
        said = narrative.get(m.metric, {})
        for q in m.quarters:
            if q.quarter not in covered:
                continue
            words = {k: str(said.get(k, "")) for k in NARRATIVE} if q.quarter == covered[-1] else {}
            found.append(
                MetricProgress(
                    m.metric, q.quarter, q.planned, q.actual, q.source, q.on_track, **words
                )
            )
    return found


ACTUAL_RULE = "Enter the actual as a number of 0 or more, like 5,400 or 0.7"


def read_actual(text: str) -> Decimal | None:
    """An actual typed in (``5,400``, ``0.7``), or None if there is none or it is not one."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        found = Decimal(cleaned)
    except InvalidOperation:
        return None
    return found if found.is_finite() and found >= 0 else None


def actual_problem(text: str) -> str | None:
    return ACTUAL_RULE if text.strip() and read_actual(text) is None else None


def entered_actuals(
    plan: BcfPlan, period: Period, narrative: Mapping[str, Any]
) -> dict[str, dict[str, Decimal]]:
    """Actuals typed in where the data give none: each earlier quarter's as its latest
    recorded return has them, the return's own quarter's as the form says."""
    covered = quarters_of(period)
    said_by: list[tuple[str, Mapping[str, Any]]] = []
    for q in covered[:-1]:
        last = plan.returns.filter(period=q).order_by("-recorded_at", "-pk").first()
        said_by.append((q, last.narrative if last else {}))
    said_by.append((covered[-1], narrative))
    found: dict[str, dict[str, Decimal]] = {}
    for quarter, said in said_by:
        for metric, words in said.items():
            value = read_actual(str(words.get("actual", "")))
            if value is not None:
                found.setdefault(metric, {})[quarter] = value
    return found


def draft_return(
    plan: BcfPlan, version: PlanVersion, period: Period, narrative: Mapping[str, Any]
) -> Return:
    found = selectors.checked(version)
    if found.framework is None:
        raise ValidationError([f"No Better Care Fund framework for {plan.year}"])
    return build_return(
        found.plan,
        found.framework,
        period,
        fund_spend(plan, period),
        progress(plan, version, period, narrative),
        fund=plan.fund.code if plan.fund else None,
    )
