"""Who may do what to a fund: one refusal, worded once, for every funds action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Manager, Model, QuerySet

from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import record


def require(by: User, organisation: Organisation, permission: Permission, what: str) -> None:
    """A missing role is ``NotPermitted`` (403); a broken rule is ``ValidationError``."""
    if not has_permission(by, organisation, permission):
        raise NotPermitted(f"{what} needs the {permission.value} permission at {organisation.code}")


def approval_problems(
    *,
    by: User,
    fund: Any,
    organisation: Organisation,
    prepared_by: User,
    approvals: Manager[Any] | QuerySet[Any],
    what: str,
) -> list[str]:
    """The rules for approving a settlement or a reversal (the same for both): a finance
    officer of a partner, one approval per partner, and different people, none of them
    the person who prepared it."""
    if not has_permission(by, organisation, Permission.APPROVE_SETTLEMENT):
        raise NotPermitted(f"Approving needs a finance role at {organisation.code}")
    problems = []
    if not fund.partners.filter(pk=organisation.pk).exists():
        problems.append(f"{organisation.name} is not a partner of this fund")
    if by.pk == prepared_by.pk:
        problems.append(
            f"You prepared this {what}, so you cannot approve it: "
            "a finance officer other than the person who prepared it must"
        )
    if approvals.filter(approver=by).exists():
        problems.append(
            "You have already approved this: a second approval must come from a different person"
        )
    if approvals.filter(organisation=organisation).exists():
        problems.append(f"{organisation.name} has already approved this {what}")
    return problems


def record_approval(
    approvals: Any, *, by: User, organisation: Organisation, of: Model, fund: Any, action: str
) -> Any:
    """Store one partner's approval of a settlement or a reversal (``approvals``: its
    related manager) and audit it; the database's one-per-partner and different-people
    constraints are the last guard, a repeat reads as a refusal."""
    try:
        approval = approvals.create(organisation=organisation, approver=by)
    except IntegrityError:
        raise ValidationError(["This approval has already been given"]) from None
    record(by=by, action=action, obj=of, organisation=organisation, detail={"fund": fund.code})
    return approval
