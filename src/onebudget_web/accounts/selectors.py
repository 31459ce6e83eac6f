"""Reads scoped to the organisations a person belongs to. Written once; every app reuses it.

A record that belongs to an organisation the user is not a member of does not exist for that
user: ``get_*_for`` raise ``Http404``, never 403, so a URL does not even confirm it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from onebudget.roles import Permission, Role, permissions_of
from onebudget_web.accounts.models import (
    ApiToken,
    DisclosureWaiver,
    Invitation,
    Membership,
    Organisation,
    User,
)
from onebudget_web.audit.log import Actor

M = TypeVar("M", bound=Model)
_CACHE = "_onebudget_organisation_ids"

Viewer = Actor | AnonymousUser
"""Whoever asks: a request's user (signed in or not), or an actor. Only a signed-in, active
person sees any organisation's records; a visitor or a named process sees none."""


def signed_in(user: Viewer) -> TypeGuard[User]:
    """A signed-in, active person: the only viewer who may see any organisation's records."""
    if isinstance(user, str):
        return False
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def visible_organisation_ids(user: Viewer) -> frozenset[int]:
    """Ids of the organisations the user holds any role in (cached on the user object)."""
    if not signed_in(user):
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _CACHE, None)
    if cached is None:
        ids = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        cached = frozenset(ids)
        setattr(user, _CACHE, cached)
    return cached


def forget_scope(user: Viewer) -> None:
    """Drop the cached organisation ids after the user's roles change, so that this same
    object (a request's user, a test's) is not judged on the roles it held before."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def scoped(queryset: QuerySet[M], user: Viewer, *, via: str = "organisation") -> QuerySet[M]:
    """Keep only rows linked, through the ``via`` lookup path, to the user's organisations."""
    return queryset.filter(**{f"{via}__in": visible_organisation_ids(user)}).distinct()


def get_scoped(queryset: QuerySet[M], user: Viewer, *, via: str, **lookup: Any) -> M:
    try:
        return scoped(queryset, user, via=via).get(**lookup)
    except ObjectDoesNotExist as missing:  # M.DoesNotExist, which the types cannot name
        raise Http404("No such record for this user") from missing


def organisations_for(user: Viewer) -> QuerySet[Organisation]:
    return scoped(Organisation.objects.all(), user, via="id")


def get_organisation_for(user: Viewer, code: str) -> Organisation:
    return get_scoped(Organisation.objects.all(), user, via="id", code=code)


def roles_in(user: Viewer, organisation: Organisation) -> frozenset[Role]:
    if not signed_in(user) or organisation.pk not in visible_organisation_ids(user):
        return frozenset()
    rows = Membership.objects.filter(user=user, organisation=organisation)
    return frozenset(Role(r) for r in rows.values_list("role", flat=True))


def has_permission(user: Viewer, organisation: Organisation, permission: Permission) -> bool:
    return permission in permissions_of(roles_in(user, organisation))


def memberships_for(user: Viewer) -> QuerySet[Membership]:
    """The user's own roles, with their organisations."""
    if not signed_in(user) or not visible_organisation_ids(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def members_of(user: Viewer, organisation: Organisation) -> QuerySet[Membership]:
    """Everyone's roles in ``organisation``, for a member of it; nothing for anyone else."""
    if organisation.pk not in visible_organisation_ids(user):
        return Membership.objects.none()
    return organisation.memberships.select_related("user")


def active_waiver(user: Viewer, organisations: Iterable[Organisation]) -> DisclosureWaiver | None:
    """The user's current disclosure waiver at one of ``organisations``, if any."""
    if not signed_in(user) or not visible_organisation_ids(user):
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


# People: what an organisation's admins (MANAGE_MEMBERS there) see and act on. For anyone
# else each of these is empty or ``Http404``: the views answer 403 before reaching them.
ADMIN_ROLES = tuple(r.value for r in Role if Permission.MANAGE_MEMBERS in r.permissions)


def administered_organisation_ids(user: Viewer) -> frozenset[int]:
    """Ids of the organisations where the user manages members."""
    visible = visible_organisation_ids(user)
    if not signed_in(user) or not visible:
        return frozenset()
    rows = Membership.objects.filter(user=user, role__in=ADMIN_ROLES, organisation_id__in=visible)
    return frozenset(rows.values_list("organisation_id", flat=True))


def _administers(user: Viewer, organisation: Organisation) -> bool:
    return organisation.pk in administered_organisation_ids(user)


def working_elsewhere(user: Viewer, organisation: Organisation) -> frozenset[int]:
    """Ids of ``organisation``'s members who also hold a role where ``user`` is not an admin:
    ``user`` may withdraw their roles here but not disable their account, which is not only
    this organisation's to close."""
    mine = administered_organisation_ids(user)
    if organisation.pk not in mine:
        return frozenset()
    members = organisation.memberships.values("user_id")
    rows = Membership.objects.filter(user_id__in=members).exclude(organisation_id__in=mine)
    return frozenset(rows.values_list("user_id", flat=True))


def member_of(user: Viewer, organisation: Organisation, pk: int) -> User:
    """A person holding a role in ``organisation``, for its admin."""
    found = None
    if _administers(user, organisation):
        found = User.objects.filter(pk=pk, memberships__organisation=organisation).first()
    if found is None:
        raise Http404("No such member")
    return found


def membership_in(user: Viewer, organisation: Organisation, pk: int) -> Membership:
    """One role held in ``organisation`` (never another's, whatever id a form sends)."""
    found = None
    if _administers(user, organisation):
        found = organisation.memberships.select_related("user").filter(pk=pk).first()
    if found is None:
        raise Http404("No such role")
    return found


def pending_invitations(user: Viewer, organisation: Organisation) -> QuerySet[Invitation]:
    if not _administers(user, organisation):
        return Invitation.objects.none()
    return organisation.invitations.filter(
        used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_in(user: Viewer, organisation: Organisation, pk: int) -> Invitation:
    found = pending_invitations(user, organisation).filter(pk=pk).first()
    if found is None:
        raise Http404("No such invitation")
    return found


def invitation_with_digest(digest: str) -> Invitation | None:
    """The invitation a link names, for whoever holds the link (the token is the credential:
    the person opening it has no account yet). Any state: the page says why a link is dead."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(digest=digest)
        .first()
    )


def member_tokens(user: Viewer, organisation: Organisation) -> QuerySet[ApiToken]:
    """The API tokens of ``organisation``'s members (never the tokens themselves: digests)."""
    if not _administers(user, organisation):
        return ApiToken.objects.none()
    members = organisation.memberships.values("user_id")
    return ApiToken.objects.filter(user_id__in=members).order_by("-created_at")


def member_token(user: Viewer, organisation: Organisation, pk: int) -> ApiToken:
    found = member_tokens(user, organisation).select_related("user").filter(pk=pk).first()
    if found is None:
        raise Http404("No such token")
    return found
