"""A leaver: their account closed and everything it could still do taken away, in one
transaction and audited: roles, API tokens, sessions and the invitations they sent."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from onebudget.roles import NotPermitted
from onebudget_web.accounts.actions import (
    end_membership,
    is_system,
    refuse_self,
    require_admin,
    revoke_token,
)
from onebudget_web.accounts.models import Invitation, Organisation, User
from onebudget_web.accounts.selectors import working_elsewhere
from onebudget_web.audit.log import Actor, actor_label, record


@transaction.atomic
def disable_user(*, by: Actor, user: User, organisation: Organisation) -> None:
    """A leaver: the account closed, their roles withdrawn (each audited), API tokens
    revoked, sessions ended, invitations they sent withdrawn. Only by an admin of every
    organisation they hold a role in: elsewhere, an admin withdraws their roles instead."""
    require_admin(by, organisation, "Disabling a person")
    refuse_self(by, user, "disable")
    held = list(user.memberships.select_related("organisation", "user"))
    if organisation.pk not in {m.organisation_id for m in held}:
        raise NotPermitted(f"{user.username} holds no role in {organisation.name}")
    if not is_system(by) and user.pk in working_elsewhere(by, organisation):
        raise NotPermitted(
            f"{user.display_name()} also works for an organisation you do not administer: "
            "withdraw their roles here instead"
        )
    tokens = list(user.api_tokens.filter(revoked_at__isnull=True))
    for api_token in tokens:
        revoke_token(by, api_token, organisation)
    for membership in held:
        end_membership(by, membership)
    invitations = _withdraw_invitations_sent_by(by, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(
        by=by,
        action="user.disabled",
        obj=user,
        organisation=organisation,
        detail={
            "user": user.username,
            "roles_withdrawn": [f"{m.organisation.code}:{m.role}" for m in held],
            "tokens_revoked": [t.prefix for t in tokens],
            "invitations_withdrawn": invitations,
            "sessions_ended": end_sessions_of(user),
        },
    )


def end_sessions_of(user: User) -> int:
    """Delete the user's signed-in sessions (database session engine); how many.

    A session row does not say whose it is until decoded, so this reads every unexpired
    session: O(n) in the sessions of the whole service. Fine at a few thousand users; past
    that, keep a user-to-session index (a ``user_logged_in`` receiver) instead.
    """
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def _withdraw_invitations_sent_by(by: Actor, user: User) -> list[int]:
    """A leaver's pending invitations die with their account: no one joins on their word."""
    pending = Invitation.objects.filter(
        invited_by=user, used_at__isnull=True, withdrawn_at__isnull=True
    ).select_related("organisation")
    withdrawn = []
    for invitation in pending:
        invitation.withdrawn_at = timezone.now()
        invitation.withdrawn_by = actor_label(by)
        invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            by=by,
            action="invitation.withdrawn",
            obj=invitation,
            organisation=invitation.organisation,
            detail={"username": invitation.username, "why": "the inviting admin was disabled"},
        )
        withdrawn.append(invitation.pk)
    return withdrawn
