"""A signed-in person changes their own password: the old one first, every validator
applied, audited, still signed in afterwards."""

from __future__ import annotations

import pytest

from onebudget import demo
from onebudget_web.accounts.models import User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_place

pytestmark = pytest.mark.database
URL = "/account/password/"
NEW = "a long phrase of several words 2026"


def test_a_password_is_changed_with_the_old_one_and_every_rule(client, db) -> None:
    load_demo_place()
    user = User.objects.get(username="viewer")
    client.force_login(user)
    assert "Change password" in client.get("/").content.decode()
    wrong = client.post(URL, {"old_password": "nope", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200
    assert "nhsuk-error-summary" in wrong.content.decode()
    weak = client.post(
        URL,
        {
            "old_password": demo.DEMO_PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    page = weak.content.decode()
    assert "too common" in page
    assert "entirely numeric" in page
    user.refresh_from_db()
    assert user.check_password(demo.DEMO_PASSWORD)
    done = client.post(
        URL, {"old_password": demo.DEMO_PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # still signed in
    assert AuditEvent.objects.filter(action="password.changed", actor_label="viewer").exists()


def test_signed_out_people_are_sent_to_sign_in(client, db) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
