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


@pytest.mark.parametrize(
    ("url", "form", "said"),
    [
        ("/places/fernmouth/funds/new/", {}, "larger than 1 MB; an agreement (YAML) is smaller"),
        (
            "/places/fernmouth/allocation/budget/",
            {"text": "year: 2025/26"},  # never used instead of the file that was sent
            "larger than 2 MB; a budget configuration (YAML) is smaller",
        ),
    ],
    ids=["agreement", "budget"],
)
def test_a_text_file_over_its_own_limit_is_refused_never_cut_short(
    client, db, url: str, form: dict[str, str], said: str
) -> None:
    load_demo_place()
    client.force_login(User.objects.get(username="pool-manager"))
    big = SimpleUploadedFile("big.yaml", b"# " + b"x" * (2 * 1024 * 1024 + 10) + b"\n")
    response = client.post(url, {**form, "file": big})
    assert response.status_code == 400
    assert said in response.content.decode()


def test_a_session_file_that_is_not_utf8_is_refused(client, db) -> None:
    load_demo_place()
    client.force_login(User.objects.get(username="analyst"))
    bad = SimpleUploadedFile("session.json", '{"places": ["Caf\u00e9"]}'.encode("latin-1"))
    response = client.post(
        "/places/fernmouth/allocation/session.json", {"file": bad, "year": "2025/26"}
    )
    assert response.status_code == 400
    assert (
        "session.json: not UTF-8 text: a session file (JSON) is text" in response.content.decode()
    )


def test_a_viewer_is_refused_before_the_session_file_is_read(
    client, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onebudget_web.allocation import views

    load_demo_place()
    read: list[str] = []
    monkeypatch.setattr(views, "read_session", lambda text, **_: read.append(text) or [])
    client.force_login(User.objects.get(username="viewer"))
    upload = SimpleUploadedFile("session.json", b'{"places": []}')
    response = client.post(
        "/places/fernmouth/allocation/session.json", {"file": upload, "year": "2025/26"}
    )
    assert response.status_code == 403
    assert read == []
