"""Reads for the allocation pages; callers have already found the place through the user's
scope (``places.selectors.get_place_for``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from onebudget.allocation.places import Place
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.places.models import Place as Partnership


def saved_places(place: Partnership) -> QuerySet[AllocationPlace]:
    return place.allocation_places.select_related("saved_by", "organisation")


def saved_place(place: Partnership, pk: int) -> AllocationPlace:
    """One of the place's saved places, with its owner (who alone may change it)."""
    found = AllocationPlace.objects.select_related("place", "organisation")
    return get_object_or_404(found, place=place, pk=pk)


def as_library_place(saved: AllocationPlace) -> Place:
    return Place(saved.name, saved.icb, tuple(saved.practices))


def latest_budget(place: Partnership) -> BudgetConfiguration | None:
    return place.budget_configs.select_related("saved_by").first()
