"""Every page of a place and its pooled fund (its settlement prepared) fits a phone (390 px)
and a laptop (1,280 px) without scrolling sideways, and the pages people print or show a
board are saved as screenshots under ``test-results/screenshots`` for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from onebudget import demo
from onebudget_web.accounts.models import User
from onebudget_web.demo.loader import load_demo_data, load_demo_fund, load_demo_place
from onebudget_web.funds.bookkeeping import prepare_settlement
from tests.browser.signing_in import sign_in

# What the browser shows does not depend on the database (the web tests run on both): once
pytestmark = [pytest.mark.browser, pytest.mark.once]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PAGES = [
    "/",
    "/places/fernmouth/",
    "/places/fernmouth/spend/",
    "/places/fernmouth/outcomes/",
    "/places/fernmouth/outcomes/falls-65-plus/",
    "/places/fernmouth/allocation/",
    "/funds/{fund}/",
    "/funds/{fund}/agreement/",
    "/funds/{fund}/ledger/",
    "/funds/{fund}/ledger/2025-06/",
    "/funds/{fund}/monitoring/",
    "/funds/{fund}/settlement/",
    "/funds/{fund}/actuals/",
    "/organisations/E06099001/",
]
# The innermost elements reaching past the window's edge: what to fix
WIDEST = """(width) => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5 && !e.querySelector('*'))
    .slice(0, 3).map(e => `${e.tagName}.${e.className}: ${e.textContent.slice(0, 40)}`)"""
SHOWN = {"/places/fernmouth/": "overview", "/places/fernmouth/spend/": "spend"}
SHOWN["/funds/{fund}/settlement/"] = "settlement"


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser, live_server, tmp_path: Path, width: int) -> None:
    load_demo_place()
    found = load_demo_fund(load_demo_data(tmp_path, persons=2000))
    manager = User.objects.get(username="pool-manager")
    prepare_settlement(by=manager, fund=found, override="Screens: months left open")
    fund = found.code
    page = browser.new_page(viewport={"width": width, "height": 900})
    sign_in(page, live_server.url, "pool-manager", demo.DEMO_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for url in PAGES:
        response = page.goto(live_server.url + url.format(fund=fund), wait_until="networkidle")
        assert response is not None
        assert response.status == 200, url
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        if scrolled > width:
            too_wide[url] = (scrolled, page.evaluate(WIDEST, width))
        if url in SHOWN:
            page.screenshot(path=SHOTS / f"{SHOWN[url]}-{width}.png", full_page=True)
    page.close()  # no request left in flight as the live server stops
    assert too_wide == {}
