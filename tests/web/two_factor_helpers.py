"""Two-factor sign-in for tests: a real confirmed authenticator, and its current code."""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator, made if they have none."""
    found = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return found or TOTPDevice.objects.create(user=user, name="Test authenticator")


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)  # as an app: no drift
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def mark_verified(client: Any, user: Any) -> None:
    """The client's session has passed the second factor, with the user's authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
