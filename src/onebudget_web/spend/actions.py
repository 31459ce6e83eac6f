"""Uploads of a partner's mapping file and ledger: checked in full, kept, audited.

A finance officer of a partner uploads for their own organisation. A mapping file must
parse and name that organisation; a ledger must read through the organisation's current
mapping with no problem at all (every problem is reported; nothing is kept otherwise).
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import get_valid_filename

from onebudget.io.tables import TableError, read_table
from onebudget.roles import NotPermitted, Permission
from onebudget.spend.mapping import LedgerFileError, MappingError, ledger_lines, load_mapping
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.audit.log import record
from onebudget_web.places.models import Place
from onebudget_web.spend.models import LedgerFile, MappingFile
from onebudget_web.spend.selectors import current_mapping


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


NAME_KEPT = LedgerFile._meta.get_field("name").max_length or 200


@transaction.atomic
def upload_ledger(
    *, by: User, place: Place, organisation: Organisation, upload: Path, name: str
) -> LedgerFile:
    """Keep a ledger extract if every row reads through the organisation's mapping."""
    require_uploader(by, place, organisation)
    mapping = current_mapping(place, organisation)
    if mapping is None:
        raise ValidationError([f"Upload {organisation.code}'s mapping file before its ledger."])
    try:
        table = read_table(upload, sheet=mapping.sheet, header_row=mapping.header_row)
        lines = ledger_lines(table.__class__(name, table.header, table.rows), mapping)
    except TableError as error:
        raise ValidationError([str(error).replace(upload.name, name)]) from None
    except LedgerFileError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    kept = _keep(upload, place, organisation, name)
    try:
        digest = hashlib.sha256(kept.read_bytes()).hexdigest()
        found = LedgerFile.objects.create(
            place=place,
            organisation=organisation,
            name=name[:NAME_KEPT],  # a browser sends up to 255 characters
            path=str(kept),
            sha256=digest,
            lines=len(lines),
            uploaded_by=by,
        )
        record(
            by=by,
            action="spend.ledger_uploaded",
            obj=found,
            organisation=organisation,
            detail={"place": place.slug, "file": name, "lines": len(lines), "sha256": digest},
        )
    except BaseException:
        kept.unlink(missing_ok=True)  # nothing recorded, so nothing left on disk either
        raise
    return found


def _keep(upload: Path, place: Place, organisation: Organisation, name: str) -> Path:
    """A copy of the checked ledger in the data folder, under a name no one can choose."""
    folder = Path(settings.DATA_DIR) / "spend" / place.slug / organisation.code
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / f"{uuid.uuid4().hex}-{get_valid_filename(name)[:100]}"
    shutil.copyfile(upload, kept)
    return kept
