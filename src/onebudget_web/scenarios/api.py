"""Saved scenarios in the JSON API: read-only, through the same scoped selectors as the pages,
so only the place's council and ICB see them (anyone else: 404). Money is text with two
decimal places, as every table is stored (a JSON number would be a float)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.places.selectors import get_place_for
from onebudget_web.scenarios import selectors
from onebudget_web.scenarios.models import SavedScenario

router = Router(tags=["Demand and cost scenarios"])


class Problem(Schema):
    detail: str


class ScenarioOut(Schema):
    number: int
    name: str
    owner: dict[str, str]
    saved_by: str
    saved_at: datetime
    data: str
    population: str  # national rates, or the ONS projection and area it was modelled on
    withdrawn: dict[str, Any] | None


class ScenarioDetailOut(ScenarioOut):
    text: str
    tables: list[dict[str, Any]]  # each {sheet, columns, rows}, in order
    proposal: dict[str, Any]


def _scenario(saved: SavedScenario) -> dict[str, Any]:
    withdrawal = getattr(saved, "withdrawal", None)
    return {
        "number": saved.number, "name": saved.name,
        "owner": {"code": saved.owner.code, "name": saved.owner.name},
        "saved_by": saved.saved_by.username, "saved_at": saved.saved_at,
        "data": saved.dataset.label,
        "population": saved.projection_source or "national rates of birth and death",
        "withdrawn": None if withdrawal is None else {
            "reason": withdrawal.reason, "at": withdrawal.withdrawn_at.isoformat(),
            "by": withdrawal.withdrawn_by.username,
        },
    }  # fmt: skip


@router.get(
    "/{slug}/scenarios",
    response={200: list[ScenarioOut], 401: Problem, 404: Problem},
    summary="A place's saved scenarios (its council's and ICB's people only)",
)
def list_scenarios(request: SignedInRequest, slug: str) -> list[dict[str, Any]]:
    place = get_place_for(request.user, slug)
    return [_scenario(s) for s in selectors.scenarios_for(request.user, place)]


@router.get(
    "/{slug}/scenarios/{number}",
    response={200: ScenarioDetailOut, 401: Problem, 404: Problem},
    summary="A saved scenario: its file, every table and the proposed scheme",
)
def get_scenario(request: SignedInRequest, slug: str, number: str) -> dict[str, Any]:
    """``number``: the scenario's number in the place (text in the path: anything else is
    404, as on every route)."""
    place = get_place_for(request.user, slug)
    found = int(number) if number.isdigit() and len(number) < 10 else 0
    saved = selectors.get_scenario_for(request.user, place, found)
    return _scenario(saved) | {
        "text": saved.text,
        "tables": saved.results,
        "proposal": saved.proposal,
    }
