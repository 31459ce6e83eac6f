"""Plain data for the account and organisation pages: templates get no querysets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from onebudget.organisations import OrganisationKind
from onebudget.roles import Permission, Role
from onebudget_web.accounts import selectors
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.places.models import Place
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


def role_labels(roles: list[str]) -> tuple[str, ...]:
    return tuple(sorted(Role(r).label for r in roles))


def _place_rows(places: Iterable[Place]) -> list[PlaceRow]:
    return [PlaceRow(p.slug, p.name, p.get_kind_display(), p.partners.count()) for p in places]


def home_page(user: User) -> dict[str, Any]:
    roles: dict[int, list[str]] = {}
    for membership in selectors.memberships_for(user):
        roles.setdefault(membership.organisation_id, []).append(membership.role)
    organisations = [
        OrganisationRow(o.code, o.name, OrganisationKind(o.kind).label, role_labels(roles[o.pk]))
        for o in selectors.organisations_for(user)
    ]
    return {"organisations": organisations, "places": _place_rows(places_for(user))}


def organisation_page(user: User, organisation: Organisation) -> dict[str, Any]:
    members: dict[int, tuple[User, list[str]]] = {}
    for membership in selectors.members_of(user, organisation):
        members.setdefault(membership.user_id, (membership.user, []))[1].append(membership.role)
    kind = OrganisationKind(organisation.kind)
    return {
        "organisation": organisation,
        "kind_label": kind.label,
        "code_system": kind.code_system.value,
        "my_roles": tuple(sorted(r.label for r in selectors.roles_in(user, organisation))),
        "can_view_activity": selectors.has_permission(user, organisation, Permission.VIEW_AUDIT),
        "can_manage_people": selectors.has_permission(
            user, organisation, Permission.MANAGE_MEMBERS
        ),
        "members": [
            MemberRow(u.display_name(), u.get_username(), role_labels(r))
            for u, r in members.values()
        ],
        "places": _place_rows(places_of(user, organisation)),
    }


@dataclass(frozen=True)
class HeldRole:
    membership_id: int
    label: str


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expired: bool


@dataclass(frozen=True)
class PersonRow:
    """One member on the People page, with what the viewing admin may do to them."""

    id: int
    name: str
    username: str
    is_you: bool
    works_elsewhere: bool
    roles: tuple[HeldRole, ...]
    grantable: tuple[tuple[str, str], ...]  # (value, label) of the roles not yet held
    tokens: tuple[TokenRow, ...]

    @property
    def can_disable(self) -> bool:
        return not self.is_you and not self.works_elsewhere


@dataclass(frozen=True)
class InvitationRow:
    id: int
    name: str
    username: str
    email: str
    roles: tuple[str, ...]
    invited_by: str
    expires_at: datetime


def _token_rows(user: User, organisation: Organisation) -> dict[int, list[TokenRow]]:
    """Each member's API tokens, newest first: what they are, never the token itself."""
    now = timezone.now()
    rows: dict[int, list[TokenRow]] = {}
    for t in selectors.member_tokens(user, organisation):
        row = TokenRow(
            id=t.pk,
            name=t.name,
            prefix=t.prefix,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            revoked_at=t.revoked_at,
            expired=t.expires_at <= now,
        )
        rows.setdefault(t.user_id, []).append(row)
    return rows


def _person(
    viewer: User,
    member: User,
    roles: list[HeldRole],
    *,
    works_elsewhere: bool,
    tokens: tuple[TokenRow, ...],
) -> PersonRow:
    labels = {r.label for r in roles}
    return PersonRow(
        id=member.pk,
        name=member.display_name(),
        username=member.get_username(),
        is_you=member.pk == viewer.pk,
        roles=tuple(sorted(roles, key=lambda r: r.label)),
        grantable=tuple((r.value, r.label) for r in Role if r.label not in labels),
        works_elsewhere=works_elsewhere,
        tokens=tokens,
    )


def people_page(user: User, organisation: Organisation) -> dict[str, Any]:
    """Members (by name), their roles and tokens, and the invitations still waiting."""
    held: dict[int, tuple[User, list[HeldRole]]] = {}
    for m in selectors.members_of(user, organisation):
        held.setdefault(m.user_id, (m.user, []))[1].append(HeldRole(m.pk, Role(m.role).label))
    elsewhere = selectors.working_elsewhere(user, organisation)
    tokens = _token_rows(user, organisation)
    people = [
        _person(
            user,
            member,
            roles,
            works_elsewhere=member.pk in elsewhere,
            tokens=tuple(tokens.get(member.pk, ())),
        )
        for member, roles in held.values()
    ]
    people.sort(key=lambda p: (p.name.casefold(), p.username))
    invitations = [
        InvitationRow(
            id=i.pk,
            name=i.full_name,
            username=i.username,
            email=i.email,
            roles=role_labels(i.roles),
            invited_by=i.invited_by.display_name(),
            expires_at=i.expires_at,
        )
        for i in selectors.pending_invitations(user, organisation)
    ]
    return {"organisation": organisation, "people": people, "invitations": invitations}
