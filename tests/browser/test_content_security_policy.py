"""Every kind of page works under the strict Content-Security-Policy: no inline script or
style is refused by the browser anywhere (Chromium reports each refusal on the console), and
the NHS.UK frontend's script still starts (the header menu is enhanced)."""

from __future__ import annotations

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_data, load_demo_fund, load_demo_place
from tests.browser.test_sign_in_and_scoping import sign_in

# What the browser shows does not depend on the database (the web tests run on both): once
pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_no_page_breaks_the_content_security_policy(browser, live_server, db, tmp_path) -> None:
    load_demo_place()
    fund = load_demo_fund(load_demo_data(tmp_path, persons=2000))
    assert fund is not None
    page = browser.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    base = live_server.url
    sign_in(page, base, "pool-manager", demo.DEMO_PASSWORD)
    for path in [
        "/",
        "/places/fernmouth/",
        "/places/fernmouth/outcomes/",
        "/places/fernmouth/outcomes/falls-65-plus/",
        "/places/fernmouth/spend/",
        f"/funds/{fund.code}/settlement/",
        "/places/fernmouth/allocation/builder/?year=2025/26&icb=QWO",
    ]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("document.body.classList.contains('js-enabled')"), path
    assert page.locator("path.practice-marker-B85005").count() == 1  # the map is drawn
    page.goto(base + "/api/docs")
    assert page.locator("h3 code").count() > 0  # the API docs (every operation: test_api_schema)
    # nothing may still be asking the live server for anything when the test's database goes
    page.wait_for_load_state("networkidle")
    page.close()
    assert refused == []
