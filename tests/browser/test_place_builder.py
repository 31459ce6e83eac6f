"""An analyst builds a place on the practice list and the Leaflet map, saves it, and sees its
indices beside the ICB's; the page fetches nothing from outside the service."""

import pytest

from onebudget import demo
from onebudget_web.allocation.models import AllocationPlace
from onebudget_web.demo.loader import load_demo_place
from tests.browser.test_sign_in_and_scoping import sign_in

pytestmark = pytest.mark.browser


def test_a_place_built_on_the_map_and_list_is_saved_and_its_indices_shown(
    browser, live_server, db
) -> None:
    load_demo_place()
    page = browser.new_page()
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    sign_in(page, base, "analyst", demo.DEMO_PASSWORD)
    page.goto(f"{base}/places/fernmouth/allocation/builder/?year=2025/26&icb=QWO")
    page.get_by_label("Select the practices of a council").select_option(label="Calderdale")
    page.get_by_role("button", name="Show practices").click()
    ticked = page.locator("input[name=practices]:checked").count()
    assert ticked > 10
    assert (
        page.locator("#selected-count").inner_text()
        == f"{ticked} of {page.locator('input[name=practices]').count()}"
    )

    # the map and the list are one selection: a click on a point ticks its box, and back
    marker = page.locator("path.practice-marker-B85005")
    box = page.locator("#practice-B85005")
    assert not box.is_checked()
    marker.click()
    assert box.is_checked()
    assert marker.get_attribute("fill") == "#005eb8"
    box.uncheck()
    assert marker.get_attribute("fill") == "#ffffff"
    marker.click()

    page.get_by_label("Name your place").fill("Calderdale and Shepley")
    page.get_by_role("button", name="Save place").click()
    assert "Calderdale and Shepley saved with" in page.locator("main").inner_text()
    saved = AllocationPlace.objects.get(name="Calderdale and Shepley")
    assert "B85005" in saved.practices
    assert len(saved.practices) == ticked + 1
    table = page.locator("[data-testid=indices-QWO-2025\\/26]")
    assert "Calderdale and Shepley (ICB = 1)" in table.inner_text()
    assert page.locator("figure.onebudget-chart svg").count() == 1
    assert outside == []
    page.close()
