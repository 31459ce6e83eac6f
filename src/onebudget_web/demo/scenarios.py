"""The demo place's saved scenario: Fernmouth's five years from 2025/26, modelled on its
linked data with every shipped intervention, the best portfolio within its budget, and the
proposed variation of its pooled fund for the first year. Saved by the ICB's analyst through
the action a person would use, so it is audited. Once only."""

from __future__ import annotations

from importlib import resources

from onebudget_web.accounts.models import User
from onebudget_web.places.models import PlaceDataset
from onebudget_web.scenarios import actions
from onebudget_web.scenarios.actions import ScenarioFile
from onebudget_web.scenarios.models import SavedScenario

FILE = resources.files("onebudget") / "definitions" / "scenarios" / "fernmouth.yaml"


def load_demo_scenario(dataset: PlaceDataset, runs: int | None = None) -> SavedScenario | None:
    """The demo scenario (``runs``: fewer than the file's, for tests), or the one saved."""
    place = dataset.place
    found = place.scenarios.first()
    if found is not None:
        return found
    text = FILE.read_text(encoding="utf-8")
    if runs is not None:
        text = text.replace("runs: 1000", f"runs: {runs}")
    analyst = User.objects.get(username="analyst")
    return actions.save_scenario(by=analyst, place=place, sent=ScenarioFile("fernmouth.yaml", text))
