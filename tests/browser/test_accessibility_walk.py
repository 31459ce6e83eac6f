"""Every page each demo person can reach, at a phone's width (390 px) and a laptop's
(1,280 px): no sideways scrolling, no errors in the browser's console, and no WCAG 2.2 AA
failure that axe-core finds (issue 15's walk; the API's documentation page included).

The walk follows the links of the pages themselves from the home page, as a person would,
so a page added later is walked without a change here. Where one page links to many of a
kind (each indicator, each month of a ledger), the first ``SAME_KIND`` of them is walked:
they share a template, and their number would make the walk too slow for CI. Each page is
loaded once, checked at 1,280 px, then narrowed to 390 px and checked again (its styles
apply on resizing; the pages lay themselves out with CSS alone). A link to a page already
checked (a default named in the query: this year, the latest version) gives the same
markup, form token aside, so axe would find the same: it is not checked again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import resolve

from onebudget import demo
from onebudget_web.accounts.models import User
from onebudget_web.bcf.actions import PlanFile, record_version
from onebudget_web.demo.bcf import PLAN, load_demo_bcf, load_demo_bcf_returns
from onebudget_web.demo.contracts import load_demo_contracts
from onebudget_web.demo.loader import (
    load_demo_allocation,
    load_demo_data,
    load_demo_fund,
    load_demo_place,
    load_demo_spend,
)
from onebudget_web.demo.scenarios import load_demo_scenario
from onebudget_web.funds.bookkeeping import prepare_settlement
from tests.browser.signing_in import sign_in

# What a page looks like does not depend on the database: walked once, on SQLite
pytestmark = [pytest.mark.browser, pytest.mark.once]

WIDTHS = (1280, 390)
# One demo person holding each role: what a role sees differs, not who holds it. The viewer
# walked is the care provider's (a provider's own contracts, statements and dispute form);
# the council's viewer sees what the commissioner walks, less the forms.
ONE_PER_ROLE = list(
    {u.roles[0]: u.username for u in reversed(demo.USERS) if u.username != "viewer"}.values()
)
SAME_KIND = 1
EXTRA = ("/api/docs",)  # linked from no page a person uses, but served to people
# Links that are not pages: downloads, signing out, the API's JSON, static files
NOT_PAGES = re.compile(
    r"^/(sign-out|static|media|api/(?!docs$))|format=|\.(yaml|xlsx|csv|json|png|svg)(\?|$)"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# The one part of a page's markup that differs each time it is loaded
FORM_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"')
REPORTS = Path(__file__).resolve().parents[2] / "test-results" / "accessibility"
LINKS = "[...document.querySelectorAll('a[href]')].map(a => a.href)"
# Pages reached by a button, not a link: the confirmation a destructive action asks for first
# (walked page, the button that leads to it; only where the person is shown that button)
BEHIND_BUTTONS = ((re.compile(r"^/funds/[^/]+/ledger/$"), "form:has(input[value=close]) button"),)


@dataclass
class Findings:
    """What went wrong on which page at which width: empty when all is well."""

    overflow: dict[str, int] = field(default_factory=dict)
    console: dict[str, list[str]] = field(default_factory=dict)
    axe: dict[str, list[str]] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    walked: list[str] = field(default_factory=list)
    same: dict[str, str] = field(default_factory=dict)  # a page, and where it was checked

    def __bool__(self) -> bool:
        return any((self.overflow, self.console, self.axe, self.status))


@pytest.fixture
def place_with_everything(tmp_path: Path) -> str:
    """The demo place with linked data, its fund's settlement prepared, both partners'
    ledgers, the allocation, and the Better Care Fund plan (signed off, its fund and
    returns, and a draft version after it), the provider contracts with their statements
    and a dispute, and the saved scenario: every kind of page has something on it.
    Returns the fund."""
    load_demo_place()
    load_demo_allocation()
    dataset = load_demo_data(tmp_path, persons=2000)
    assert dataset is not None
    fund = load_demo_fund(dataset)
    assert fund is not None
    load_demo_spend(dataset)
    plan = load_demo_bcf(dataset.place)
    assert plan is not None
    load_demo_bcf_returns(plan)
    load_demo_contracts(dataset.place)
    load_demo_scenario(dataset, runs=50)  # its pages' charts and tables, and the forms
    changed = PLAN.read_text(encoding="utf-8").replace("spend: 3400000.00", "spend: 3390000.00")
    record_version(  # a draft after the signed-off version: the forms and the agreeing
        by=User.objects.get(username="commissioner"), place=dataset.place,
        sent=PlanFile("in-year.yaml", text=changed), note="In-year change",
    )  # fmt: skip
    manager = User.objects.get(username="pool-manager")
    prepare_settlement(by=manager, fund=fund, override="Walk: months left open")
    return fund.code


def _kind(path: str, query: str) -> str:
    """Pages of one kind share a view and the names of their query's fields: each indicator,
    each month of a ledger, each transaction offered for reversal."""
    fields = sorted(name for name, _ in parse_qsl(query))
    return f"{resolve(path).url_name}?{'&'.join(fields)}"


def _pages(page, base: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Each page reachable from the home page by links, once, then the extras."""
    seen, queue, kinds = {"/"}, ["/"], Counter[str]()
    while queue:
        path = queue.pop(0)
        yield path
        for href in page.evaluate(LINKS):
            url = urlsplit(urldefrag(href).url)
            found = url.path + (f"?{url.query}" if url.query else "")
            if url.netloc != urlsplit(base).netloc or found in seen or NOT_PAGES.search(found):
                continue
            seen.add(found)
            kind = _kind(url.path, url.query)
            kinds[kind] += 1
            if kinds[kind] <= SAME_KIND:
                queue.append(found)
    yield from (path for path in EXTRA if path not in seen)


def _check(page, path: str, width: int, findings: Findings) -> None:  # type: ignore[no-untyped-def]
    """The page as it is now (already open at ``width``): overflow and axe."""
    where = f"{path} at {width} px"
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    if scrolled > width:
        findings.overflow[where] = scrolled
    # Without each node's selector axe runs a fifth quicker: asked for only when one fails
    if _axe(page, selectors=False):
        violations = _axe(page, selectors=True)
        failed = [
            f"{v['id']}: {v['help']} ({n['target']})" for v in violations for n in v["nodes"][:3]
        ]
        findings.axe[where] = failed


def _axe(page, selectors: bool) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page as it is now, injected once in each page loaded."""
    if not page.evaluate("'axe' in window"):
        page.evaluate(AXE_SCRIPT)
    options = {**AXE_OPTIONS, "selectors": selectors}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def _at_both_widths(page, shown: str, findings: Findings, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The page, loaded at the first width, checked at each (narrowed: its styles apply as on
    a phone), with what the browser's console said."""
    for width in WIDTHS:
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": 900})
        _check(page, shown, width, findings)
        if errors:
            findings.console[f"{shown} at {width} px"] = errors[:]
            errors.clear()


def _walk(browser, base: str, username: str) -> Findings:  # type: ignore[no-untyped-def]
    findings = Findings()
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, username, demo.DEMO_PASSWORD)
    checked: dict[str, str] = {}  # a page's markup, form token aside: the path it was checked at
    for path in _pages(page, base):
        findings.walked.append(path)
        _visit(page, base + path, path, checked, findings, errors)
    _behind_buttons(page, findings, errors)
    page.close()  # no request left in flight as the live server stops
    return findings


def _visit(
    page, url: str, path: str, checked: dict[str, str], findings: Findings, errors: list[str]
) -> None:  # type: ignore[no-untyped-def]
    """Load the page at the first width and check it, unless it is a page checked already."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        findings.status[path] = response.status if response else 0
        return
    markup = FORM_TOKEN.sub(r"\1", page.content())
    if markup not in checked:
        checked[markup] = path
        _at_both_widths(page, path, findings, errors)
        return
    findings.same[path] = checked[markup]
    if errors:
        findings.console[f"{path} at {WIDTHS[0]} px"] = errors[:]
        errors.clear()


def _behind_buttons(page, findings: Findings, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Each confirmation page the person can reach by a button, checked as the others are."""
    base = urlsplit(page.url)
    for pattern, button in BEHIND_BUTTONS:
        path = next((p for p in findings.walked if pattern.match(p)), None)
        if path is None:
            continue
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(f"{base.scheme}://{base.netloc}{path}", wait_until="load")
        if page.locator(button).count() == 0:
            continue
        with page.expect_navigation(wait_until="load") as moved:
            page.locator(button).first.click()
        shown = f"{path} (confirming: {button})"
        findings.walked.append(shown)
        if moved.value is None or moved.value.status != 200:
            findings.status[shown] = moved.value.status if moved.value else 0
            continue
        _at_both_widths(page, shown, findings, errors)


@pytest.mark.slow
@pytest.mark.parametrize("username", ONE_PER_ROLE)
def test_every_page_a_person_reaches_is_accessible_at_both_widths(
    browser, live_server, place_with_everything: str, username: str
) -> None:
    findings = _walk(browser, live_server.url, username)
    if username == "pool-manager":  # the one role shown the buttons of BEHIND_BUTTONS
        assert any("confirming" in path for path in findings.walked)
    if username == "analyst":  # the saved scenario's page and the scenario forms
        scenario = {"/places/fernmouth/scenarios/1/", "/places/fernmouth/scenarios/new/"}
        assert scenario <= set(findings.walked), findings.walked
    if findings:
        REPORTS.mkdir(parents=True, exist_ok=True)
        (REPORTS / f"{username}.json").write_text(json.dumps(asdict(findings), indent=1))
    assert not findings, f"see {REPORTS / username}.json"
