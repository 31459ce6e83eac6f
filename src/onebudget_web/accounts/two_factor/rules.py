"""Who must use two-factor sign-in, and what each person has set up. Reads only."""

from __future__ import annotations

from django.conf import settings
from django_otp.middleware import is_verified as otp_is_verified
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from onebudget.roles import Role, needs_two_factor
from onebudget_web.accounts.models import Membership, User

VERIFY = "two_factor_verify"
SET_UP = "two_factor_set_up"


def is_verified(user: User) -> bool:
    """Whether the request's user has passed the second factor in this session. django-otp's
    middleware gives that user an ``is_verified()`` (this same function) at run time, which
    the ``User`` model, and so its type, does not have."""
    return bool(otp_is_verified(user))


def roles_anywhere(user: User) -> frozenset[Role]:
    """Every role the person holds, in any organisation: the rule looks at all of them."""
    rows = Membership.objects.filter(user=user).values_list("role", flat=True)
    return frozenset(Role(r) for r in rows)


def required_for(user: User) -> bool:
    """Whether this person must use two-factor sign-in (their roles, unless switched off)."""
    return bool(settings.ONEBUDGET_REQUIRE_TWO_FACTOR) and needs_two_factor(roles_anywhere(user))


def authenticator_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def pending_authenticator_of(user: User) -> TOTPDevice | None:
    """An authenticator being set up: its secret shown, not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_device_of(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device_of(user)
    return device.token_set.count() if device is not None else 0


def owed_step(user: User) -> str | None:
    """The two-factor page a signed-in, not yet verified person must pass, or None: the code
    page if they have an authenticator, the set-up page if their roles require one."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    if required_for(user):
        return SET_UP
    return None
