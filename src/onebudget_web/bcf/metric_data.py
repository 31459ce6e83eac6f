"""A plan's metrics against the place's linked data: each metric's indicator by quarter, as
the stored outcome results hold it (worked out once, disclosure-controlled, ADR 0019), read
through the library's ``bcf.metrics.metric_actuals``. A place without linked data, or a
quarter the data do not reach, gives no actual: the page says so, never a guess."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onebudget.bcf.metrics import MetricsReport, metric_actuals
from onebudget_web.bcf.selectors import Checked
from onebudget_web.places import outcomes
from onebudget_web.places.models import Place
from onebudget_web.places.results import StillBuildingError


@dataclass(frozen=True)
class MetricData:
    report: MetricsReport | None  # None: no framework to read the metrics by
    linked: bool  # whether the place has linked data
    building: bool  # whether its results are still being worked out


def metric_data(
    place: Place, found: Checked, entered: Mapping[str, Mapping[str, Decimal]] | None = None
) -> MetricData:
    """Each metric's actuals: from the linked data where they give one, else ``entered``
    (typed in with a return, by metric and quarter), marked as entered."""
    if found.framework is None:
        return MetricData(None, False, False)
    held = outcomes.outcomes_for(place)
    results: dict[str, list[dict[str, Any]]] = {}
    building = False
    if held is not None:
        try:
            for m in found.framework.metrics.items or ():
                if m.indicator:
                    results[m.indicator] = outcomes.quarters(held, m.indicator)
        except StillBuildingError:
            results, building = {}, True
    report = metric_actuals(found.plan, found.framework, results, entered)
    return MetricData(report, held is not None, building)


def shown(value: Decimal | None) -> str:
    """A metric's figure as published: its own places, with separators."""
    return "" if value is None else f"{value:,}"
