"""Nothing a signed-in person is shown is kept by a browser or a cache."""

from __future__ import annotations

import pytest

from onebudget_web.accounts.models import User
from onebudget_web.demo.loader import load_demo_place

pytestmark = pytest.mark.database


@pytest.mark.parametrize(
    "url", ["/", "/places/fernmouth/", "/places/fernmouth/outcomes/", "/audit/", "/api/places"]
)
def test_signed_in_responses_are_never_stored(client, db, url: str) -> None:
    load_demo_place()
    client.force_login(User.objects.get(username="commissioner"))
    response = client.get(url)
    assert response.status_code in (200, 404), url
    control = response.headers.get("Cache-Control", "")
    assert "no-store" in control
    assert "private" in control
