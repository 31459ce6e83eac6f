"""One way to refuse: ``NotPermitted`` from any action or view is a 403 saying why, as a page
or as JSON for the API, logged as one line rather than a traceback."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import RequestFactory

from onebudget.roles import NotPermitted
from onebudget_web.accounts.models import User
from onebudget_web.core.refusals import RefusalMiddleware
from onebudget_web.funds.models import Fund


def test_a_refused_action_is_a_403_page_with_the_reason_and_no_traceback(
    client, fund: Fund, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(User.objects.get(username="finance"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/funds/{fund.code}/actuals/")
    assert response.status_code == 403
    assert "Only the pool manager uploads actuals" in response.content.decode()
    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert forbidden
    assert all(r.exc_info is None for r in forbidden)


def test_an_api_refusal_is_json() -> None:
    def refuse(request):
        raise NotPermitted("Reading this needs the view_audit permission at QZZ")

    middleware = RefusalMiddleware(refuse)
    request = RequestFactory().get("/api/organisations/QZZ/activity")
    try:
        refuse(request)
    except NotPermitted as refusal:
        response = middleware.process_exception(request, refusal)
    assert response is not None
    assert response.status_code == 403
    assert json.loads(response.content) == {
        "detail": "Reading this needs the view_audit permission at QZZ"
    }
    assert middleware.process_exception(request, ValueError("not a refusal")) is None
