"""A place's outcomes as the pages read them: the one way in for views and the overview.

Published figures are read from the stored results (``results``), built once per dataset
and definitions; a page never calls an engine. The only figures worked out on a request
are a disclosure-waiver holder's unsuppressed ones, which are never stored (ADR 0019).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from onebudget.outcomes.disclosure import Waiver
from onebudget.outcomes.targets import data_years, target_years
from onebudget.periods import choose_year
from onebudget_web.places import computed, results
from onebudget_web.places.models import OutcomeResult, Place, PlaceDataset

Row = dict[str, Any]


@dataclass(frozen=True)
class Outcomes:
    """A place's linked dataset, what its results were computed from, and its years
    (financial years, by the year they start)."""

    dataset: PlaceDataset
    fingerprint: str

    @property
    def label(self) -> str:
        return self.dataset.label

    @property
    def years(self) -> list[int]:
        return data_years(self.dataset.first_year, self.dataset.last_year)

    @property
    def target_years(self) -> list[int]:
        return target_years(self.dataset.first_year, self.dataset.last_year)

    def year(self, asked: int | None, today: date | None = None) -> int | None:
        """The year a page shows (``periods.choose_year``)."""
        return choose_year(self.years, today or timezone.localdate(), asked).year


def outcomes_for(place: Place) -> Outcomes | None:
    """The place's latest dataset, or None if it has none (or its files are gone)."""
    dataset = place.datasets.first()
    if dataset is None:
        return None
    found = results.fingerprint(dataset)
    return None if found is None else Outcomes(dataset, found)


def _read(outcomes: Outcomes, group: str, **where: str) -> list[OutcomeResult]:
    """Stored rows, built first (once) if they are missing."""
    results.ensure(outcomes.dataset, outcomes.fingerprint, group)
    return list(
        OutcomeResult.objects.filter(
            dataset=outcomes.dataset, fingerprint=outcomes.fingerprint, **where
        )
    )


def summaries(outcomes: Outcomes) -> dict[str, list[Row]]:
    """Every indicator's published figures by year, by indicator id."""
    stored = _read(outcomes, computed.OVERVIEW, kind=OutcomeResult.SUMMARY)
    return {r.indicator: r.data["years"] for r in stored}


def summary(outcomes: Outcomes, indicator: str) -> list[Row]:
    stored = _read(outcomes, computed.OVERVIEW, kind=OutcomeResult.SUMMARY, indicator=indicator)
    return stored[0].data["years"] if stored else []


def quarters(outcomes: Outcomes, indicator: str) -> list[Row]:
    """A Better Care Fund metric's indicator by financial quarter (``computed.quarterly``)."""
    stored = _read(outcomes, computed.OVERVIEW, kind=OutcomeResult.SUMMARY, indicator=indicator)
    return stored[0].data.get("quarters", []) if stored else []


def segments(outcomes: Outcomes, year: int) -> list[Row]:
    """People and whole-person cost by segment in the financial year ``year``."""
    period = computed.label(year)
    stored = _read(outcomes, computed.OVERVIEW, kind=OutcomeResult.SEGMENTS, period=period)
    return [computed.money(r) for r in stored[0].data["rows"]] if stored else []


def trend(outcomes: Outcomes, indicator: str) -> str | None:
    group = computed.indicator_group(indicator)
    stored = _read(outcomes, group, kind=OutcomeResult.TREND, indicator=indicator)
    return stored[0].data["svg"] if stored else None


def practices(outcomes: Outcomes, indicator: str, year: int) -> tuple[list[Row], str | None]:
    """The GP practices in ``year`` and their funnel plot, if the indicator has them."""
    group = computed.indicator_group(indicator)
    period = computed.label(year)
    stored = _read(
        outcomes, group, kind=OutcomeResult.PRACTICES, indicator=indicator, period=period
    )
    return (stored[0].data["rows"], stored[0].data["funnel"]) if stored else ([], None)


def unsuppressed(
    outcomes: Outcomes, year: int, waiver: Waiver
) -> tuple[dict[str, list[Row]], list[Row]]:
    """A waiver holder's figures, not disclosure-controlled: worked out now, from the
    engine, for them alone, and never stored (so nothing unsuppressed is kept)."""
    report = computed.open_report(Path(outcomes.dataset.path))
    try:
        found, people = computed.unsuppressed(report, year, waiver)
    finally:
        computed.close(report)
    return found, [computed.money(r) for r in people]
