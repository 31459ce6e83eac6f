"""Every upload view asks whether the person may upload before it reads a byte of the file:
someone refused gets 403, never an answer about the file (that it is not UTF-8, or a
parser's error about its contents), and no reader runs for them.

Here any read of an uploaded file on the server fails the test, and the file would fail to
decode if it were read; the demo place's viewer is a member of every partner page below but
may upload nothing.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile

from onebudget_web.accounts.models import User

NOT_UTF8 = b"\xff\xfe\x00 not UTF-8 text"
UPLOADS = {  # the URL (the fund's code filled in), the form beside the file
    "spend mapping": (
        "/places/fernmouth/spend/upload/",
        {"organisation": "E06099001", "kind": "mapping"},
    ),
    "spend ledger": (
        "/places/fernmouth/spend/upload/",
        {"organisation": "E06099001", "kind": "ledger"},
    ),
    "allocation session": ("/places/fernmouth/allocation/session.json", {"year": "2025/26"}),
    "allocation budget": ("/places/fernmouth/allocation/budget/", {}),
    "fund agreement": ("/places/fernmouth/funds/new/", {}),
    "fund actuals": ("/funds/{fund}/actuals/", {}),
    "contract": ("/places/fernmouth/contracts/record/", {}),
    "scenario": ("/places/fernmouth/scenarios/upload/", {}),
}


def a_file(name: str) -> io.BytesIO:
    """Sent as a plain stream, so that only the server's uploaded files are watched."""
    found = io.BytesIO(NOT_UTF8)
    found.name = name
    return found


@pytest.fixture
def no_file_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("an upload was read before the permission check refused it")

    for reader in ("read", "chunks", "multiple_chunks", "__iter__", "readlines", "open"):
        monkeypatch.setattr(InMemoryUploadedFile, reader, refuse)


@pytest.mark.parametrize("upload", sorted(UPLOADS))
def test_an_upload_is_refused_before_it_is_read(client, fund, no_file_is_read, upload) -> None:
    url, form = UPLOADS[upload]
    client.force_login(User.objects.get(username="viewer"))
    response = client.post(url.format(fund=fund.code), {**form, "file": a_file("upload.csv")})
    assert response.status_code == 403


def test_the_same_file_from_a_finance_officer_is_read_and_refused_as_not_utf8(client, fund) -> None:
    """The other half: the file is one a reader refuses, so a 403 above is not the reader's."""
    client.force_login(User.objects.get(username="finance"))
    url, form = UPLOADS["spend mapping"]
    response = client.post(url, {**form, "file": a_file("mapping.yaml")})
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
