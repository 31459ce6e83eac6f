"""The outcomes report of a place's linked data, loaded once per dataset and process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from onebudget.outcomes.report import PlaceOutcomes
from onebudget_web.places.models import Place


@lru_cache(maxsize=4)
def _report(path: str, modified: float) -> PlaceOutcomes:
    return PlaceOutcomes(Path(path))


def report_for(place: Place) -> PlaceOutcomes | None:
    """The report for the place's latest dataset, or None if it has none (or it is gone)."""
    dataset = place.datasets.first()
    if dataset is None:
        return None
    manifest = Path(dataset.path) / "manifest.json"
    if not manifest.exists():
        return None
    return _report(dataset.path, manifest.stat().st_mtime)
