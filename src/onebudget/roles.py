"""Roles a person holds in an organisation, and what each role may do.

Roles are small and additive: a person may hold several in one organisation and gets the
union of their permissions. Permissions are named after what a user does in the domain, so
a later capability adds a permission here rather than inventing checks in a view.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class NotPermitted(Exception):  # noqa: N818 (the domain's word for a refusal)
    """The acting person lacks the permission an action needs. The one way any part of
    OneBudget refuses for want of a role; the service answers it with 403 and the reason
    (``onebudget_web.core.refusals``). A broken rule is a problem with the input instead."""


class Permission(StrEnum):
    VIEW = "view"  # see the organisation's records and its places
    ANALYSE = "analyse"  # run indicators and download analyses
    MANAGE_FINANCE = "manage_finance"  # upload ledgers, actuals and forecasts
    APPROVE_SETTLEMENT = "approve_settlement"  # approve a pooled-fund settlement
    COMMISSION = "commission"  # edit plans, schemes and contracts
    POST_TO_POOL = "post_to_pool"  # post entries to a pooled fund's ledger
    MANAGE_MEMBERS = "manage_members"  # grant and withdraw roles in the organisation
    VIEW_AUDIT = "view_audit"  # read the organisation's audit trail


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    FINANCE = "finance"
    COMMISSIONER = "commissioner"
    POOL_MANAGER = "pool_manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def permissions(self) -> frozenset[Permission]:
        return _ROLE_PERMISSIONS[self]


P = Permission
_ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({P.VIEW}),
    Role.ANALYST: frozenset({P.VIEW, P.ANALYSE}),
    Role.FINANCE: frozenset({P.VIEW, P.ANALYSE, P.MANAGE_FINANCE, P.APPROVE_SETTLEMENT}),
    Role.COMMISSIONER: frozenset({P.VIEW, P.ANALYSE, P.COMMISSION}),
    Role.POOL_MANAGER: frozenset({P.VIEW, P.ANALYSE, P.MANAGE_FINANCE, P.POST_TO_POOL}),
    Role.ADMIN: frozenset({P.VIEW, P.MANAGE_MEMBERS, P.VIEW_AUDIT}),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    """The union of what the given roles allow."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= role.permissions
    return frozenset(granted)


# Roles that move or release money, or grant access to others: a stolen password alone must
# not be enough to act in them, so their holders sign in with a second factor (ADR 0017).
TWO_FACTOR_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.FINANCE, Role.POOL_MANAGER})


def needs_two_factor(roles: Iterable[Role]) -> bool:
    """Whether someone holding ``roles`` (in any organisations) must use two-factor sign-in."""
    return any(role in TWO_FACTOR_ROLES for role in roles)
