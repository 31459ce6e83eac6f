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


def test_the_schema_describes_the_api(client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "OneBudget API"
    assert "/api/organisations/{code}" in schema["paths"]
    assert {"BearerToken", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
