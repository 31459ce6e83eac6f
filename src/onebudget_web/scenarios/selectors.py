"""Reads of a place's saved scenarios, scoped to who is asking.

A saved scenario is commissioning intent (what to fund, who pays): it is shared with the
place's commissioning partners, its council and ICB, whoever of them saved it. A provider
that is a partner of the place does not see them (ADR 0025). Callers find the place through
the user's scope first (``places.selectors.get_place_for``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from onebudget.organisations import OrganisationKind
from onebudget_web.accounts.selectors import Viewer, visible_organisation_ids
from onebudget_web.places.models import Place
from onebudget_web.scenarios.models import SavedScenario

COMMISSIONING = (OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.ICB)


def sees_scenarios(user: Viewer, place: Place) -> bool:
    """Whether the user works for the place's council or ICB."""
    return place.partners.filter(
        id__in=visible_organisation_ids(user), kind__in=COMMISSIONING
    ).exists()


def scenarios_for(user: Viewer, place: Place) -> QuerySet[SavedScenario]:
    """The place's saved scenarios the user may see, newest first; 404 for anyone else."""
    if not sees_scenarios(user, place):
        raise Http404("No such page")
    return place.scenarios.select_related("owner", "saved_by", "dataset", "withdrawal")


def get_scenario_for(user: Viewer, place: Place, number: int) -> SavedScenario:
    found = scenarios_for(user, place).filter(number=number).first()
    if found is None:
        raise Http404("No such scenario")
    return found
