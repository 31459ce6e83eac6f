"""Reads of the audit log, for the people allowed to see an organisation's trail."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.selectors import Viewer, has_permission
from onebudget_web.audit.models import AuditEvent

SIGN_IN_ACTIONS = ("login.succeeded", "logout")


def activity_of(
    user: Viewer, organisation: Organisation, *, limit: int = 200
) -> QuerySet[AuditEvent]:
    """Changes to ``organisation``'s records, and its members' sign-ins, newest first.

    Only for holders of the ``view_audit`` permission there. Events about other
    organisations are never included, even when done by this organisation's members.
    """
    if not has_permission(user, organisation, Permission.VIEW_AUDIT):
        raise NotPermitted("Only the organisation's administrators see its activity")
    members = organisation.memberships.values("user_id")
    mine = Q(organisation=organisation) | Q(action__in=SIGN_IN_ACTIONS, actor_id__in=members)
    return AuditEvent.objects.filter(mine).order_by("-at", "-id")[:limit]
