"""Password reset by email: never says whether an account exists, applies every validator,
works once, is audited, and does not get round the second factor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onebudget_web.audit.models import AuditEvent
from tests.web.two_factor_helpers import authenticator

pytestmark = pytest.mark.database
ROOT = Path(__file__).resolve().parents[2]
RESET = "/account/password-reset/"
NEW = "a long phrase of several words 2026"


def ask_for_link(client, mailoutbox, email: str) -> str | None:
    """Ask for a reset link; the path it gives, if an email was sent."""
    sent_before = len(mailoutbox)
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    if len(mailoutbox) == sent_before:
        return None
    found = re.search(r"https?://testserver(/account/password-reset/\S+/\S+/)", mailoutbox[-1].body)
    assert found is not None, mailoutbox[-1].body
    return found[1]


def test_the_sign_in_page_links_to_the_reset(client, db) -> None:
    page = client.get("/sign-in/").content.decode()
    assert f'href="{RESET}"' in page
    assert "Reset your password" in client.get(RESET).content.decode()


def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    client, world, mailoutbox
) -> None:
    world.bob.email = "bob@brindlecombe.example.org"
    world.bob.save()
    assert ask_for_link(client, mailoutbox, "nobody@example.org") is None
    unknown = client.get("/account/password-reset/sent/").content.decode()
    assert ask_for_link(client, mailoutbox, "BOB@brindlecombe.example.org") is not None
    known = client.get("/account/password-reset/sent/").content.decode()
    assert unknown == known
    assert "If an account has the address you entered" in known
    assert mailoutbox[0].to == ["bob@brindlecombe.example.org"]
    assert mailoutbox[0].subject == "Reset your OneBudget password"
    requested = AuditEvent.objects.filter(action="password.reset_requested")
    assert [e.object_id for e in requested] == [str(world.bob.pk)]


def test_a_reset_applies_the_validators_works_once_and_is_audited(
    client, world, mailoutbox
) -> None:
    world.bob.email = "bob@brindlecombe.example.org"
    world.bob.save()
    link = ask_for_link(client, mailoutbox, world.bob.email)
    assert link is not None
    form_url = client.get(link)["Location"]  # the token moves into the session
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    page = weak.content.decode()
    assert "too common" in page
    assert "entirely numeric" in page
    assert "nhsuk-error-summary" in page
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/account/password-reset/done/"
    world.bob.refresh_from_db()
    assert world.bob.check_password(NEW)
    assert AuditEvent.objects.filter(action="password.reset", actor=world.bob).exists()
    assert client.get("/").status_code == 302  # not signed in by the reset
    used = client.get(link).content.decode()
    assert "This link does not work" in used


def test_a_reset_does_not_get_round_the_second_factor(client, world, mailoutbox) -> None:
    authenticator(world.bob)
    world.bob.email = "bob@brindlecombe.example.org"
    world.bob.save()
    link = ask_for_link(client, mailoutbox, world.bob.email)
    assert link is not None
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    signed_in = client.post("/sign-in/", {"username": world.bob.username, "password": NEW})
    assert signed_in.status_code == 302
    assert client.get("/")["Location"].startswith("/account/two-factor/code/")
