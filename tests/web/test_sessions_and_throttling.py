"""Sessions end when idle and, whatever happens, some hours after signing in; password
spraying from one address is refused; every password set meets the validators."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from onebudget import demo
from onebudget_web.accounts.actions import create_user
from onebudget_web.accounts.models import User
from onebudget_web.core.sessions import SIGNED_IN_AT
from onebudget_web.demo.loader import load_demo_place

pytestmark = pytest.mark.database


def sign_in(client, username: str, password: str = demo.DEMO_PASSWORD, ip: str = "10.0.0.9"):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_session_is_renewed_by_each_request_and_ends_when_idle(client, db, settings) -> None:
    load_demo_place()
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert sign_in(client, "commissioner").status_code == 302
    assert client.get("/").status_code == 200
    session = client.session
    session.set_expiry(-1)  # as if idle past the limit
    session.save()
    response = client.get("/places/fernmouth/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_session_ends_hours_after_signing_in_even_if_in_use(client, db) -> None:
    load_demo_place()
    assert sign_in(client, "commissioner").status_code == 302
    session = client.session
    assert session[SIGNED_IN_AT] <= time.time()
    session[SIGNED_IN_AT] = time.time() - 10 * 3600 - 1
    session.save()
    response = client.get("/places/fernmouth/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/places/fernmouth/"
    assert client.get("/").status_code == 302  # signed out, not just redirected once
    with override_settings(ONEBUDGET_ABSOLUTE_HOURS=10):
        assert sign_in(client, "commissioner").status_code == 302
        assert client.get("/places/fernmouth/").status_code == 200


def test_password_spraying_from_one_address_is_refused(client, db) -> None:
    """Three wrong passwords on each of three accounts from one address: refused after five
    failures (the fifth is refused), and then even the right password from that address is
    refused for a while."""
    load_demo_place()
    names = ["commissioner", "analyst", "finance", "icb-finance", "pool-manager", "viewer"]
    statuses = []
    for name in names[:3]:
        for attempt in range(3):
            statuses.append(sign_in(client, name, f"wrong-{attempt}").status_code)
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    assert sign_in(client, "viewer").status_code == 429
    assert sign_in(client, "viewer", ip="10.0.0.10").status_code == 302  # another address


def test_every_password_set_meets_the_validators(db) -> None:
    with pytest.raises(ValidationError, match=r"too short|too common"):
        create_user(by="system:tests", username="new-person", full_name="New", password="abc")
    assert not User.objects.filter(username="new-person").exists()
