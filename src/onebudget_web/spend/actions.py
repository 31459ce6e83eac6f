"""Uploads of a partner's mapping file and ledger: checked in full, kept, audited.

A finance officer of a partner uploads for their own organisation. A mapping file must
parse and name that organisation; a ledger must read through the organisation's current
mapping with no problem at all (every problem is reported; nothing is kept otherwise).
Through the pages a ledger is first held and previewed (``hold_ledger``), and replaces the
partner's ledger in use only when its uploader confirms it (``confirm_ledger``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from onebudget.io.tables import TableError, read_table
from onebudget.roles import NotPermitted, Permission
from onebudget.spend.mapping import LedgerFileError, MappingError, ledger_lines, load_mapping
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import record
from onebudget_web.places.models import Place
from onebudget_web.spend.models import LedgerFile, MappingFile, PendingLedger
from onebudget_web.spend.selectors import PENDING_FOR

NAME_KEPT = LedgerFile._meta.get_field("name").max_length or 200


def require_uploader(by: User, place: Place, organisation: Organisation) -> None:
    """Refused (403) unless ``by`` is a finance officer of ``organisation``, a partner of the
    place: the upload views ask this before they read a byte of the file."""
    if not place.partners.filter(pk=organisation.pk).exists():
        raise NotPermitted(f"{organisation.code} is not a partner of {place.name}")
    if not has_permission(by, organisation, Permission.MANAGE_FINANCE):
        raise NotPermitted(f"Uploading ledgers needs a finance role at {organisation.code}")


@transaction.atomic
def upload_mapping(
    *, by: User, place: Place, organisation: Organisation, text: str, source: str
) -> MappingFile:
    require_uploader(by, place, organisation)
    try:
        mapping = load_mapping(text, source=source)
    except MappingError as error:
        raise ValidationError([f"{source}: {p}" for p in error.problems]) from None
    if mapping.partner != organisation.code:
        raise ValidationError(
            [f"{source}: partner: {mapping.partner!r}: must be {organisation.code}"]
        )
    found = MappingFile.objects.create(
        place=place, organisation=organisation, text=text, uploaded_by=by
    )
    record(
        by=by,
        action="spend.mapping_uploaded",
        obj=found,
        organisation=organisation,
        detail={"place": place.slug, "file": source},
    )
    return found


def _read(place: Place, organisation: Organisation, upload: Path, name: str) -> tuple[int, int]:
    """The current mapping's id and the number of ledger lines, if every row of the file
    reads through it; else every problem, as a ``ValidationError``."""
    row = MappingFile.objects.filter(place=place, organisation=organisation).first()
    if row is None:
        raise ValidationError([f"Upload {organisation.code}'s mapping file before its ledger."])
    mapping = load_mapping(row.text, source=f"{organisation.code}.yaml")
    try:
        table = read_table(upload, sheet=mapping.sheet, header_row=mapping.header_row)
        lines = ledger_lines(table.__class__(name, table.header, table.rows), mapping)
    except TableError as error:
        raise ValidationError([str(error).replace(upload.name, name)]) from None
    except LedgerFileError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    return row.pk, len(lines)


@transaction.atomic
def upload_ledger(
    *, by: User, place: Place, organisation: Organisation, upload: Path, name: str
) -> LedgerFile:
    """Keep a ledger extract at once if every row reads through the organisation's mapping
    (the demo's loader; people's uploads are previewed first)."""
    require_uploader(by, place, organisation)
    _, lines = _read(place, organisation, upload, name)
    kept = _keep(upload, place, organisation, name)
    try:
        return _record(by, place, organisation, kept, name, lines, _digest(kept), {})
    except BaseException:
        kept.unlink(missing_ok=True)  # nothing recorded, so nothing left on disk either
        raise


def _record(
    by: User,
    place: Place,
    organisation: Organisation,
    kept: Path,
    name: str,
    lines: int,
    digest: str,
    more: dict[str, object],
) -> LedgerFile:
    found = LedgerFile.objects.create(
        place=place,
        organisation=organisation,
        name=name[:NAME_KEPT],  # a browser sends up to 255 characters
        path=str(kept),
        sha256=digest,
        lines=lines,
        uploaded_by=by,
    )
    detail = {"place": place.slug, "file": name, "lines": lines, "sha256": digest, **more}
    record(
        by=by, action="spend.ledger_uploaded", obj=found, organisation=organisation, detail=detail
    )
    return found


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _keep(
    upload: Path, place: Place, organisation: Organisation, name: str, *, held: bool = False
) -> Path:
    """A copy of the checked ledger in the data folder, under a name no one can choose: with
    the ledgers kept, or (``held``) with those awaiting confirmation."""
    safe = get_valid_filename(name)[:100]
    kept = _folder(place, organisation, held=held) / f"{uuid.uuid4().hex}-{safe}"
    shutil.copyfile(upload, kept)
    return kept


def _folder(place: Place, organisation: Organisation, *, held: bool = False) -> Path:
    folder = Path(settings.DATA_DIR) / ("spend-pending" if held else "spend")
    folder = folder / place.slug / organisation.code
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def hold_ledger(
    *, by: User, place: Place, organisation: Organisation, upload: Path, name: str
) -> PendingLedger:
    """Check a ledger as ``upload_ledger`` does and hold it for its preview: nothing in use
    changes. Not audited: confirming it is. Previews over a day old are swept."""
    require_uploader(by, place, organisation)
    mapping_id, lines = _read(place, organisation, upload, name)
    for stale in PendingLedger.objects.filter(created_at__lt=timezone.now() - PENDING_FOR):
        _discard(stale)
    held = _keep(upload, place, organisation, name, held=True)
    try:
        return PendingLedger.objects.create(
            token=secrets.token_hex(16),
            place=place,
            organisation=organisation,
            user=by,
            mapping_id=mapping_id,
            replaces=LedgerFile.objects.filter(place=place, organisation=organisation).first(),
            name=name[:NAME_KEPT],
            path=str(held),
            sha256=_digest(held),
            lines=lines,
        )
    except BaseException:
        held.unlink(missing_ok=True)
        raise


def _discard(pending: PendingLedger) -> None:
    Path(pending.path).unlink(missing_ok=True)
    pending.delete()


def _locked(by: User, place: Place, token: str) -> PendingLedger | None:
    """The user's own pending ledger, locked until the transaction ends; None if there is
    none (another person's, confirmed or cancelled already, or stale)."""
    return (
        PendingLedger.objects.select_for_update(of=("self",))  # not the nullable "replaces"
        .select_related("organisation", "replaces")
        .filter(token=token, place=place, user=by, created_at__gte=timezone.now() - PENDING_FOR)
        .first()
    )


def _changed(pending: PendingLedger) -> list[str]:
    """Why the preview no longer says what confirming would do (nothing: it still does)."""
    organisation = pending.organisation
    path = Path(pending.path)
    if not path.is_file() or _digest(path) != pending.sha256:
        return [f"{pending.name}: the file previewed is no longer held. Upload it again."]
    mapping = MappingFile.objects.filter(place=pending.place, organisation=organisation).first()
    if mapping is None or mapping.pk != pending.mapping_id:
        return [
            f"{organisation.name}'s mapping file changed after the preview of {pending.name}. "
            "Upload the ledger again to see what it would change."
        ]
    in_use = LedgerFile.objects.filter(place=pending.place, organisation=organisation).first()
    if (in_use.pk if in_use else None) != pending.replaces_id:
        return [
            f"Another ledger was uploaded for {organisation.name} after the preview of "
            f"{pending.name}. Upload it again to see what it would change."
        ]
    return []


def confirm_ledger(*, by: User, place: Place, token: str) -> LedgerFile | None:
    """Replace the partner's ledger with exactly the file previewed, audited as any ledger
    upload. None if the user has no such pending ledger (404). A preview that no longer
    holds (the file, the mapping or the ledger in use changed) is discarded and refused."""
    with transaction.atomic():
        pending = _locked(by, place, token)
        if pending is None:
            return None
        require_uploader(by, place, pending.organisation)
        problems = _changed(pending)
        if not problems:
            return _replace(by, pending)
        _discard(pending)
    raise ValidationError(problems)


def _replace(by: User, pending: PendingLedger) -> LedgerFile:
    """Move the held file to the kept ones and record it; moved back if recording fails."""
    held = Path(pending.path)
    kept = _folder(pending.place, pending.organisation) / held.name
    os.replace(held, kept)
    replaced = pending.replaces.name if pending.replaces else None
    try:
        found = _record(
            by,
            pending.place,
            pending.organisation,
            kept,
            pending.name,
            pending.lines,
            pending.sha256,
            {"previewed": True, "replaces": replaced},
        )
        pending.delete()
    except BaseException:
        os.replace(kept, held)
        raise
    return found


@transaction.atomic
def cancel_ledger(*, by: User, place: Place, token: str) -> PendingLedger | None:
    """Drop the user's pending ledger and its file: nothing in use changes. None if there
    is none. Not audited, as nothing was replaced."""
    pending = _locked(by, place, token)
    if pending is not None:
        _discard(pending)
    return pending
