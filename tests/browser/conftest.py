"""Headless Chromium from Debian (never a downloaded browser), driven by Playwright.

Where Chromium is not installed, every test here is skipped for one reason, which pytest's
summary shows as one line; in CI (``CI=true``) a missing Chromium fails them instead.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# itself (setting up data) must be allowed to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


IN_CI = os.environ.get("CI", "").lower() == "true"
NO_CHROMIUM = (
    f"Chromium not installed at {CHROMIUM} (apt-get install chromium): "
    "browser tests skipped (CI runs them)"
)


def _require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    if IN_CI:
        pytest.fail(f"Chromium not installed at {CHROMIUM}: CI must run the browser tests")
    pytest.skip(NO_CHROMIUM)


SKIP_LOCATION = (__file__, _require_chromium.__code__.co_firstlineno)


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed() -> None:
    """The first fixture of every test here, before the live server starts."""
    _require_chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Report every test skipped for want of Chromium at one location, so that pytest's summary
    folds them into one line (it would otherwise show each test's own location)."""
    report: pytest.TestReport = yield
    if (
        report.skipped
        and isinstance(report.longrepr, tuple)
        and report.longrepr[2].endswith(NO_CHROMIUM)
    ):
        report.longrepr = (*SKIP_LOCATION, report.longrepr[2])
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):  # type: ignore[no-untyped-def]
    """pytest-django's live server, started only once the test database exists, so that it is
    stopped (and its connection closed) before the database is dropped at the end of the run.
    Started first, it outlived the database on PostgreSQL, whose DROP DATABASE then failed
    with "being accessed by other users" when a worker's first test was a browser test."""
    return live_server
