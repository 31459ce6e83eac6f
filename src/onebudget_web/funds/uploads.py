"""Actuals files between their preview and their posting.

A checked file is held in the database (``PendingUpload``), for the person who uploaded it
and under its own token, so two previews open at once never overwrite each other (a
session would: concurrent requests each save the whole session). Nothing is kept on disk:
the upload is read into memory (``core.uploads`` refuses anything over
``ONEBUDGET_MAX_UPLOAD_BYTES`` before reading a byte), and the table reader gets a file in
a temporary folder that is gone when it returns. A held file is removed when it is posted,
and any over an hour old is swept whenever a new one is held (an abandoned preview).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onebudget.io.tables import RawTable, read_table
from onebudget_web.accounts.models import User
from onebudget_web.core.uploads import on_disk
from onebudget_web.funds.models import Fund, PendingUpload

STALE_AFTER = timedelta(hours=1)


def read_upload(name: str, content: bytes) -> RawTable:
    """The table in an uploaded file, named as the person's file was. The reader wants a
    path, so the bytes go to a private temporary folder removed before this returns."""
    with on_disk(name, content) as path:
        table = read_table(path)
    return RawTable(name, table.header, table.rows)


@transaction.atomic
def hold_upload(*, by: User, fund: Fund, name: str, content: bytes) -> str:
    """Keep a checked file until it is posted; returns its token. Not audited: nothing is
    posted yet, and posting it is."""
    PendingUpload.objects.filter(created_at__lt=timezone.now() - STALE_AFTER).delete()
    token = secrets.token_hex(16)
    PendingUpload.objects.create(
        token=token, fund=fund, user=by, file_name=name[:300], content=content
    )
    return token


@transaction.atomic
def take_upload(*, by: User, fund: Fund, token: str) -> tuple[str, bytes] | None:
    """The held file (its name and bytes) for this person, fund and token, removed as it
    is taken: it is posted once, or refused and uploaded again. None if there is none."""
    found = (
        PendingUpload.objects.select_for_update()
        .filter(token=token, fund=fund, user=by, created_at__gte=timezone.now() - STALE_AFTER)
        .first()
    )
    if found is None:
        return None
    found.delete()
    return found.file_name, bytes(found.content)
