"""A signed-in person who does nothing for longer than the idle limit is signed out: the next
page they ask for is the sign-in page."""

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_place
from tests.browser.signing_in import sign_in

# What the browser shows does not depend on the database (the web tests run on both): once
pytestmark = [pytest.mark.browser, pytest.mark.once]
IDLE_SECONDS = 3


def test_an_idle_session_ends_and_asks_for_sign_in_again(page, live_server, settings) -> None:
    # The idle limit is the session's age, renewed by each request (core.sessions)
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    load_demo_place()
    base = live_server.url
    sign_in(page, base, "commissioner", demo.DEMO_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Your organisations and places"
    page.goto(f"{base}/places/fernmouth/")
    assert page.get_by_role("heading", level=1).inner_text() == "Fernmouth"  # still signed in

    page.wait_for_timeout((IDLE_SECONDS + 1.5) * 1000)
    page.goto(f"{base}/places/fernmouth/")
    assert page.title() == "Sign in – OneBudget"
    assert page.url == f"{base}/sign-in/?next=/places/fernmouth/"
