"""Schemathesis against the OpenAPI schema: generated requests to every operation, as a
signed-in user and as nobody, must never give a 5xx and must match the documented responses.

The schema is served to signed-in people only, and there is no one to sign in while tests are
collected, so it is taken from the API itself (``get_openapi_schema``, what the schema view
serves: ``test_the_served_schema_is_the_one_tested``), not through
``schemathesis.pytest.from_fixture``, whose lazy loading does not work on pytest 9. The
requests go to the running WSGI app.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from onebudget_web.accounts.actions import issue_api_token
from onebudget_web.api import api
from onebudget_web.wsgi import application

SERVED = json.loads(json.dumps(api.get_openapi_schema()))  # as the view serves it: plain JSON
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(SERVED)))
schema.app = application  # as ``from_wsgi`` does: every case is sent to the WSGI app

# Every operation is a read, so one token and one world can serve all generated requests.
# Derandomised so that CI is repeatable; a failure prints the request that caused it.
API_SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Called straight through WSGI, Django would close the database connection after each
    request (and with it the test's transaction). Django's test client avoids this by
    disconnecting the same handler; do as it does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world) -> str:
    value, _ = issue_api_token(by="system:tests", user=world.alice, name="schemathesis")
    return value


@schema.parametrize()
@API_SETTINGS
def test_api_conforms_to_its_schema_when_signed_in(case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


@schema.parametrize()
@API_SETTINGS
def test_api_conforms_to_its_schema_when_not_signed_in(case, db) -> None:
    response = case.call_and_validate(headers={"Authorization": "Bearer not-a-token"})
    documented_method = case.method.upper() == case.operation.method.upper()
    # Schemathesis also tries methods the operation does not have; those answer 405.
    assert response.status_code == (401 if documented_method else 405)


def test_the_served_schema_is_the_one_tested(client, token: str) -> None:
    served = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert served.status_code == 200
    assert served.json() == SERVED
    assert {"/api/me", "/api/funds/{code}/settlement"} <= set(SERVED["paths"])


def test_the_schema_and_its_docs_are_for_signed_in_people_only(client, world) -> None:
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
        schema = client.get("/api/openapi.json", **headers)
        assert schema.status_code == 401
        assert schema.json() == {"detail": "Unauthorized"}
        docs = client.get("/api/docs", **headers)
        assert docs.status_code == 302
        assert docs["Location"] == "/sign-in/?next=/api/docs"
    client.force_login(world.bob)
    assert client.get("/api/openapi.json").json() == SERVED
    docs = client.get("/api/docs").content.decode()
    for path in SERVED["paths"]:  # every operation of the schema, documented on the page
        assert f"{path}</code>" in docs
