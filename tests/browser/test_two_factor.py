"""A finance officer sets up two-factor sign-in from the page (the code computed here from the
secret the page shows, as an authenticator app would), signs out, and signs in with a code."""

import re

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_place
from tests.browser.signing_in import code_from_secret

# What the browser shows does not depend on the database (the web tests run on both): once
pytestmark = [pytest.mark.browser, pytest.mark.once]


def password_step(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/places/fernmouth/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_finance_officer_sets_up_two_factor_and_signs_in_with_a_code(page, live_server) -> None:
    load_demo_place()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    base = live_server.url
    password_step(page, base, "finance")
    assert page.title() == "Set up two-factor sign-in – OneBudget"
    assert page.locator("svg.app-qr-code").is_visible()
    secret = page.locator("#two-factor-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)

    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Confirm and continue").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "The code is not right" in summary.inner_text()
    page.wait_for_timeout(1100)  # the throttle's wait after one wrong code

    code, used_step = code_from_secret(secret)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept my recovery codes").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fernmouth"

    page.get_by_role("button", name="Sign out").click()
    password_step(page, base, "finance")
    assert page.title() == "Enter your security code – OneBudget"
    code, _ = code_from_secret(secret, after_step=used_step)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fernmouth"
    assert refused == []
