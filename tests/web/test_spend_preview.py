"""A ledger upload is previewed before it replaces anything: what the file holds and how the
partner's figures change year by year; then "Confirm and replace" uses exactly the file
previewed (checked by its SHA-256), audited as any ledger upload, or "Cancel" drops it.
Only its uploader sees or decides it; a preview the file, the mapping or the ledger in use
no longer matches is refused."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_spend
from onebudget_web.spend import actions, selectors
from onebudget_web.spend.models import LedgerFile, MappingFile, PendingLedger
from tests.web.conftest import demo_dataset_from

COUNCIL = "E06099001"
UPLOAD = "/places/fernmouth/spend/upload/"


@pytest.fixture
def spend_place(db, demo_folders, settings, tmp_path: Path):
    dataset = demo_dataset_from(demo_folders(2000))
    settings.DATA_DIR = str(tmp_path / "data")
    assert load_demo_spend(dataset) == 2
    return dataset


@pytest.fixture
def new_ledger(spend_place, tmp_path: Path) -> Path:
    """The council's ledger for 2024/25 and 2025/26 only, less its last 40 lines (all in
    February and March 2026): 2023/24 goes, and 2025/26 loses money."""
    lines = (Path(spend_place.path) / "ledgers" / f"council_gl_{COUNCIL}.csv").read_text()
    rows = lines.splitlines()
    kept = [r for r in rows[1:] if r.startswith(("2024/25", "2025/26"))][:-40]
    path = tmp_path / "council_2024_2026.csv"
    path.write_text("\n".join([rows[0], *kept]) + "\n")
    return path


def as_user(client: Any, name: str) -> Any:
    client.force_login(User.objects.get(username=name))
    return client


def upload(client: Any, path: Path) -> Any:
    with path.open("rb") as handle:
        return client.post(UPLOAD, {"organisation": COUNCIL, "kind": "ledger", "file": handle})


def in_use() -> LedgerFile:
    found = LedgerFile.objects.filter(organisation__code=COUNCIL).first()
    assert found is not None
    return found


def test_an_upload_is_previewed_and_replaces_nothing_until_confirmed(
    client, spend_place, new_ledger: Path
) -> None:
    before, audited = in_use(), AuditEvent.objects.filter(action="spend.ledger_uploaded").count()
    c = as_user(client, "finance")
    response = upload(c, new_ledger)
    assert response.status_code == 302
    pending = PendingLedger.objects.get()
    assert response["Location"] == f"/places/fernmouth/spend/pending/{pending.token}/"
    assert in_use() == before  # nothing replaced
    digest = hashlib.sha256(new_ledger.read_bytes()).hexdigest()
    assert pending.sha256 == digest
    assert hashlib.sha256(Path(pending.path).read_bytes()).hexdigest() == digest
    spend_page = c.get("/places/fernmouth/spend/?year=2025").content.decode()
    assert pending.name not in spend_page  # the spend is still the ledger in use

    text = unescape(c.get(response["Location"]).content.decode())
    rows = len(new_ledger.read_text().splitlines()) - 1
    assert "council_2024_2026.csv" in text
    assert f"{rows:,} ledger lines" in text
    assert "2024/25: April 2024 to March 2025 (12 months)" in text
    assert "2025/26: April 2025 to February 2026 (11 months)" in text
    assert f"replaces Fernmouth Council's ledger in use, {before.name}" in text
    changes = text[text.index('id="changes"') :]
    assert "2023/24" in changes  # its lines go: now → no lines
    gone = changes[changes.index("2023/24") : changes.index("2024/25")]
    assert gone.count('→</span> <span class="nhsuk-u-nowrap">no lines</span>') == 3
    assert "Confirm and replace" in text
    assert "Cancel" in text

    confirmed = c.post(response["Location"], {"do": "confirm"})
    assert confirmed.status_code == 302
    now = in_use()
    assert now != before
    assert (now.name, now.sha256, now.lines) == ("council_2024_2026.csv", digest, rows)
    assert hashlib.sha256(Path(now.path).read_bytes()).hexdigest() == digest
    assert not Path(pending.path).exists()
    assert not PendingLedger.objects.exists()
    event = AuditEvent.objects.filter(action="spend.ledger_uploaded").latest("pk")
    assert AuditEvent.objects.filter(action="spend.ledger_uploaded").count() == audited + 1
    assert event.detail["sha256"] == digest
    assert event.detail["previewed"] is True
    assert event.detail["replaces"] == before.name
    assert c.post(response["Location"], {"do": "confirm"}).status_code == 404  # once only


def test_the_preview_shows_the_change_the_page_then_shows(
    client, spend_place, new_ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's "after" for 2025/26 is what the spend page shows once confirmed, and
    no ledger is read again for it: the file previewed was read for its preview."""
    c = as_user(client, "finance")
    location = upload(c, new_ledger)["Location"]
    text = unescape(c.get(location).content.decode())
    read: list[object] = []
    monkeypatch.setattr(selectors, "read_table", lambda *a, **k: read.append(a))
    assert c.post(location, {"do": "confirm"}).status_code == 302
    page = unescape(c.get("/places/fernmouth/spend/?year=2025").content.decode())
    assert read == []
    council = page[page.index("<h2>Reconciliation") :]
    council = council[council.index("Fernmouth Council") :]
    council = council[: council.index("</tr>")]
    total = council.split("Ledger total </span>")[1].split("<")[0]
    row = text[text.index("<td", text.index("2025/26", text.index('id="changes"'))) :]
    assert f'→</span> <span class="nhsuk-u-nowrap">{total}</span>' in row[: row.index("</td>")]


def test_cancel_leaves_everything_as_it_was(client, spend_place, new_ledger: Path) -> None:
    before = in_use()
    c = as_user(client, "finance")
    location = upload(c, new_ledger)["Location"]
    held = Path(PendingLedger.objects.get().path)
    response = c.post(location, {"do": "cancel"})
    assert response.status_code == 302
    assert in_use() == before
    assert not PendingLedger.objects.exists()
    assert not held.exists()
    assert c.get(location).status_code == 404


@pytest.mark.parametrize("who", ["icb-finance", "viewer", "admin"])
def test_someone_else_cannot_see_or_decide_an_upload(
    client, spend_place, new_ledger: Path, who: str
) -> None:
    before = in_use()
    location = upload(as_user(client, "finance"), new_ledger)["Location"]
    other = as_user(client, who)
    assert other.get(location).status_code == 404
    assert other.post(location, {"do": "confirm"}).status_code == 404
    assert other.post(location, {"do": "cancel"}).status_code == 404
    assert in_use() == before
    assert PendingLedger.objects.count() == 1


def test_a_file_changed_since_its_preview_is_refused(client, spend_place, new_ledger) -> None:
    before = in_use()
    c = as_user(client, "finance")
    location = upload(c, new_ledger)["Location"]
    held = Path(PendingLedger.objects.get().path)
    held.write_text(held.read_text().replace("Residential", "Residentia1"))
    response = c.post(location, {"do": "confirm"})
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "Nothing has been saved: 1 problem to fix" in text
    assert "council_2024_2026.csv: the file previewed is no longer held. Upload it again." in text
    assert in_use() == before
    assert not PendingLedger.objects.exists()
    assert not held.exists()


def test_a_mapping_changed_since_the_preview_is_refused(client, spend_place, new_ledger) -> None:
    before = in_use()
    c = as_user(client, "finance")
    location = upload(c, new_ledger)["Location"]
    finance = User.objects.get(username="finance")
    place, council = spend_place.place, Organisation.objects.get(code=COUNCIL)
    text = MappingFile.objects.filter(organisation=council).first().text
    actions.upload_mapping(by=finance, place=place, organisation=council, text=text, source="m")
    response = c.post(location, {"do": "confirm"})
    assert response.status_code == 400
    assert "mapping file changed after the preview" in unescape(response.content.decode())
    assert in_use() == before


def test_another_ledger_uploaded_since_the_preview_is_refused(
    client, spend_place, new_ledger
) -> None:
    c = as_user(client, "finance")
    first = upload(c, new_ledger)["Location"]
    second = upload(c, new_ledger)["Location"]
    assert c.post(second, {"do": "confirm"}).status_code == 302
    replaced = in_use()
    response = c.post(first, {"do": "confirm"})
    assert response.status_code == 400
    assert "Another ledger was uploaded for Fernmouth Council" in response.content.decode()
    assert in_use() == replaced


def test_a_preview_over_a_day_old_is_gone_and_swept(client, spend_place, new_ledger) -> None:
    c = as_user(client, "finance")
    old = upload(c, new_ledger)["Location"]
    stale = PendingLedger.objects.get()
    PendingLedger.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert c.get(old).status_code == 404
    assert c.post(old, {"do": "confirm"}).status_code == 404
    upload(c, new_ledger)  # holding another sweeps it, file and all
    assert not PendingLedger.objects.filter(pk=stale.pk).exists()
    assert not Path(stale.path).exists()
    assert PendingLedger.objects.count() == 1


def test_a_refused_ledger_holds_nothing(client, spend_place, settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    good = Path(spend_place.path) / "ledgers" / f"council_gl_{COUNCIL}.csv"
    rows = good.read_text().splitlines()
    rows[1] = rows[1].replace(rows[1].split(",")[8], "12.345")
    bad.write_text("\n".join(rows) + "\n")
    response = upload(as_user(client, "finance"), bad)
    assert response.status_code == 400
    assert "row 2, column Amount" in response.content.decode()
    assert not PendingLedger.objects.exists()
    held = Path(settings.DATA_DIR) / "spend-pending"
    assert not [p for p in held.rglob("*") if p.is_file()]


def test_an_unknown_decision_is_404(client, spend_place, new_ledger: Path) -> None:
    c = as_user(client, "finance")
    location = upload(c, new_ledger)["Location"]
    assert c.post(location, {"do": "replace-everything"}).status_code == 404
    assert PendingLedger.objects.count() == 1
