"""``record``: the one way to write to the audit log. Actions call it inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.context import current_origin
from onebudget_web.audit.models import AuditEvent

Actor = User | str
"""Who acts: a signed-in person, or a named system process ("system:demo", "system:tests"),
trusted as the command line that runs it is (``accounts.actions.is_system``)."""


def actor_label(by: Actor | None) -> str:
    """The name the log keeps for ``by``; ``None`` is the anonymous visitor (a failed sign-in,
    a password reset asked for)."""
    if by is None:
        return "anonymous"
    if isinstance(by, str):
        return by
    return str(by.get_username())


def record(
    *,
    by: Actor | None,
    action: str,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: who (``by``), what (``action`` on ``obj``), when (now), from where."""
    where = current_origin()
    return AuditEvent.objects.create(
        actor=by if isinstance(by, models.Model) else None,
        actor_label=actor_label(by),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        organisation=organisation,
        channel=where.channel,
        ip_address=where.ip_address,
        user_agent=where.user_agent,
        detail=detail or {},
    )
