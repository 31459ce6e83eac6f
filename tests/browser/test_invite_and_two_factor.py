"""An admin invites a finance officer; the officer opens the link, chooses a password, is
required to set up two-factor sign-in (the code computed here from the secret the page
shows, as an authenticator app would), and later signs in with a code."""

import re

import pytest

from onebudget import demo
from onebudget_web.demo.loader import load_demo_place
from tests.browser.signing_in import code_from_secret, sign_in

# What the browser shows does not depend on the database (the web tests run on both): once
pytestmark = [pytest.mark.browser, pytest.mark.once]
NEW_PASSWORD = "Walnut-ledger-Fernmouth-41"


def test_an_invited_finance_officer_sets_up_two_factor_and_signs_in_with_it(
    page, live_server
) -> None:
    load_demo_place()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    base = live_server.url
    sign_in(page, base, "admin", demo.DEMO_PASSWORD)
    page.goto(f"{base}/organisations/QZZ/")
    page.get_by_role("link", name="Invite people, change their roles or disable a leaver").click()
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("Full name").fill("Fola Finch")
    page.get_by_label("Username").fill("fola-finch")
    page.get_by_label("Finance", exact=True).check()
    page.get_by_role("button", name="Make the invitation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Invitation made for Fola Finch"
    link = page.get_by_label("The invitation link").input_value()
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Join ")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.locator("form button[type=submit]").click()
    assert page.title() == "Set up two-factor sign-in – OneBudget"
    secret = page.locator("#two-factor-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)
    code, used_step = code_from_secret(secret)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept my recovery codes").click()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{base}/")
    page.get_by_label("Username").fill("fola-finch")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.title() == "Enter your security code – OneBudget"
    code, _ = code_from_secret(secret, after_step=used_step)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "Finance" in page.locator("main").inner_text()
    assert refused == []
