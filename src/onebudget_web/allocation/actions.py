"""Saving places for allocation and budget configurations: checked in full by the library,
kept only if there is no problem, audited. An analyst of a partner of the place may save."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.places import Choice, Place, choose
from onebudget.allocation.targets import AllocationError
from onebudget.io.problems import Problem
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.audit.log import record
from onebudget_web.core.refused import RefusedError
from onebudget_web.places.models import Place as Partnership
from onebudget_web.places.selectors import partners_for


def acting_organisation(by: User, place: Partnership) -> Organisation:
    """The user's partner organisation that may analyse for the place, or refusal."""
    for organisation in partners_for(by, place):
        if has_permission(by, organisation, Permission.ANALYSE):
            return organisation
    raise NotPermitted(f"Saving allocations for {place.name} needs an analyst's role")


def may_save(by: User, place: Partnership) -> bool:
    """Whether the pages offer the user their forms (the actions check again)."""
    try:
        acting_organisation(by, place)
    except NotPermitted:
        return False
    return True


class UnconfirmedError(Exception):
    """Saving would replace saved places and the user has not said to: they are asked."""

    def __init__(self, replacing: list[AllocationPlace]) -> None:
        self.replacing = replacing
        super().__init__(", ".join(s.name for s in replacing))


class NotOwner(NotPermitted):
    """Refused: the saved places belong to another partner, whose analysts alone change them."""

    def __init__(self, refused: list[AllocationPlace], what: str) -> None:
        hint = " Save yours under another name." if what == "replace" else ""
        self.messages = [
            f"{s.name} belongs to {s.organisation.name}: only its analysts may {what} it.{hint}"
            for s in refused
        ]
        super().__init__(" ".join(self.messages))


def may_change(by: User, saved: AllocationPlace) -> bool:
    """A saved place is replaced or deleted only by an analyst of the organisation owning it."""
    return has_permission(by, saved.organisation, Permission.ANALYSE)


@transaction.atomic
def save_place(
    *,
    by: User,
    place: Partnership,
    name: str,
    year: str,
    icb: str,
    choice: Choice,
    replace: bool = True,
) -> AllocationPlace:
    """Checked in full first; then, unless ``replace``, a place of the same name is asked
    about (``UnconfirmedError``) rather than replaced."""
    organisation = acting_organisation(by, place)
    found, problems = choose(year, icb, name, choice)
    if found is None:
        raise RefusedError(problems)
    _confirmed(by, place, [found.name], replace)
    return _keep(by, place, organisation, found, year)


def _confirmed(by: User, place: Partnership, names: list[str], replace: bool) -> None:
    """Refused if any place of these names is another partner's; asked if it is the
    user's to replace and they have not said to."""
    replacing = to_replace(by, place, names)
    if replacing and not replace:
        raise UnconfirmedError(replacing)


def to_replace(by: User, place: Partnership, names: list[str]) -> list[AllocationPlace]:
    """The saved places that saving ``names`` would replace, asked before replacing them (a
    confirmation step); refused outright if the user may not save, or may not replace one."""
    acting_organisation(by, place)
    taken = AllocationPlace.objects.filter(place=place, name__in=[n.strip() for n in names])
    found = list(taken.select_related("organisation", "saved_by").order_by("name"))
    refused = [s for s in found if not may_change(by, s)]
    if refused:
        raise NotOwner(refused, "replace")
    return found


@transaction.atomic
def save_places(
    *,
    by: User,
    place: Partnership,
    places: list[Place],
    year: str,
    source: str,
    replace: bool = True,
) -> list[AllocationPlace]:
    """Places read from a session file, all kept together, or none if any of them would
    replace another partner's place (or one of the user's, unless ``replace``)."""
    organisation = acting_organisation(by, place)
    _confirmed(by, place, [p.name for p in places], replace)
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
    """A new place belongs to ``organisation`` (the one the user acts for); saving over an
    existing one is for its owner's analysts, and it stays the owner's. Audited to the owner."""
    fields = {"year": year, "icb": found.icb, "practices": list(found.practices), "saved_by": by}
    saved, created = AllocationPlace.objects.select_for_update().get_or_create(
        place=place, name=found.name, defaults={**fields, "organisation": organisation}
    )
    if not created:
        if not may_change(by, saved):
            raise NotOwner([saved], "replace")
        for field, value in fields.items():
            setattr(saved, field, value)
        saved.saved_at = timezone.now()
        saved.save(update_fields=[*fields, "saved_at"])
    record(
        by=by,
        action="allocation.place_saved" if created else "allocation.place_replaced",
        obj=saved,
        organisation=saved.organisation,
        detail={
            "place": place.slug,
            "year": year,
            "icb": found.icb,
            "practices": len(found.practices),
        },
    )
    return saved


def may_delete(*, by: User, saved: AllocationPlace) -> None:
    """Refused unless the user is an analyst of the organisation owning the saved place."""
    acting_organisation(by, saved.place)  # anyone who may not save: the plain refusal
    if not may_change(by, saved):
        raise NotOwner([saved], "delete")


@transaction.atomic
def delete_place(*, by: User, saved: AllocationPlace) -> None:
    """For the owner's analysts only; the event is filed against the owner."""
    may_delete(by=by, saved=saved)
    record(
        by=by,
        action="allocation.place_deleted",
        obj=saved,
        organisation=saved.organisation,
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
        raise RefusedError(error.problems) from None
    except AllocationError as error:
        raise RefusedError([Problem(path="(budget)", value=None, rule=str(error))]) from None
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
