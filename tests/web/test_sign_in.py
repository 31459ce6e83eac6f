"""Signing in and out: Argon2 hashes, audit events, and throttling of repeated failures."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from onebudget_web.audit.models import AuditEvent
from onebudget_web.settings import base
from tests.conftest import PASSWORD


def sign_in(client, username: str, password: str, ip: str = "198.51.100.7"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="pytest-browser",
    )


def test_passwords_are_hashed_with_argon2(settings) -> None:
    """The service's hashers (the tests hash with a fast one: settings/test.py)."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    assert make_password(PASSWORD).startswith("argon2$argon2id$")


def test_home_asks_for_sign_in(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_is_audited_with_the_address(client, world) -> None:
    response = sign_in(client, "aldmoor-alice", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="login.succeeded").get()
    assert event.actor == world.alice
    assert (event.ip_address, event.user_agent, event.channel) == (
        "198.51.100.7",
        "pytest-browser",
        "web",
    )
    assert "Aldmoor Council" in client.get(reverse("home")).content.decode()


def test_a_failed_sign_in_is_audited_and_explained(client, world) -> None:
    response = sign_in(client, "aldmoor-alice", "wrong-password")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    event = AuditEvent.objects.filter(action="login.failed").get()
    assert event.actor is None
    assert event.detail == {"username": "aldmoor-alice"}


def test_repeated_failures_lock_the_account_out_from_that_address(client, world) -> None:
    for _ in range(5):
        sign_in(client, "aldmoor-alice", "wrong-password")
    locked = sign_in(client, "aldmoor-alice", PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login.locked_out").exists()
    assert not AuditEvent.objects.filter(action="login.succeeded").exists()
    # Another person at another address is not locked out by it.
    assert sign_in(client, "brindle-bob", PASSWORD, ip="192.0.2.1").status_code == 302


def test_signing_out_is_audited_and_needs_post(client, world) -> None:
    client.force_login(world.alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=world.alice).exists()
    assert client.get(reverse("home")).status_code == 302
