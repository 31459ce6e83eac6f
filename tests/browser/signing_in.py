"""Signing in through the form, as a person does, with the second factor where it is owed.

For a user whose roles require two-factor sign-in (or who has set it up), ``sign_in`` gives
them a confirmed authenticator if they have none (as if set up earlier: setting it up
through the pages is tested in ``test_two_factor``) and types the code an authenticator app
would show, computed from the device's key.
"""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from onebudget_web.accounts.models import User
from onebudget_web.accounts.two_factor import rules

STEP = 30  # seconds: every authenticator app's default, and django-otp's


def code_at(key: bytes, step: int) -> str:
    """The 6-digit code an authenticator app shows during time step ``step``."""
    totp = TOTP(key, STEP, 0, 6)
    totp.time = step * STEP + 1
    return f"{totp.token():06d}"


def code_from_secret(secret: str, *, after_step: int = -1) -> tuple[str, int]:
    """The code for the base32 ``secret`` (as shown on the set-up page) now, or in the next
    step if the one now was used already (a code is accepted once, one step either side)."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    step = max(int(time.time() // STEP), after_step + 1)
    return code_at(key, step), step


def fresh_code(device: TOTPDevice) -> str:
    """A code the device will accept now: after its last accepted step, within its window
    (waiting for the next step if a test signs in the same person three times in one)."""
    while True:
        device.refresh_from_db()
        now = int(time.time() // device.step) + device.drift
        step = max(now - device.tolerance, device.last_t + 1)
        if step <= now + device.tolerance:
            return code_at(device.bin_key, step)
        time.sleep(STEP - time.time() % STEP + 0.2)


def sign_in(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/")
    assert page.title() == "Sign in – OneBudget"
    user = User.objects.filter(username=username).first()
    device = None
    if user is not None and (rules.required_for(user) or rules.authenticator_of(user)):
        device = rules.authenticator_of(user) or TOTPDevice.objects.create(
            user=user, name="Test authenticator"
        )
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if device is not None and page.title() == "Enter your security code – OneBudget":
        page.get_by_label("Security code").fill(fresh_code(device))
        page.get_by_role("button", name="Continue").click()
