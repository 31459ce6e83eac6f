"""Disclosure waivers: an organisation's admin lets a named analyst see unsuppressed
outputs for a stated reason and a limited time; each unsuppressed view is audited."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from onebudget.roles import NotPermitted, Permission, Role
from onebudget_web.accounts.models import DisclosureWaiver, Organisation, User
from onebudget_web.accounts.selectors import has_permission, roles_in
from onebudget_web.audit.log import Actor, actor_label, record

MAX_WAIVER_DAYS = 90


@transaction.atomic
def grant_disclosure_waiver(
    *, by: User, user: User, organisation: Organisation, reason: str, days: int
) -> DisclosureWaiver:
    """An organisation's admin lets one of its analysts see unsuppressed outputs."""
    if not has_permission(by, organisation, Permission.MANAGE_MEMBERS):
        raise NotPermitted(f"{by.username} is not an admin of {organisation.name}")
    problems = []
    if Role.ANALYST not in roles_in(user, organisation):  # named analysts only
        problems.append(f"{user.username} is not an analyst of {organisation.code}")
    if len(reason.strip()) < 10:
        problems.append("give the reason (at least 10 characters)")
    if not 1 <= days <= MAX_WAIVER_DAYS:
        problems.append(f"a waiver lasts 1 to {MAX_WAIVER_DAYS} days, not {days}")
    if problems:
        raise ValidationError(problems)
    waiver = DisclosureWaiver.objects.create(
        user=user,
        organisation=organisation,
        reason=reason.strip(),
        granted_by=actor_label(by),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        by=by,
        action="disclosure_waiver.granted",
        obj=waiver,
        organisation=organisation,
        detail={"user": user.username, "reason": waiver.reason, "days": days},
    )
    return waiver


@transaction.atomic
def revoke_disclosure_waiver(*, by: Actor, waiver: DisclosureWaiver) -> None:
    if waiver.revoked_at is None:
        waiver.revoked_at = timezone.now()
        waiver.save(update_fields=["revoked_at"])
        record(
            by=by,
            action="disclosure_waiver.revoked",
            obj=waiver,
            organisation=waiver.organisation,
            detail={"user": waiver.user.username},
        )


def record_unsuppressed_view(*, user: User, waiver: DisclosureWaiver, what: str) -> None:
    record(
        by=user,
        action="outputs.viewed_unsuppressed",
        obj=waiver,
        organisation=waiver.organisation,
        detail={"what": what},
    )
