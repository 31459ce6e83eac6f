"""Plain data for the outcomes pages: each indicator with its target and status."""

from __future__ import annotations

from typing import Any

from onebudget.outcomes.report import Summary
from onebudget.outcomes.targets import status as target_status
from onebudget_web.places.models import IndicatorTarget, Place


def target_for(place: Place, summary: Summary) -> tuple[IndicatorTarget | None, str]:
    latest = summary.latest
    if latest is None:
        return None, "not judged"
    target = place.targets.filter(
        indicator=summary.indicator.id, year=int(str(latest["period"])[:4])
    ).first()
    if target is None:
        return None, "no target"
    judged = target_status(
        latest["value"],
        latest["lower"],
        latest["upper"],
        float(target.value),
        summary.indicator.spec.polarity,
    )
    return target, judged


def with_targets(place: Place, summaries: list[Summary]) -> list[dict[str, Any]]:
    rows = []
    for summary in summaries:
        target, judged = target_for(place, summary)
        rows.append({"summary": summary, "target": target, "status": judged})
    return rows
