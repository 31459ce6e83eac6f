"""Every write to organisations, people, roles and tokens: keyword arguments, ``by=`` the
actor, one transaction, one audit event."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from onebudget.organisations import OrganisationKind, code_problems
from onebudget.roles import NotPermitted, Permission, Role
from onebudget_web.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    User,
)
from onebudget_web.accounts.selectors import (
    administered_organisation_ids,
    forget_scope,
    has_permission,
)
from onebudget_web.audit.log import Actor, actor_label, record

TOKEN_PREFIX = "ob_"  # noqa: S105 (a label, not a secret)


@transaction.atomic
def create_organisation(*, by: Actor, code: str, name: str, kind: OrganisationKind) -> Organisation:
    problems = [str(p) for p in code_problems(kind, code)]
    if not name.strip():
        problems.append("the organisation needs a name")
    if Organisation.objects.filter(code=code).exists():
        problems.append(f"{code!r}: an organisation with this code already exists")
    if problems:
        raise ValidationError(problems)
    organisation = Organisation.objects.create(code=code, name=name.strip(), kind=kind.value)
    record(
        by=by,
        action="organisation.created",
        obj=organisation,
        organisation=organisation,
        detail={"code": code, "name": organisation.name, "kind": kind.value},
    )
    return organisation


@transaction.atomic
def create_user(
    *, by: Actor, username: str, full_name: str, password: str | None, email: str = ""
) -> User:
    """Create a person's account. ``password=None`` makes an account that cannot sign in yet."""
    if User.objects.filter(username=username).exists():
        raise ValidationError([f"{username!r}: a user with this username already exists"])
    user = User(username=username, full_name=full_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)  # every rule of AUTH_PASSWORD_VALIDATORS, here too
        user.set_password(password)
    user.save()
    record(by=by, action="user.created", obj=user, detail={"username": username})
    return user


def is_system(by: Actor) -> bool:
    """A named process ("system:demo", "system:manage.py", "system:tests"), trusted as the
    command line that runs it is: it may manage any organisation's people."""
    return isinstance(by, str) and by.startswith("system:")


def require_admin(by: Actor, organisation: Organisation, what: str) -> None:
    """Only an admin of ``organisation`` (or a system process) manages its people."""
    if not is_system(by) and not has_permission(by, organisation, Permission.MANAGE_MEMBERS):
        raise NotPermitted(f"{what} needs an admin of {organisation.name}")


def refuse_self(by: Actor, user: User, what: str) -> None:
    """Nobody changes their own roles or account: another admin must. So an admin cannot
    raise themself, nor leave an organisation with no admin by withdrawing their own."""
    if not is_system(by) and getattr(by, "pk", None) == user.pk:
        raise NotPermitted(f"You cannot {what} yourself: another admin must")


@transaction.atomic
def grant_role(*, by: Actor, user: User, organisation: Organisation, role: Role) -> Membership:
    """Give ``user`` a role in ``organisation``; refused unless ``by`` administers it."""
    require_admin(by, organisation, "Granting a role")
    refuse_self(by, user, "grant a role to")
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role.value,
        defaults={"granted_by": actor_label(by)},
    )
    if created:
        record(
            by=by,
            action="role.granted",
            obj=membership,
            organisation=organisation,
            detail={"user": user.username, "role": role.value},
        )
    forget_scope(user)
    return membership


@transaction.atomic
def withdraw_role(*, by: Actor, membership: Membership) -> None:
    """Take a role away; refused unless ``by`` administers its organisation."""
    require_admin(by, membership.organisation, "Withdrawing a role")
    refuse_self(by, membership.user, "withdraw a role from")
    end_membership(by, membership)


def end_membership(by: Actor, membership: Membership) -> None:
    record(
        by=by,
        action="role.withdrawn",
        obj=membership,
        organisation=membership.organisation,
        detail={"user": membership.user.username, "role": membership.role},
    )
    membership.delete()
    forget_scope(membership.user)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, by: Actor, user: User, name: str) -> tuple[str, ApiToken]:
    """Create a token for ``user`` and return it in clear: the only time it is ever seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], digest=token_digest(token)
    )
    record(
        by=by,
        action="api_token.issued",
        obj=api_token,
        detail={
            "user": user.username,
            "name": name,
            "prefix": api_token.prefix,
            "scope": api_token.scope,
            "expires": api_token.expires_at.isoformat(),
        },
    )
    return token, api_token


@transaction.atomic
def record_token_use(*, api_token: ApiToken, method: str, path: str) -> None:
    """Every use of a token: when it was last used, and an audit event naming the request."""
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    record(
        by=api_token.user,
        action="api_token.used",
        obj=api_token,
        detail={"prefix": api_token.prefix, "method": method, "path": path[:300]},
    )


@transaction.atomic
def revoke_api_token(
    *, by: Actor, api_token: ApiToken, organisation: Organisation | None = None
) -> None:
    """Revoked by its holder, or by an admin of an organisation the holder belongs to
    (``organisation``: where that admin acts, so that its activity shows the revocation)."""
    holder = api_token.user
    if not (is_system(by) or getattr(by, "pk", None) == holder.pk):
        theirs = set(holder.memberships.values_list("organisation_id", flat=True))
        shared = theirs & administered_organisation_ids(by)
        if not shared or (organisation is not None and organisation.pk not in shared):
            raise NotPermitted("Only the holder or an admin of their organisation revokes")
    revoke_token(by, api_token, organisation)


def revoke_token(by: Actor, api_token: ApiToken, organisation: Organisation | None = None) -> None:
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        record(
            by=by,
            action="api_token.revoked",
            obj=api_token,
            organisation=organisation,
            detail={"user": api_token.user.username, "prefix": api_token.prefix},
        )


def record_sign_in(*, user: User) -> None:
    record(by=user, action="login.succeeded", obj=user)


def record_password_changed(*, user: User) -> None:
    record(by=user, action="password.changed", obj=user)


def record_failed_sign_in(*, username: str, locked_out: bool) -> None:
    record(
        by=None,
        action="login.locked_out" if locked_out else "login.failed",
        detail={"username": username[:150]},
    )


def record_sign_out(*, user: User) -> None:
    record(by=user, action="logout", obj=user)
