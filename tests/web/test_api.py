"""The JSON API: authenticated, scoped the same way as the pages."""

from onebudget_web.accounts.actions import issue_api_token, revoke_api_token
from onebudget_web.accounts.models import ApiToken


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_every_operation_needs_authentication(client, world) -> None:
    for url in [
        "/api/me",
        "/api/organisations",
        "/api/organisations/E06099101",
        "/api/places",
        "/api/places/aldmoor-place",
    ]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": "Unauthorized"}


def test_a_token_is_stored_only_as_a_digest(world) -> None:
    token, api_token = issue_api_token(by="system:tests", user=world.alice, name="notebook")
    assert token.startswith("ob_")
    stored = ApiToken.objects.get(pk=api_token.pk)
    assert token not in (stored.digest, stored.prefix)
    assert len(stored.digest) == 64


def test_a_token_sees_only_its_users_organisations(client, world) -> None:
    token, _ = issue_api_token(by="system:tests", user=world.alice, name="notebook")
    me = client.get("/api/me", **bearer(token)).json()
    assert me["username"] == "aldmoor-alice"
    assert me["memberships"] == [
        {
            "organisation_code": "E06099101",
            "organisation_name": "Aldmoor Council",
            "role": "commissioner",
        }
    ]
    orgs = client.get("/api/organisations", **bearer(token)).json()
    assert [o["code"] for o in orgs] == ["E06099101"]
    assert client.get("/api/organisations/E06099102", **bearer(token)).status_code == 404
    place = client.get("/api/places/aldmoor-place", **bearer(token)).json()
    assert [p["code"] for p in place["partners"]] == ["E06099101"]
    assert client.get("/api/places/brindlecombe-place", **bearer(token)).status_code == 404


def test_a_revoked_or_wrong_token_is_refused(client, world) -> None:
    token, api_token = issue_api_token(by="system:tests", user=world.alice, name="notebook")
    assert client.get("/api/me", **bearer(token + "x")).status_code == 401
    revoke_api_token(by=world.alice, api_token=api_token)
    assert client.get("/api/me", **bearer(token)).status_code == 401


def test_a_session_also_works(client, world) -> None:
    client.force_login(world.bob)
    assert client.get("/api/me").json()["username"] == "brindle-bob"


def test_the_schema_describes_the_api(client, world) -> None:
    client.force_login(world.bob)  # the schema is for signed-in people (test_api_schema)
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "OneBudget API"
    assert "/api/organisations/{code}" in schema["paths"]
    assert {"BearerToken", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_a_token_expires_is_read_only_and_every_use_is_recorded(client, world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from onebudget_web.audit.models import AuditEvent

    token, api_token = issue_api_token(by="system:tests", user=world.alice, name="notebook")
    assert api_token.scope == "read"
    days = (api_token.expires_at - api_token.created_at).days
    assert days == 90
    assert client.get("/api/me", **bearer(token)).status_code == 200
    assert client.get("/api/places", **bearer(token)).status_code == 200
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None
    used = AuditEvent.objects.filter(action="api_token.used").order_by("pk")
    assert [e.detail["path"] for e in used] == ["/api/me", "/api/places"]
    assert client.post("/api/me", **bearer(token)).status_code in (401, 405)
    ApiToken.objects.filter(pk=api_token.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get("/api/me", **bearer(token)).status_code == 401


def test_the_holder_lists_and_revokes_their_tokens_and_no_one_elses(client, world) -> None:
    token, mine = issue_api_token(by="system:tests", user=world.alice, name="notebook")
    _, bobs = issue_api_token(by="system:tests", user=world.bob, name="bob-etl")
    client.force_login(world.alice)
    page = client.get("/account/tokens/").content.decode()
    assert "notebook" in page
    assert "bob-etl" not in page
    assert bobs.prefix not in page
    assert client.post("/account/tokens/", {"token": bobs.pk}).status_code == 404
    assert client.post("/account/tokens/", {"token": mine.pk}).status_code == 302
    mine.refresh_from_db()
    bobs.refresh_from_db()
    assert mine.revoked_at is not None
    assert bobs.revoked_at is None
    client.logout()  # the token alone, not the session
    assert client.get("/api/me", **bearer(token)).status_code == 401


def test_the_revoke_command_by_prefix_and_by_user(world) -> None:
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    _, one = issue_api_token(by="system:tests", user=world.alice, name="a")
    issue_api_token(by="system:tests", user=world.alice, name="b")
    out = StringIO()
    call_command("revoke_api_token", "--prefix", one.prefix, stdout=out)
    assert out.getvalue().strip() == "Revoked 1 token."
    call_command("revoke_api_token", "--user", world.alice.username, stdout=out)
    assert "Revoked 1 token." in out.getvalue()
    assert not ApiToken.objects.filter(user=world.alice, revoked_at__isnull=True).exists()
    with pytest.raises(CommandError, match="No token standing"):
        call_command("revoke_api_token", "--user", world.alice.username)
