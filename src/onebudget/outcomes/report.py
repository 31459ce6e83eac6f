"""An outcomes report for one place's linked data: what the service's pages show.

Every figure comes through ``compute``, so disclosure control has been applied before any
value, trend or chart is made. Loading a folder once and asking many questions is cheap:
the DuckDB engine keeps its answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from onebudget.outcomes.calendar import Period, months
from onebudget.outcomes.charts import funnel_svg, trend_svg
from onebudget.outcomes.compute import compute
from onebudget.outcomes.definitions import Indicator, indicators
from onebudget.outcomes.disclosure import Waiver
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.segments import segmentation
from onebudget.population.extract import read_extract
from onebudget.population.prepare import for_indicators

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Summary:
    indicator: Indicator
    years: tuple[Row, ...]

    @property
    def latest(self) -> Row | None:
        return next((r for r in reversed(self.years) if r["value"] is not None), None)

    @property
    def direction(self) -> str:
        """Whether the latest year is better or worse than the one before, by polarity."""
        shown = [r for r in self.years if r["value"] is not None]
        polarity = self.indicator.spec.polarity
        if len(shown) < 2 or polarity == "no judgement":
            return "not judged"
        before, now = shown[-2], shown[-1]
        if now["lower"] > before["upper"] or now["upper"] < before["lower"]:
            higher = now["value"] > before["value"]
            return "better" if higher == (polarity == "higher is better") else "worse"
        return "no significant change"


@dataclass(frozen=True)
class Detail:
    summary: Summary
    trend: str | None
    funnel: str | None
    practices: tuple[Row, ...]


class PlaceOutcomes:
    def __init__(self, folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text())
        self.first_year, self.last_year = manifest["years"]
        self.data_end = date(self.last_year + 1, 1, 1)
        self.label = manifest["place"]
        self.engine = DuckDBEngine(for_indicators(read_extract(folder)).tables)

    @property
    def years(self) -> list[Period]:
        return [Period.calendar_year(y) for y in range(self.first_year, self.last_year + 1)]

    def summary(self, indicator: Indicator, waiver: Waiver | None = None) -> Summary:
        rows = compute(
            indicator, self.engine, self.years, data_end=self.data_end, waiver=waiver
        ).rows
        return Summary(indicator, tuple(rows))

    def summaries(self, waiver: Waiver | None = None) -> list[Summary]:
        return [self.summary(i, waiver) for i in indicators().values()]

    def detail(self, indicator_id: str) -> Detail:
        indicator = indicators()[indicator_id]
        spec = indicator.spec
        summary = self.summary(indicator)
        monthly = compute(
            indicator, self.engine, months(self.first_year, self.last_year), data_end=self.data_end
        )
        points = [
            (r["period"], r["value"])
            for r in monthly.rows
            if r["value"] is not None or r["numerator"] is None  # None: suppressed
        ]
        trend = trend_svg(f"{spec.name}: by month", spec.unit, points)
        practices: tuple[Row, ...] = ()
        funnel = None
        latest = summary.latest
        if "gp_practice_code" in spec.breakdowns and latest is not None:
            year = [Period.calendar_year(int(latest["period"]))]
            rows = compute(
                indicator, self.engine, year, ["gp_practice_code"], data_end=self.data_end
            ).rows
            practices = tuple(rows)
            units = [
                {
                    "unit": r["gp_practice_code"],
                    "value": r["value"],
                    "denominator": r["denominator"],
                }
                for r in rows
            ]
            if spec.method in ("proportion", "rate"):
                funnel = funnel_svg(
                    f"{spec.name}: GP practices, {latest['period']}",
                    spec.unit,
                    units,
                    latest["value"],
                    spec.method,
                    spec.multiplier,
                )
        return Detail(summary, trend, funnel, practices)

    def segments(self, waiver: Waiver | None = None) -> tuple[Row, ...]:
        """People and whole-person cost by segment in the latest year."""
        latest = [Period.calendar_year(self.last_year)]
        return tuple(segmentation(self.engine.con, latest, waiver).rows)
