"""Two-factor sign-in: required for admins, finance and pool managers, offered to everyone.

These tests sign in through the real pages (never ``force_login``, which the suite's fixture
makes pass the second factor), with codes computed from the device's own key.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from onebudget.roles import Role, needs_two_factor
from onebudget_web.accounts.actions import issue_api_token
from onebudget_web.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.web.two_factor_helpers import authenticator, code_of

pytestmark = pytest.mark.database
ROOT = Path(__file__).resolve().parents[2]
SET_UP = "/account/two-factor/set-up/"
VERIFY = "/account/two-factor/code/"
ACCOUNT = "/account/two-factor/"


def sign_in(client, user, next_url: str = "/"):
    """The password step; answers the page it redirects to."""
    fields = {"username": user.username, "password": PASSWORD, "next": next_url}
    response = client.post("/sign-in/", fields)
    assert response.status_code == 302, "the password was not accepted"
    return client.get(response["Location"])


def as_if_waited(device) -> None:
    """Move the last failure back in time, as if the throttle's wait had passed."""
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=5)
    device.save()


def actions_of(user) -> list[str]:
    events = AuditEvent.objects.filter(actor=user, action__startswith="two_factor.")
    return list(events.order_by("pk").values_list("action", flat=True))


def test_the_rule_is_the_roles_that_move_money_or_grant_access() -> None:
    for role in (Role.ADMIN, Role.FINANCE, Role.POOL_MANAGER):
        assert needs_two_factor([Role.VIEWER, role])
    assert not needs_two_factor([Role.VIEWER, Role.ANALYST, Role.COMMISSIONER])
    assert not needs_two_factor([])


def test_finance_is_sent_to_set_up_and_confirms_with_a_code(client, world) -> None:
    answer = sign_in(client, world.bob, next_url="/places/brindlecombe-place/")
    assert answer.status_code == 302
    assert answer["Location"] == f"{SET_UP}?next=%2Fplaces%2Fbrindlecombe-place%2F"
    page = client.get(answer["Location"]).content.decode()
    assert "<svg" in page
    assert "style=" not in page  # the QR code keeps to the Content-Security-Policy
    device = TOTPDevice.objects.get(user=world.bob, confirmed=False)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    assert device.config_url.split("secret=")[1].startswith(secret[1].replace(" ", "")[:32])
    assert client.get("/").status_code == 302  # nothing else until set up

    wrong = client.post(SET_UP, {"code": "000000", "next": "/places/brindlecombe-place/"})
    assert "The code is not right" in wrong.content.decode()
    as_if_waited(device)

    done = client.post(SET_UP, {"code": code_of(device), "next": "/places/brindlecombe-place/"})
    body = done.content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", body)
    assert len(codes) == 10
    assert 'href="/places/brindlecombe-place/"' in body
    assert client.get("/places/brindlecombe-place/").status_code == 200
    assert actions_of(world.bob) == [
        "two_factor.set_up_started",
        "two_factor.failed",
        "two_factor.set_up",
    ]


def test_a_code_verifies_and_a_wrong_one_is_refused_throttled_and_audited(client, world) -> None:
    device = authenticator(world.bob)
    answer = sign_in(client, world.bob, next_url="/places/brindlecombe-place/")
    assert answer["Location"] == f"{VERIFY}?next=%2Fplaces%2Fbrindlecombe-place%2F"
    assert client.get("/places/brindlecombe-place/").status_code == 302
    assert client.get(SET_UP)["Location"].startswith(VERIFY)  # no way round it by set-up

    wrong = client.post(VERIFY, {"code": "000000", "next": "/places/brindlecombe-place/"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert "nhsuk-error-summary" in wrong.content.decode()
    right_too_soon = client.post(VERIFY, {"code": code_of(device)})
    assert "Too many wrong codes: wait 1 second" in right_too_soon.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    as_if_waited(device)

    done = client.post(VERIFY, {"code": code_of(device), "next": "/places/brindlecombe-place/"})
    assert done["Location"] == "/places/brindlecombe-place/"
    assert client.get("/places/brindlecombe-place/").status_code == 200
    assert actions_of(world.bob) == [
        "two_factor.failed",
        "two_factor.failed",
        "two_factor.verified",
    ]
    reasons = AuditEvent.objects.filter(action="two_factor.failed").order_by("pk")
    assert [r.detail for r in reasons] == [{"reason": "wrong code"}, {"reason": "throttled"}]


def test_a_code_works_once(client, world) -> None:
    device = authenticator(world.bob)
    sign_in(client, world.bob)
    code = code_of(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/sign-out/")
    sign_in(client, world.bob)
    again = client.post(VERIFY, {"code": code})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()


def test_a_recovery_code_works_once(client, world) -> None:
    assert sign_in(client, world.bob)["Location"].startswith(SET_UP)
    client.get(SET_UP)
    pending = TOTPDevice.objects.get(user=world.bob, confirmed=False)
    body = client.post(SET_UP, {"code": code_of(pending)}).content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", body)
    client.post("/sign-out/")

    sign_in(client, world.bob)
    used = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert "You used a recovery code: 9 left" in used.content.decode()
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=world.bob).count() == 9
    client.post("/sign-out/")

    sign_in(client, world.bob)
    again = client.post(VERIFY, {"code": codes[0]})
    assert "The code is not right" in again.content.decode()
    assert client.get("/").status_code == 302
    assert "two_factor.recovery_code_used" in actions_of(world.bob)


def test_an_unverified_session_reaches_neither_pages_nor_the_api(client, world) -> None:
    authenticator(world.bob)
    sign_in(client, world.bob)
    for path in ("/", ACCOUNT, "/account/password/", "/api/me", "/api/organisations"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path
    for path in ("/healthz", VERIFY, "/static/css/onebudget.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        if response.streaming:  # read to the end, so the test client closes the file itself
            b"".join(response.streaming_content)  # (closing it here would close the database
            # connection of the test's transaction on PostgreSQL, as a server's end of request)
    assert client.get("/sign-in/")["Location"] == "/"  # signed in: on to the code page


def test_a_bearer_token_is_answered_on_the_token_alone(client, world) -> None:
    authenticator(world.bob)
    sign_in(client, world.bob)  # an unverified session beside the token
    token, _ = issue_api_token(by="system:tests", user=world.bob, name="notebook")
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == world.bob.username
    forged = client.get("/api/me", headers={"Authorization": "Bearer ob_not-a-token"})
    assert forged.status_code == 401  # the unverified session does not stand in for it


def test_optional_for_a_viewer_who_may_set_it_up_and_remove_it(client, world) -> None:
    alice = world.alice  # a commissioner: not required
    assert sign_in(client, alice).status_code == 200
    page = client.get(ACCOUNT).content.decode()
    assert "Off: you sign in with your password only." in page
    assert "It is optional for your roles" in page
    client.get(SET_UP)
    pending = TOTPDevice.objects.get(user=alice, confirmed=False)
    client.post(SET_UP, {"code": code_of(pending)})
    assert "On: you sign in" in client.get(ACCOUNT).content.decode()

    wrong = client.post(ACCOUNT, {"remove": "1", "remove-code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    assert 'href="#id_remove-code"' in wrong.content.decode()
    as_if_waited(pending)
    removed = client.post(ACCOUNT, {"remove": "1", "remove-code": code_of(pending, steps_ahead=1)})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert actions_of(alice)[-1] == "two_factor.removed"
    client.post("/sign-out/")
    assert sign_in(client, alice).status_code == 200  # the password alone again


def test_it_cannot_be_removed_where_roles_require_it(client, world) -> None:
    client.force_login(world.bob)  # verified, with an authenticator
    device = TOTPDevice.objects.get(user=world.bob)
    page = client.get(ACCOUNT).content.decode()
    assert "cannot be removed" in page
    assert 'name="remove"' not in page
    refused = client.post(ACCOUNT, {"remove": "1", "remove-code": code_of(device)})
    assert "Your roles require two-factor sign-in" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=world.bob).exists()


def test_new_recovery_codes_need_a_code_and_replace_the_old(client, world) -> None:
    client.force_login(world.bob)
    device = TOTPDevice.objects.get(user=world.bob)
    refused = client.post(ACCOUNT, {"new_codes": "1", "codes-code": "123"})
    assert "The code is not right" in refused.content.decode()
    assert not StaticToken.objects.exists()
    made = client.post(ACCOUNT, {"new_codes": "1", "codes-code": code_of(device)})
    first = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", made.content.decode())
    assert len(first) == 10
    made = client.post(ACCOUNT, {"new_codes": "1", "codes-code": code_of(device, steps_ahead=1)})
    second = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", made.content.decode())
    assert len(second) == 10
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {c.replace("-", "") for c in second}
    assert actions_of(world.bob).count("two_factor.recovery_codes_made") == 2


def test_when_not_required_finance_may_go_without(client, world, settings) -> None:
    settings.ONEBUDGET_REQUIRE_TWO_FACTOR = False  # as the demo runs
    assert sign_in(client, world.bob).status_code == 200
    assert "optional for your roles" in client.get(ACCOUNT).content.decode()
