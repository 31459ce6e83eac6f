"""Corrections and uploads: a posted figure or a whole actuals file is reversed (approved
by each partner's finance officer) and the corrected figures posted again; uploads are
checked for size before anything is read, held per person and token, and never left on
disk; a month to close is a real month of the fund's year."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import multipartparser
from django.test import override_settings
from django.utils import timezone

from onebudget.funds.actuals import parse_actuals
from onebudget.funds.ledger import Ledger
from onebudget.io.tables import RawTable, read_table
from onebudget.roles import NotPermitted, Role
from onebudget_web.accounts.actions import grant_role
from onebudget_web.audit.models import AuditEvent
from onebudget_web.funds import actions, bookkeeping, corrections, selectors
from onebudget_web.funds.models import (
    ActualsImport,
    ClosedPeriod,
    Fund,
    PendingUpload,
    Reversal,
)
from tests.web.test_settlement_rules import (  # the demo fund, generated once per module
    COUNCIL,
    ICB,
    demo_folder,  # noqa: F401
    demo_fund,  # noqa: F401
    partner,
    user,
)

D = Decimal


def demo_file(fund: Fund) -> RawTable:
    path = Path(fund.place.datasets.get().path) / "pooled_fund" / "monthly_actuals.csv"
    return read_table(path)


def changed(table: RawTable, name: str, changes: dict[tuple[str, str], str]) -> RawTable:
    """The table with the actual of some (scheme, month) rows changed."""
    col = {c: i for i, c in enumerate(table.header)}
    rows = []
    for n, cells in table.rows:
        key = (cells[col["scheme_code"]], cells[col["month"]])
        if key in changes:
            cells = tuple(changes[key] if i == col["actual"] else c for i, c in enumerate(cells))
        rows.append((n, cells))
    return RawTable(name, table.header, tuple(rows))


def approve(reversal: Reversal) -> None:
    for name, code in (("finance", COUNCIL), ("icb-finance", ICB)):
        corrections.approve_reversal(by=user(name), reversal=reversal, organisation=partner(code))


def expected_balances(fund: Fund, table: RawTable) -> dict[str, Decimal]:
    """The books the library gives for the instalments and this file's figures alone."""
    agreement = selectors.agreement_of(fund)
    books = Ledger()
    figures = parse_actuals(table, agreement).figures
    assert not books.post_all(
        bookkeeping.instalment_transactions(agreement)
        + bookkeeping.actual_transactions(agreement, figures)
    )
    return books.balances()


def test_reversing_a_figure_and_a_whole_file_then_posting_the_corrections(fund: Fund) -> None:
    manager = user("pool-manager")
    original = demo_file(fund)
    march = fund.transactions.get(key="actual:BCF01:2026-03")
    june_rows = list(
        fund.transactions.filter(period="2025-06").values_list("key", flat=True).order_by("key")
    )

    # 1. One figure: reversed (once both partners approve), then posted again corrected
    one = corrections.prepare_reversal(
        by=manager, fund=fund, reason="Invoice booked twice", transaction=march
    )
    approve(one)
    undo = fund.transactions.get(reverses=march)
    assert undo.on == march.on  # March is open: reversed in its own month
    fix = RawTable(
        "march-fix.csv", ("scheme_code", "month", "actual"), ((2, ("BCF01", "2026-03", "100.00")),)
    )
    assert bookkeeping.import_actuals(by=manager, fund=fund, table=fix) == 1
    assert fund.transactions.filter(key="actual:BCF01:2026-03#2").exists()

    # 2. The whole demo file: every transaction it posted that still stands
    demo_import = fund.imports.order_by("posted_at", "pk").first()
    whole = corrections.prepare_reversal(
        by=manager, fund=fund, reason="Wrong ledger extract", actuals=demo_import
    )
    approve(whole)
    standing = selectors.reversal_targets(whole)
    assert not standing.exists()
    june_undo = fund.transactions.get(reverses__key="actual:BCF02:2025-06")
    assert june_undo.on == date(2026, 1, 31)  # June is closed: the first open month after it
    expected = expected_balances(fund, fix)
    assert selectors.balances(fund) == {k: v for k, v in expected.items() if v}

    # 3. The corrected file: March as fixed, June's BCF02 figure changed
    corrected = changed(
        original, "corrected.csv", {("BCF01", "2026-03"): "100.00", ("BCF02", "2025-06"): "1234.56"}
    )
    posted = bookkeeping.import_actuals(by=manager, fund=fund, table=corrected)
    assert posted > 0
    assert selectors.balances(fund) == expected_balances(fund, corrected)
    # June, closed, stays as it was reported; the correction went into January
    assert (
        list(
            fund.transactions.filter(period="2025-06").values_list("key", flat=True).order_by("key")
        )
        == june_rows
    )
    assert fund.transactions.get(key="actual:BCF02:2025-06#2").on == date(2026, 1, 31)
    # Posting the corrected file again changes nothing
    assert bookkeeping.import_actuals(by=manager, fund=fund, table=corrected) == 0


def test_a_reversal_is_approved_by_each_partner_by_different_people_never_the_preparer(
    fund: Fund,
) -> None:
    manager = user("pool-manager")
    grant_role(by="system:tests", user=manager, organisation=partner(COUNCIL), role=Role.FINANCE)
    tx = fund.transactions.get(key="actual:BCF01:2026-02")
    reversal = corrections.prepare_reversal(by=manager, fund=fund, reason="Typo", transaction=tx)
    with pytest.raises(ValidationError, match="You prepared this reversal"):
        corrections.approve_reversal(by=manager, reversal=reversal, organisation=partner(COUNCIL))
    with pytest.raises(NotPermitted):
        corrections.approve_reversal(
            by=user("viewer"), reversal=reversal, organisation=partner(COUNCIL)
        )
    both = user("finance")
    grant_role(by="system:tests", user=both, organisation=partner(ICB), role=Role.FINANCE)
    corrections.approve_reversal(by=both, reversal=reversal, organisation=partner(COUNCIL))
    with pytest.raises(ValidationError, match="different person"):
        corrections.approve_reversal(by=both, reversal=reversal, organisation=partner(ICB))
    assert not fund.transactions.filter(reverses=tx).exists()  # not posted yet
    corrections.approve_reversal(
        by=user("icb-finance"), reversal=reversal, organisation=partner(ICB)
    )
    assert fund.transactions.filter(reverses=tx).exists()
    actions_seen = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"fund.reversal_prepared", "fund.reversal_approved", "fund.reversal_posted"} <= (
        actions_seen
    )
    prepared = AuditEvent.objects.get(action="fund.reversal_prepared")
    assert prepared.detail["reason"] == "Typo"


def test_what_cannot_be_reversed(fund: Fund) -> None:
    manager = user("pool-manager")
    tx = fund.transactions.get(key="actual:BCF01:2026-01")
    with pytest.raises(ValidationError) as refused:
        corrections.prepare_reversal(by=manager, fund=fund, reason="", transaction=tx)
    assert refused.value.message_dict == {"reason": ["Enter the reason for the reversal"]}
    first = corrections.prepare_reversal(by=manager, fund=fund, reason="Typo", transaction=tx)
    with pytest.raises(ValidationError, match="already awaiting approval"):
        corrections.prepare_reversal(
            by=manager, fund=fund, reason="Again", actuals=fund.imports.get()
        )
    approve(first)
    undo = fund.transactions.get(reverses=tx)
    with pytest.raises(ValidationError, match="already been reversed"):
        corrections.prepare_reversal(by=manager, fund=fund, reason="Again", transaction=tx)
    with pytest.raises(ValidationError, match="itself a reversal"):
        corrections.prepare_reversal(by=manager, fund=fund, reason="Undo", transaction=undo)
    for period in ("2026-01", "2026-02", "2026-03"):
        actions.close_period(by=manager, fund=fund, period=period)
    with pytest.raises(ValidationError, match="no open month"):
        corrections.prepare_reversal(
            by=manager,
            fund=fund,
            reason="Late",
            transaction=fund.transactions.get(key="actual:BCF02:2025-06"),
        )


def test_the_ledger_page_reverses_a_file_with_a_reason_and_partners_approve_it(
    client, fund: Fund
) -> None:
    upload = fund.imports.get()
    url = f"/funds/{fund.code}/ledger/"
    client.force_login(user("viewer"))
    page = client.get(url).content.decode()
    assert "Reverse a posting" not in page
    assert (
        client.post(
            url, {"do": "reverse", "target": f"actuals:{upload.pk}", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(user("pool-manager"))
    page = client.get(url).content.decode()
    assert f'href="?reverse=actuals:{upload.pk}#reverse"' in page
    page = client.get(f"{url}?reverse=actuals:{upload.pk}").content.decode()
    assert "Reverse <strong>the actuals file monthly_actuals.csv</strong>" in page
    response = client.post(url, {"do": "reverse", "target": f"actuals:{upload.pk}", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="reason-error"' in page
    assert "Enter the reason for the reversal" in page
    assert not fund.reversals.exists()
    response = client.post(
        url, {"do": "reverse", "target": f"actuals:{upload.pk}", "reason": "Wrong extract"}
    )
    assert response.status_code == 302
    reversal = fund.reversals.get()
    assert reversal.actuals == upload
    period = client.get(f"{url}2026-02/").content.decode()
    assert "?reverse=transaction:" in period

    for name, code, label in (
        ("finance", COUNCIL, "Fernmouth Council"),
        ("icb-finance", ICB, "NHS Fernmouth"),
    ):
        client.force_login(user(name))
        page = client.get(url).content.decode()
        assert "Wrong extract" in page
        assert f"Approve the reversal for {label}" in page
        response = client.post(
            url, {"do": "approve-reversal", "reversal": reversal.pk, "organisation": code}
        )
        assert response.status_code == 302
    assert not selectors.reversal_targets(reversal).exists()
    books = selectors.balances(fund)
    assert not any(k.endswith(":expenditure") for k in books)


def test_close_period_takes_only_a_month_of_the_funds_year(client, fund: Fund) -> None:
    manager = user("pool-manager")
    before = ClosedPeriod.objects.count()
    for bad in ("not-a-month", "2026-13", "7" * 5000, "2026-04", "2025-03", ""):
        with pytest.raises(ValidationError) as refused:
            actions.close_period(by=manager, fund=fund, period=bad)
        assert list(refused.value.message_dict) == ["period"]
    assert ClosedPeriod.objects.count() == before
    client.force_login(manager)
    response = client.post(f"/funds/{fund.code}/ledger/", {"do": "close", "period": "2026-13"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="period-error"' in page
    assert "Enter the month as YYYY-MM, for example 2026-01" in page
    response = client.post(f"/funds/{fund.code}/ledger/", {"do": "close", "period": "7" * 5000})
    assert response.status_code == 400
    assert "7" * 200 not in response.content.decode()
    response = client.post(f"/funds/{fund.code}/ledger/", {"do": "close", "period": "2024-05"})
    assert "2024-05 is not a month of this year: choose April 2025 to March 2026" in (
        response.content.decode()
    )
    assert ClosedPeriod.objects.count() == before
    response = client.post(f"/funds/{fund.code}/ledger/", {"do": "close", "period": "2026-01"})
    assert response.status_code == 200  # asked first
    assert ClosedPeriod.objects.count() == before
    confirmed = {"do": "close", "period": "2026-01", "confirm": "yes"}
    response = client.post(f"/funds/{fund.code}/ledger/", confirmed)
    assert response.status_code == 302
    assert fund.closed_periods.filter(period="2026-01").exists()


def test_closing_a_month_from_the_ledger_page_is_confirmed_first(client, fund: Fund) -> None:
    """The first post says which month of which fund would close and what that means, and
    closes nothing; only the confirming post closes it (and is audited). Someone without
    the pool manager's role is refused at either step."""
    url = f"/funds/{fund.code}/ledger/"
    asked, confirmed = {"do": "close", "period": "2026-01"}, {"confirm": "yes"}
    closings = AuditEvent.objects.filter(action="fund.period_closed")
    audited = closings.count()
    client.force_login(user("pool-manager"))
    assert "Close January 2026</button>" in client.get(url).content.decode()
    response = client.post(url, asked)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "<h1>Close January 2026?</h1>" in page
    assert f"a month of the 2025/26 financial year of {fund.name}" in page
    assert "is posted in February 2026 instead" in page
    assert 'name="confirm" value="yes"' in page
    assert 'type="submit">Close January 2026</button>' in page
    assert f'<a href="{url}">Cancel</a>' in page
    assert not fund.closed_periods.filter(period="2026-01").exists()
    assert closings.count() == audited
    last = unescape(client.post(url, asked | {"period": "2026-03"}).content.decode())
    assert "is posted in" not in last
    assert "something posted in March 2026 can no longer be reversed" in last
    for name in ("viewer", "finance"):
        client.force_login(user(name))
        assert client.post(url, asked).status_code == 403
        assert client.post(url, asked | confirmed).status_code == 403
    assert not fund.closed_periods.filter(period="2026-01").exists()
    client.force_login(user("pool-manager"))
    response = client.post(url, asked | confirmed)
    assert response.status_code == 302
    assert fund.closed_periods.filter(period="2026-01").exists()
    assert closings.count() == audited + 1
    response = client.post(url, asked)
    assert response.status_code == 400
    assert "January 2026 is already closed" in response.content.decode()


# Uploads


@pytest.fixture
def no_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files go to a folder of the test's own, and Django's write-to-disk upload
    handler fails the test if it is ever used."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", refuse)
    return folder


def csv_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_an_upload_over_the_limit_is_refused_before_anything_is_read(
    client, fund: Fund, tmp_path: Path, no_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = []
    monkeypatch.setattr(
        multipartparser.MultiPartParser, "parse", lambda self: parsed.append(1) or ({}, {})
    )
    big = csv_file(
        tmp_path, "big.csv", "scheme_code,month,actual\n" + "BCF01,2026-03,1.00\n" * 200_000
    )
    client.force_login(user("pool-manager"))
    with override_settings(ONEBUDGET_MAX_UPLOAD_BYTES=1024 * 1024), big.open("rb") as handle:
        response = client.post(f"/funds/{fund.code}/actuals/", {"file": handle})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large: the most that can be uploaded is 1 MB" in page
    assert "nhsuk-error-summary" in page
    assert parsed == []  # the body was never parsed, so never written anywhere
    assert list(no_disk.iterdir()) == []
    assert not PendingUpload.objects.exists()


def test_a_failed_preview_leaves_no_file(client, fund: Fund, tmp_path: Path, no_disk: Path) -> None:
    # over Django's 2.5 MB in-memory threshold, under the service's limit
    bad = csv_file(tmp_path, "bad.csv", "nonsense\n" + "x,y,z\n" * 500_000)
    client.force_login(user("pool-manager"))
    with bad.open("rb") as handle:
        response = client.post(f"/funds/{fund.code}/actuals/", {"file": handle})
    assert response.status_code == 400
    assert "Nothing has been posted" in response.content.decode()
    assert list(no_disk.iterdir()) == []
    assert not PendingUpload.objects.exists()


def test_two_previews_in_one_session_both_post(
    client, fund: Fund, tmp_path: Path, no_disk: Path
) -> None:
    manager = user("pool-manager")
    text = selectors.current_version(fund).text.replace("S75-E06099001-2025", "S75-FERN-NEXT")
    fresh = actions.create_fund(by=manager, place=fund.place, text=text)
    stale = PendingUpload.objects.create(
        token="old", fund=fresh, user=manager, file_name="old.csv", content=b"x"
    )
    PendingUpload.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=2))
    client.force_login(manager)
    url = f"/funds/{fresh.code}/actuals/"
    tokens = []
    for name, month, amount in (("april.csv", "2025-04", "10.00"), ("may.csv", "2025-05", "20.50")):
        path = csv_file(tmp_path, name, f"scheme_code,month,actual\nBCF01,{month},{amount}\n")
        with path.open("rb") as handle:
            page = client.post(url, {"file": handle}).content.decode()
        assert "Check before posting" in page
        tokens.append(page.split('name="token" value="')[1].split('"')[0])
    assert not PendingUpload.objects.filter(token="old").exists()  # swept: over an hour old
    assert PendingUpload.objects.count() == 2
    client.force_login(user("finance"))
    grant_role(
        by="system:tests", user=user("finance"), organisation=fresh.host, role=Role.POOL_MANAGER
    )
    assert client.post(url, {"token": tokens[0]}).status_code == 404  # another person's upload
    client.force_login(manager)
    for token in tokens:
        assert client.post(url, {"token": token}).status_code == 302
    assert client.post(url, {"token": tokens[0]}).status_code == 404  # posted once
    assert selectors.balances(fresh)["BCF01:expenditure"] == D("30.50")
    assert list(
        ActualsImport.objects.filter(fund=fresh)
        .values_list("file_name", flat=True)
        .order_by("file_name")
    ) == ["april.csv", "may.csv"]
    assert not PendingUpload.objects.exists()
    assert list(no_disk.iterdir()) == []


def test_the_upload_still_needs_the_csrf_token(fund: Fund, tmp_path: Path) -> None:
    """The CSRF check runs in the view (after the size check), not in the middleware."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("pool-manager"))
    path = csv_file(tmp_path, "a.csv", "scheme_code,month,actual\nBCF01,2026-03,1.00\n")
    with path.open("rb") as handle:
        response = browser.post(f"/funds/{fund.code}/actuals/", {"file": handle})
    assert response.status_code == 403
    assert not PendingUpload.objects.exists()
