"""Plain data for the account and organisation pages: templates get no querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onebudget.organisations import OrganisationKind
from onebudget.roles import Permission, Role
from onebudget_web.accounts import selectors
from onebudget_web.accounts.models import Organisation
from onebudget_web.places.selectors import places_for, places_of


@dataclass(frozen=True)
class OrganisationRow:
    code: str
    name: str
    kind: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class PlaceRow:
    slug: str
    name: str
    kind: str
    partner_count: int


@dataclass(frozen=True)
class MemberRow:
    name: str
    username: str
    roles: tuple[str, ...]


def _role_labels(roles: list[str]) -> tuple[str, ...]:
    return tuple(sorted(Role(r).label for r in roles))


def _place_rows(places: Any) -> list[PlaceRow]:
    return [PlaceRow(p.slug, p.name, p.get_kind_display(), p.partners.count()) for p in places]


def home_page(user: Any) -> dict[str, Any]:
    roles: dict[int, list[str]] = {}
    for membership in selectors.memberships_for(user):
        roles.setdefault(membership.organisation_id, []).append(membership.role)
    organisations = [
        OrganisationRow(o.code, o.name, OrganisationKind(o.kind).label, _role_labels(roles[o.pk]))
        for o in selectors.organisations_for(user)
    ]
    return {"organisations": organisations, "places": _place_rows(places_for(user))}


def organisation_page(user: Any, organisation: Organisation) -> dict[str, Any]:
    members: dict[int, tuple[Any, list[str]]] = {}
    for membership in selectors.members_of(user, organisation):
        members.setdefault(membership.user_id, (membership.user, []))[1].append(membership.role)
    kind = OrganisationKind(organisation.kind)
    return {
        "organisation": organisation,
        "kind_label": kind.label,
        "code_system": kind.code_system.value,
        "my_roles": tuple(sorted(r.label for r in selectors.roles_in(user, organisation))),
        "can_view_activity": selectors.has_permission(user, organisation, Permission.VIEW_AUDIT),
        "members": [
            MemberRow(u.display_name(), u.get_username(), _role_labels(r))
            for u, r in members.values()
        ],
        "places": _place_rows(places_of(user, organisation)),
    }
