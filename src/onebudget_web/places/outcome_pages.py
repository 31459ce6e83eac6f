"""What the outcomes pages show, put together from the stored results (``outcomes``) and
the place's targets (``presenters``): the summary of a financial year, and one indicator's
years against its trajectory. Each may raise ``results.StillBuildingError`` on a first
visit."""

from __future__ import annotations

from typing import Any

from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.disclosure import Waiver
from onebudget.periods import parse_year, year_label
from onebudget_web.places import outcomes, presenters
from onebudget_web.places.models import Place
from onebudget_web.places.outcomes import Outcomes


def asked_year(text: str | None) -> int | None:
    """``2024`` or ``2024/25`` from a query or form: the year it starts; None otherwise."""
    if not text:
        return None
    written = text.strip()
    if written.isascii() and written.isdigit() and len(written) == 4:
        return int(written)
    return parse_year(written)


def summary_page(
    place: Place, found: Outcomes, asked: int | None, waiver: Waiver | None
) -> dict[str, Any]:
    """Every indicator in the year shown (``asked`` if the data have it), with the year's
    segments; under a ``waiver``, unsuppressed and worked out now (never stored)."""
    year = found.year(asked)
    context: dict[str, Any] = {
        "year": year,
        "year_label": year_label(year) if year else "",
        "years": presenters.year_choices(found.years, year),
        "asked_missing": asked is not None and asked != year,
        "asked_label": year_label(asked) if asked else "",
    }
    if year is None:
        return context | {"rows": [], "segments": []}
    if waiver is not None:
        summaries, segments = outcomes.unsuppressed(found, year, waiver)
    else:
        summaries, segments = outcomes.summaries(found), outcomes.segments(found, year)
    rows = presenters.summary_rows(summaries, year, presenters.targets_of(place))
    return context | {"rows": rows, "segments": segments}


def indicator_page(
    place: Place, found: Outcomes, indicator: str, asked: int | None, form_year: int | None
) -> dict[str, Any]:
    """An indicator's years against its targets, its monthly chart, its GP practices in
    the year shown, and the target form (for ``form_year``, else the year shown)."""
    spec = indicators()[indicator].spec
    year = found.year(asked)
    rows = outcomes.summary(found, indicator)
    targets = {y: v for (_, y), v in presenters.targets_of(place, indicator).items()}
    practices, funnel = outcomes.practices(found, indicator, year) if year else ([], None)
    keyed = {(indicator, y): v for y, v in targets.items()}
    shown = presenters.year_row(spec, rows, year, keyed) if year else None
    chosen = form_year if form_year in found.target_years else (year or _last(found))
    return {
        "spec": spec,
        "year": year,
        "year_label": year_label(year) if year else "",
        "years": presenters.year_choices(found.years, year),
        "shown": shown,
        "trajectory": presenters.trajectory_rows(spec, rows, found.years, targets),
        "trend": outcomes.trend(found, indicator),
        "practices": practices,
        "funnel": funnel,
        "breaks_down_by_practice": "gp_practice_code" in spec.breakdowns,
        "target_years": presenters.year_choices(found.target_years, chosen),
        "form_target": presenters.target_set(place, indicator, chosen) if chosen else None,
        "form_year_label": year_label(chosen) if chosen else "",
    }


def _last(found: Outcomes) -> int | None:
    return found.target_years[-1] if found.target_years else None
