"""A person signs in, opens their organisation, and cannot open another organisation."""

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_place
from tests.browser.signing_in import sign_in

pytestmark = pytest.mark.browser

NHS_BLUE = "rgb(0, 94, 184)"
__all__ = ["sign_in"]  # the other browser tests import it from here


def test_a_demo_commissioner_sees_their_council_and_not_the_neighbours(page, live_server) -> None:
    load_demo_place()
    sign_in(page, live_server.url, "commissioner", demo.DEMO_PASSWORD)

    assert page.get_by_role("heading", level=1).inner_text() == "Your organisations and places"
    header = page.locator("header.nhsuk-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == NHS_BLUE
    assert "Westvale Council" not in page.content()

    page.get_by_role("link", name="Fernmouth Council").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fernmouth Council"
    assert page.get_by_text("Cam Missioner (joint commissioner)").count() >= 1

    response = page.goto(f"{live_server.url}/organisations/E06099002/")
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert "Westvale Council" not in page.content()


def test_a_wrong_password_shows_an_error_summary(page, live_server) -> None:
    load_demo_place()
    sign_in(page, live_server.url, "commissioner", "not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert "correct username and password" in summary.inner_text()


def test_signing_out_returns_to_sign_in(page, live_server) -> None:
    load_demo_place()
    sign_in(page, live_server.url, "provider", demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    assert page.title() == "Sign in – OneBudget"
    page.goto(f"{live_server.url}/places/fernmouth/")
    assert page.title() == "Sign in – OneBudget"
