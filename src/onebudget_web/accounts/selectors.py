"""Reads scoped to the organisations a person belongs to. Written once; every app reuses it.

A record that belongs to an organisation the user is not a member of does not exist for that
user: ``get_*_for`` raise ``Http404``, never 403, so a URL does not even confirm it exists.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from onebudget.roles import Permission, Role, permissions_of
from onebudget_web.accounts.models import DisclosureWaiver, Membership, Organisation

M = TypeVar("M", bound=Model)
_CACHE = "_onebudget_organisation_ids"


def visible_organisation_ids(user: Any) -> frozenset[int]:
    """Ids of the organisations the user holds any role in (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        ids = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        cached = frozenset(ids)
        setattr(user, _CACHE, cached)
    return cached


def scoped(queryset: QuerySet[M], user: Any, *, via: str = "organisation") -> QuerySet[M]:
    """Keep only rows linked, through the ``via`` lookup path, to the user's organisations."""
    return queryset.filter(**{f"{via}__in": visible_organisation_ids(user)}).distinct()


def get_scoped(queryset: QuerySet[M], user: Any, *, via: str, **lookup: Any) -> M:
    try:
        return scoped(queryset, user, via=via).get(**lookup)
    except queryset.model.DoesNotExist as missing:
        raise Http404("No such record for this user") from missing


def organisations_for(user: Any) -> QuerySet[Organisation]:
    return scoped(Organisation.objects.all(), user, via="id")


def get_organisation_for(user: Any, code: str) -> Organisation:
    return get_scoped(Organisation.objects.all(), user, via="id", code=code)


def roles_in(user: Any, organisation: Organisation) -> frozenset[Role]:
    if organisation.pk not in visible_organisation_ids(user):
        return frozenset()
    rows = Membership.objects.filter(user=user, organisation=organisation)
    return frozenset(Role(r) for r in rows.values_list("role", flat=True))


def has_permission(user: Any, organisation: Organisation, permission: Permission) -> bool:
    return permission in permissions_of(roles_in(user, organisation))


def memberships_for(user: Any) -> QuerySet[Membership]:
    """The user's own roles, with their organisations."""
    if not visible_organisation_ids(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def members_of(user: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Everyone's roles in ``organisation``, for a member of it; nothing for anyone else."""
    if organisation.pk not in visible_organisation_ids(user):
        return Membership.objects.none()
    return organisation.memberships.select_related("user")


def active_waiver(user: Any, organisations: Any) -> DisclosureWaiver | None:
    """The user's current disclosure waiver at one of ``organisations``, if any."""
    if not visible_organisation_ids(user):
        return None
    return (
        DisclosureWaiver.objects.filter(
            user=user,
            organisation__in=organisations,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("organisation")
        .first()
    )
