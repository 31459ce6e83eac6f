"""An analyst builds a place on the practice list and the Leaflet map, saves it, and sees its
indices beside the ICB's; the page fetches nothing from outside the service. The budget is
allocated with the form, and deleting a place is confirmed first."""

import pytest

from onebudget import demo
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration
from onebudget_web.demo.loader import load_demo_allocation, load_demo_place
from tests.browser.test_sign_in_and_scoping import sign_in

# What the browser shows does not depend on the database (the web tests run on both): once
pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_a_place_built_on_the_map_and_list_is_saved_and_its_indices_shown(
    browser, live_server, db
) -> None:
    load_demo_place()
    page = browser.new_page()
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    sign_in(page, base, "analyst", demo.DEMO_PASSWORD)
    page.goto(f"{base}/places/fernmouth/allocation/builder/", wait_until="networkidle")
    notice = page.get_by_test_id("stand-in").inner_text()
    assert "Fernmouth is a synthetic place made for the demo" in notice
    assert "NHS West Yorkshire ICB as a stand-in" in notice
    assert page.get_by_label("Integrated care board").input_value() == "QWO"
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


def test_a_budget_is_allocated_with_the_form_and_a_deletion_is_confirmed(
    browser, live_server, db
) -> None:
    load_demo_place()
    load_demo_allocation()
    page = browser.new_page()
    base = live_server.url
    sign_in(page, base, "analyst", demo.DEMO_PASSWORD)
    page.goto(f"{base}/places/fernmouth/allocation/", wait_until="networkidle")
    page.get_by_role("link", name="Change the budget allocation").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Total budget (£)").input_value() == "£5,400,000,000.00"
    page.get_by_role("button", name="Add another component").click()
    page.wait_for_load_state("networkidle")
    page.locator("#c4-name").fill("Prescribing")
    page.locator("#c4-share").fill("2%")
    page.locator("#c4-need").select_option(label="Prescribing need index")
    page.locator("#c0-share").fill("78")
    page.get_by_label("Total budget (£)").fill("£5,500,000,000")
    page.get_by_role("button", name="Allocate the budget").last.click()
    page.wait_for_load_state("networkidle")
    assert "Budget allocated." in page.locator("main").inner_text()
    table = page.get_by_test_id("allocation").inner_text()
    assert "Prescribing" in table
    assert (
        "£5,500,000,000.00 for 2025/26 shared between 5 places" in page.locator("main").inner_text()
    )
    assert BudgetConfiguration.objects.count() == 2

    page.get_by_role("link", name="Delete Wakefield").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Delete Wakefield?"
    assert "so it stays as it is" in page.get_by_test_id("budget-effect").inner_text()
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_load_state("networkidle")
    assert AllocationPlace.objects.filter(name="Wakefield").exists()
    page.get_by_role("link", name="Delete Wakefield").click()
    page.get_by_role("button", name="Delete Wakefield").click()
    page.wait_for_load_state("networkidle")
    assert "Wakefield deleted." in page.locator("main").inner_text()
    assert not AllocationPlace.objects.filter(name="Wakefield").exists()
    page.close()
