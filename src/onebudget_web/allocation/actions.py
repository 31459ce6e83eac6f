"""Saving places for allocation and budget configurations: checked in full by the library,
kept only if there is no problem, audited. An analyst of a partner of the place may save."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.places import Choice, Place, choose
from onebudget.allocation.targets import AllocationError
from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.audit.log import record
from onebudget_web.places.models import Place as Partnership
from onebudget_web.places.selectors import partners_for


def acting_organisation(by: User, place: Partnership) -> Organisation:
    """The user's partner organisation that may analyse for the place, or refusal."""
    for organisation in partners_for(by, place):
        if has_permission(by, organisation, Permission.ANALYSE):
            return organisation
    raise PermissionDenied(f"Saving allocations for {place.name} needs an analyst's role")


@transaction.atomic
def save_place(
    *, by: User, place: Partnership, name: str, year: str, icb: str, choice: Choice
) -> AllocationPlace:
    organisation = acting_organisation(by, place)
    found, problems = choose(year, icb, name, choice)
    if found is None:
        raise ValidationError([str(p) for p in problems])
    return _keep(by, place, organisation, found, year)


@transaction.atomic
def save_places(
    *, by: User, place: Partnership, places: list[Place], year: str, source: str
) -> list[AllocationPlace]:
    """Places read from a session file, all kept together."""
    organisation = acting_organisation(by, place)
    kept = [_keep(by, place, organisation, p, year) for p in places]
    record(
        by=by,
        action="allocation.session_imported",
        organisation=organisation,
        detail={"place": place.slug, "file": source, "places": [p.name for p in places]},
    )
    return kept


def _keep(
    by: User, place: Partnership, organisation: Organisation, found: Place, year: str
) -> AllocationPlace:
    saved, created = AllocationPlace.objects.update_or_create(
        place=place,
        name=found.name,
        defaults={
            "year": year,
            "icb": found.icb,
            "practices": list(found.practices),
            "organisation": organisation,
            "saved_by": by,
        },
    )
    record(
        by=by,
        action="allocation.place_saved" if created else "allocation.place_replaced",
        obj=saved,
        organisation=organisation,
        detail={
            "place": place.slug,
            "year": year,
            "icb": found.icb,
            "practices": len(found.practices),
        },
    )
    return saved


@transaction.atomic
def delete_place(*, by: User, saved: AllocationPlace) -> None:
    organisation = acting_organisation(by, saved.place)
    record(
        by=by,
        action="allocation.place_deleted",
        organisation=organisation,
        detail={"place": saved.place.slug, "name": saved.name, "practices": saved.practices},
    )
    saved.delete()


@transaction.atomic
def save_budget(*, by: User, place: Partnership, text: str, source: str) -> BudgetConfiguration:
    """Kept only if it loads and allocates without a problem."""
    organisation = acting_organisation(by, place)
    try:
        allocate_budget(load_budget(text, source=source))
    except BudgetError as error:
        raise ValidationError([f"{source}: {p}" for p in error.problems]) from None
    except AllocationError as error:
        raise ValidationError([f"{source}: {error}"]) from None
    saved = BudgetConfiguration.objects.create(
        place=place, text=text, organisation=organisation, saved_by=by
    )
    record(
        by=by,
        action="allocation.budget_saved",
        obj=saved,
        organisation=organisation,
        detail={"place": place.slug, "file": source},
    )
    return saved
