"""Allocation in the JSON API: a place's saved allocation places with their indices and
owners, and its latest budget allocation; read-only, through the same scoped selectors as the
pages. Indices and money are text (exact decimals; a JSON number would be a float)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.allocation.presenters import budget_result, index_groups
from onebudget_web.allocation.selectors import latest_budget, saved_places
from onebudget_web.places.selectors import get_place_for

router = Router(tags=["allocation"])


class Problem(Schema):
    detail: str


class AllocationPlaceOut(Schema):
    name: str
    year: str
    icb: str
    practices: list[str]
    owner: str  # the code of the partner whose analysts alone replace or delete it
    indices: dict[str, str]


class AllocationOut(Schema):
    icb_indices: dict[str, dict[str, str]]
    places: list[AllocationPlaceOut]
    budget: list[dict[str, str]] | None


@router.get(
    "/{slug}/allocation",
    response={200: AllocationOut, 401: Problem, 404: Problem},
    summary="A place's allocation places, their need indices and the latest budget",
)
def get_allocation(request: SignedInRequest, slug: str) -> dict[str, Any]:
    place = get_place_for(request.user, slug)
    groups = index_groups(saved_places(place), chart=False)
    places = []
    for g in groups:
        for i, saved in enumerate(g["places"]):
            places.append(
                {
                    "name": saved.name,
                    "year": saved.year,
                    "icb": saved.icb,
                    "practices": saved.practices,
                    "owner": saved.organisation.code,
                    "indices": {r["index"]: f"{r['places'][i]:.3f}" for r in g["rows"]},
                }
            )
    result = budget_result(latest_budget(place))
    return {
        "icb_indices": {
            f"{g['icb']} {g['year']}": {r["index"]: f"{r['icb']:.3f}" for r in g["rows"]}
            for g in groups
        },
        "places": places,
        "budget": [{k: str(v) for k, v in r.items()} for r in result.rows()] if result else None,
    }
