"""Places a user can see: those where one of the user's organisations is a partner."""

from __future__ import annotations

from django.db.models import QuerySet

from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.selectors import (
    Viewer,
    get_scoped,
    scoped,
    visible_organisation_ids,
)
from onebudget_web.places.models import Place

VIA_PARTNERS = "partners"


def places_for(user: Viewer) -> QuerySet[Place]:
    return scoped(Place.objects.all(), user, via=VIA_PARTNERS)


def get_place_for(user: Viewer, slug: str) -> Place:
    return get_scoped(Place.objects.all(), user, via=VIA_PARTNERS, slug=slug)


def places_of(user: Viewer, organisation: Organisation) -> QuerySet[Place]:
    """Places ``organisation`` is a partner in, as seen by ``user``."""
    return places_for(user).filter(partners=organisation)


def partners_for(user: Viewer, place: Place) -> QuerySet[Organisation]:
    """The place's partners that the user belongs to, by name."""
    return place.partners.filter(id__in=visible_organisation_ids(user)).order_by("name")


def partners_of(place: Place, user: Viewer) -> list[tuple[Organisation, bool]]:
    """A place's partners, each with whether the user may open that organisation's page.

    Partners of a place know who their fellow partners are; they do not see each other's
    records, so only the user's own organisations are linked.
    """
    visible = visible_organisation_ids(user)
    return [(org, org.pk in visible) for org in place.partners.order_by("name")]
