"""Every upload of the service is size-checked before its body is read, and kept in memory.

The middleware (``core.uploads``) stands in front of every page that takes a file, so a
page added later is covered too: a body declared over the limit is refused with a 413 page
before Django parses it (so it is never written to a temporary file). Django reads no more
of a body than its declared length, and nothing of one that declares none.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import override_settings

from onebudget_web.accounts.models import User
from onebudget_web.demo.loader import load_demo_place

pytestmark = pytest.mark.database

UPLOADS = [
    "/places/fernmouth/spend/upload/",
    "/places/fernmouth/allocation/session.json",
    "/places/fernmouth/allocation/budget/",
    "/places/fernmouth/funds/new/",
    "/funds/any-fund/actuals/",
]


@pytest.mark.parametrize("url", UPLOADS)
def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(
    client, db, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_demo_place()
    client.force_login(User.objects.get(username="finance"))
    parsed: list[int] = []
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or ({}, {}))
    big = SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1))
    with override_settings(ONEBUDGET_MAX_UPLOAD_BYTES=1024 * 1024):
        response = client.post(url, {"file": big, "kind": "ledger"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large: the most that can be uploaded is 1 MB" in page
    assert "nhsuk-error-summary" in page
    assert f'href="{url}"' in page
    assert parsed == []
