"""Every two-factor write: keyword arguments, ``by=`` the person (only ever themselves), one
transaction, an audit event. Codes are checked by django-otp's devices, whose throttling
makes each wrong code double the wait before the next (1, 2, 4... seconds)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from onebudget_web.accounts.models import User
from onebudget_web.accounts.two_factor import rules
from onebudget_web.audit.log import record

RECOVERY_CODES = 10
WRONG = "The code is not right: enter the code your authenticator app shows now"
MISSING_DEVICE = "Two-factor sign-in is not set up for this account"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A code checked: the device that accepted it, or the problem to show beside the field."""

    device: Device | None
    problem: str = ""
    recovery_codes_left: int | None = None  # when a recovery code was used


def normalise(code: str) -> str:
    """What people type: spaces and hyphens anywhere, any case."""
    return re.sub(r"[\s-]+", "", code).lower()


@transaction.atomic
def begin_set_up(*, by: User) -> TOTPDevice:
    """The unconfirmed authenticator whose secret the set-up page shows: the same one until it
    is confirmed, so reloading the page does not change the secret being typed in."""
    pending = rules.pending_authenticator_of(by)
    if pending is None:
        pending = TOTPDevice.objects.create(user=by, name="Authenticator app", confirmed=False)
        record(by=by, action="two_factor.set_up_started", obj=by)
    return pending


@transaction.atomic
def confirm_set_up(*, by: User, device: TOTPDevice, code: str) -> tuple[Outcome, list[str]]:
    """Confirm the new authenticator with a code from it. It replaces any earlier one, and
    comes with new recovery codes, returned in clear this once."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=by, confirmed=False)
    outcome = _check(by, locked, normalise(code), step="set up")
    if outcome.device is None:
        return outcome, []
    TOTPDevice.objects.filter(user=by).exclude(pk=locked.pk).delete()
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(by)
    record(by=by, action="two_factor.set_up", obj=by, detail={"recovery_codes": len(codes)})
    return Outcome(locked), codes


@transaction.atomic
def verify_second_factor(*, by: User, code: str) -> Outcome:
    """Check a code at sign-in (or to re-authenticate): six digits are checked against the
    authenticator, anything else against the recovery codes, a used one deleted."""
    code = normalise(code)
    if re.fullmatch(r"\d{6}", code):
        device: Device | None = rules.authenticator_of(by)
    else:
        device = rules.recovery_device_of(by)
    if device is None:
        if rules.authenticator_of(by) is None:
            return Outcome(None, MISSING_DEVICE)
        record(by=by, action="two_factor.failed", obj=by, detail={"reason": "wrong code"})
        return Outcome(None, WRONG)
    locked = type(device).objects.select_for_update().get(pk=device.pk)
    outcome = _check(by, locked, code, step="sign in")
    if outcome.device is None or not isinstance(locked, StaticDevice):
        return outcome
    left = locked.token_set.count()
    record(by=by, action="two_factor.recovery_code_used", obj=by, detail={"left": left})
    return Outcome(locked, recovery_codes_left=left)


@transaction.atomic
def make_new_recovery_codes(*, by: User, code: str) -> tuple[Outcome, list[str]]:
    """New recovery codes, the old ones no longer working; a current code first."""
    outcome = verify_second_factor(by=by, code=code)
    if outcome.device is None:
        return outcome, []
    codes = _new_recovery_codes(by)
    record(by=by, action="two_factor.recovery_codes_made", obj=by, detail={"count": len(codes)})
    return outcome, codes


@transaction.atomic
def remove_two_factor(*, by: User, code: str) -> Outcome:
    """Remove the authenticator and recovery codes, with a current code; never for someone
    whose roles require two-factor sign-in."""
    if rules.required_for(by):
        raise ValidationError("Your roles require two-factor sign-in: it cannot be removed")
    outcome = verify_second_factor(by=by, code=code)
    if outcome.device is None:
        return outcome
    TOTPDevice.objects.filter(user=by).delete()
    StaticDevice.objects.filter(user=by).delete()
    record(by=by, action="two_factor.removed", obj=by)
    return outcome


def _check(by: User, device: Device, code: str, *, step: str) -> Outcome:
    """One try of a code on one (locked) device, throttled by the device, audited."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        wait = _seconds_until((why or {}).get("locked_until"))
        record(by=by, action="two_factor.failed", obj=by, detail={"reason": "throttled"})
        seconds = "1 second" if wait == 1 else f"{wait} seconds"
        return Outcome(None, f"Too many wrong codes: wait {seconds}, then try again")
    if not device.verify_token(code):
        record(by=by, action="two_factor.failed", obj=by, detail={"reason": "wrong code"})
        return Outcome(None, WRONG)
    if step == "sign in" and isinstance(device, TOTPDevice):
        record(by=by, action="two_factor.verified", obj=by, detail={"with": "authenticator"})
    return Outcome(device)


def _seconds_until(when: datetime | None) -> int:
    if when is None:
        return 1
    return max(1, math.ceil((when - timezone.now()).total_seconds()))


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes
