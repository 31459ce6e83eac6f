"""A pool manager checks a bad upload and prepares the settlement (giving the reason, as
months are still open); a finance officer of each partner approves it, and the settlement
is posted, once: the pool manager is then offered a reversal, not another settlement."""

from pathlib import Path

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_data, load_demo_fund, load_demo_place
from tests.browser.test_sign_in_and_scoping import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def fund_code(tmp_path: Path) -> str:
    load_demo_place()
    return load_demo_fund(load_demo_data(tmp_path, persons=2000)).code


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_upload_preview_then_settlement_approved_by_both_partners(
    browser, live_server, fund_code: str, tmp_path: Path
) -> None:
    page = browser.new_page()
    base = live_server.url
    sign_in(page, base, "pool-manager", demo.DEMO_PASSWORD)
    page.goto(f"{base}/funds/{fund_code}/actuals/")
    bad = tmp_path / "bad.csv"
    bad.write_text("scheme_code,month,actual\nBCF01,2026-03,1.005\n")
    page.get_by_label("Monthly actuals file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "Nothing has been posted" in summary.inner_text()
    assert "bad.csv, row 2, column actual: '1.005'" in summary.inner_text()

    page.goto(f"{base}/funds/{fund_code}/settlement/")
    page.get_by_role("button", name="Prepare the settlement from the ledger").click()
    error = page.locator("#override-error")
    assert "January to February 2026 are still open" in error.inner_text()
    reason = "Board meets on 20 February"
    page.get_by_label("Reason to prepare the settlement with months still open").fill(reason)
    page.get_by_role("button", name="Prepare the settlement from the ledger").click()
    assert page.get_by_text("Awaiting approval").count() == 1
    assert reason in page.locator(".nhsuk-warning-callout").inner_text()
    sign_out(page)

    for user, partner in (("finance", "Fernmouth Council"), ("icb-finance", "NHS Fernmouth")):
        sign_in(page, base, user, demo.DEMO_PASSWORD)
        page.goto(f"{base}/funds/{fund_code}/settlement/")
        page.get_by_role("button", name=f"Approve for {partner}").click()
        sign_out(page)

    sign_in(page, base, "viewer", demo.DEMO_PASSWORD)
    page.goto(f"{base}/funds/{fund_code}/settlement/")
    assert page.get_by_text("Approved and posted").count() == 1
    assert page.get_by_role("button", name="Approve").count() == 0
    sign_out(page)

    sign_in(page, base, "pool-manager", demo.DEMO_PASSWORD)
    page.goto(f"{base}/funds/{fund_code}/settlement/")
    assert page.get_by_role("button", name="Prepare a reversal").count() == 1
    assert page.get_by_role("button", name="Prepare the settlement from the ledger").count() == 0
    page.close()
