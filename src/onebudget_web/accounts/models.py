"""People, the organisations they work for, and the roles they hold there.

One ``Organisation`` model serves every kind of partner (ADR 0006): a kind field and a
national code, never a model per organisation type. Writes go through ``actions``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from onebudget.organisations import OrganisationKind
from onebudget.roles import Role


class User(AbstractUser):
    full_name = models.CharField(max_length=200, blank=True)

    def display_name(self) -> str:
        return self.full_name or self.get_username()


class Organisation(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="ODS or GSS code")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=[(k.value, k.label) for k in OrganisationKind])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def kind_enum(self) -> OrganisationKind:
        return OrganisationKind(self.kind)


class Membership(models.Model):
    """A person holds a role in an organisation; one row per role held."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=[(r.value, r.label) for r in Role])
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation__name", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_row_per_role_held"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} at {self.organisation.code}"


def _token_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.ONEBUDGET_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once. It
    reads only (the API has no writes yet), expires (``ONEBUDGET_TOKEN_DAYS``, 90 by
    default), can be revoked, and every use is recorded (``last_used_at`` and the audit)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="first characters, to tell tokens apart")
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=[("read", "read only")], default="read")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class DisclosureWaiver(models.Model):
    """Lets a named analyst see outputs without disclosure control, for a reason, for a time.

    Granted only by an admin of the organisation, only to one of its analysts; every grant,
    revocation and use is in the audit log.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="disclosure_waivers")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="disclosure_waivers"
    )
    reason = models.TextField()
    granted_by = models.CharField(max_length=200)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation.code} until {self.expires_at:%Y-%m-%d}"


def _invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.ONEBUDGET_INVITATION_DAYS)


class Invitation(models.Model):
    """An organisation's admin asks a person to join it with some roles.

    The link's token is random and shown once; only its SHA-256 digest is stored, as for
    API tokens. It works once, until it expires (``ONEBUDGET_INVITATION_DAYS``, 7 by
    default), unless the organisation's admin withdraws it first.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    full_name = models.CharField(max_length=200)
    username = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    roles = models.JSONField(default=list, help_text="the role values to grant on acceptance")
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.username} to {self.organisation.code}"

    def state(self) -> str:
        """``pending``, ``used``, ``withdrawn`` or ``expired``: what the link does now."""
        if self.used_at is not None:
            return "used"
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
