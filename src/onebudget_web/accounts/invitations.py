"""Invitations: how a person joins an organisation. Its admin names them and their roles; the
service makes a one-time link; the person opens it, chooses a password, and is in.

The link is the only credential, so it is treated as one: random, stored as a digest,
shown once, good once, for ``ONEBUDGET_INVITATION_DAYS``, and withdrawable until used.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from onebudget.roles import NotPermitted, Permission, Role
from onebudget_web.accounts.actions import (
    create_user,
    grant_role,
    require_admin,
    token_digest,
)
from onebudget_web.accounts.models import Invitation, Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import Actor, actor_label, record

GONE = {
    "used": "This invitation has already been used",
    "withdrawn": "This invitation has been withdrawn",
    "expired": "This invitation has expired",
}


@transaction.atomic
def create_invitation(
    *,
    by: User,
    organisation: Organisation,
    full_name: str,
    username: str,
    email: str,
    roles: list[str],
) -> tuple[str, Invitation]:
    """Invite a person to ``organisation``; returns the token, in clear for the only time."""
    if not isinstance(by, User):  # an invitation names the person who answers for it
        raise NotPermitted("Only a person invites people")
    require_admin(by, organisation, "Inviting a person")
    full_name, username, email = full_name.strip(), username.strip(), email.strip()
    problems = _problems(organisation, full_name, username, email, roles)
    if problems:
        raise ValidationError(problems)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        full_name=full_name,
        username=username,
        email=email,
        roles=sorted(set(roles)),
        digest=token_digest(token),
        invited_by=by,
    )
    record(
        by=by,
        action="invitation.created",
        obj=invitation,
        organisation=organisation,
        detail={
            "username": username,
            "roles": invitation.roles,
            "email_given": bool(email),
            "expires": invitation.expires_at.isoformat(),
        },
    )
    return token, invitation


def _problems(
    organisation: Organisation, full_name: str, username: str, email: str, roles: list[str]
) -> dict[str, list[str]]:
    """What is wrong with an invitation, by form field, in words for the admin."""
    problems: dict[str, list[str]] = {}
    if not full_name:
        problems["full_name"] = ["Enter the person's full name"]
    try:
        User.username_validator(username)
        if not username or len(username) > 150:
            raise ValidationError("length")
    except ValidationError:
        problems["username"] = [
            "Enter a username of up to 150 letters, digits and the characters @ . + - _"
        ]
    else:
        if User.objects.filter(username=username).exists():
            problems["username"] = ["That username is already taken: choose another one"]
        elif organisation.invitations.filter(
            username=username,
            used_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists():
            problems["username"] = ["This person already has an invitation waiting"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = ["Enter an email address like name@example.nhs.uk, or leave it"]
    if not roles or not set(roles) <= {r.value for r in Role}:
        problems["roles"] = ["Choose at least one role"]
    return problems


def send_invitation_email(*, invitation: Invitation, link: str) -> None:
    """Email the link to the person (through the configured ``EMAIL_BACKEND``)."""
    send_mail(
        subject=f"You are invited to join {invitation.organisation.name} on OneBudget",
        message=(
            f"Hello {invitation.full_name},\n\n"
            f"{invitation.invited_by.display_name()} has invited you to join "
            f"{invitation.organisation.name} on OneBudget, with the username "
            f"{invitation.username}.\n\nOpen this link to choose your password; it works once, "
            f"until {timezone.localtime(invitation.expires_at):%d %B %Y %H:%M}:\n\n{link}\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    record(
        by=invitation.invited_by,
        action="invitation.emailed",
        obj=invitation,
        organisation=invitation.organisation,
        detail={"username": invitation.username},
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """The invited person's account, made with their password and the invited roles, which
    are granted by the inviting admin, who must still be an admin there."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)  # one use, ever
    state = invitation.state()
    if state != "pending":
        raise ValidationError(GONE[state])
    inviter, organisation = invitation.invited_by, invitation.organisation
    if not has_permission(inviter, organisation, Permission.MANAGE_MEMBERS):
        raise ValidationError(
            f"{inviter.display_name()}, who invited you, is no longer an admin of "
            f"{organisation.name}: ask an admin there for a new invitation"
        )
    if User.objects.filter(username=invitation.username).exists():
        raise ValidationError(
            f"The username {invitation.username} has been taken since you were invited: "
            "ask for a new invitation with another username"
        )
    user = create_user(
        by=inviter,
        username=invitation.username,
        full_name=invitation.full_name,
        password=password,
        email=invitation.email,
    )
    for role in invitation.roles:
        grant_role(by=inviter, user=user, organisation=organisation, role=Role(role))
    invitation.used_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["used_at", "user"])
    record(
        by=user,
        action="invitation.accepted",
        obj=invitation,
        organisation=organisation,
        detail={"username": user.username, "roles": invitation.roles},
    )
    return user


@transaction.atomic
def withdraw_invitation(*, by: Actor, invitation: Invitation) -> None:
    """An admin takes an invitation back before it is used: its link stops working."""
    require_admin(by, invitation.organisation, "Withdrawing an invitation")
    state = invitation.state()
    if state != "pending":
        raise ValidationError(GONE[state])
    invitation.withdrawn_at, invitation.withdrawn_by = timezone.now(), actor_label(by)
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        by=by,
        action="invitation.withdrawn",
        obj=invitation,
        organisation=invitation.organisation,
        detail={"username": invitation.username},
    )
