"""A pooled fund set up, and a variation recorded, from the form over the agreement: what a
browser would send (each page's own fields, read from the page), every problem beside its
field and in the summary, the variation's changes shown before it is recorded, and the
confirmation that withdrawing a reversal or replacing an approved settlement needs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest

from onebudget.funds.validation import load_agreement
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.funds import actions, corrections, selectors, settlements
from onebudget_web.funds.models import Fund

D = Decimal
COUNCIL, ICB = "E06099001", "QZZ"
NEW = "/places/fernmouth/funds/new/"


def manager(client: Any) -> Any:
    client.force_login(User.objects.get(username="pool-manager"))
    return client


class Fields(HTMLParser):
    """What a browser sends from each form of a page: inputs (a box only if ticked),
    the chosen option of each select, textareas; no buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append([])
        elif tag == "input" and a.get("type") not in ("submit", "file"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.forms[-1].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first = a["name"], None
        elif tag == "option" and self._select is not None:
            self._first = self._first if self._first is not None else a["value"]
            if "selected" in a:
                self.forms[-1].append((self._select, a["value"]))
                self._select = None
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1].append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:  # nothing selected: the first
            self.forms[-1].append((self._select, self._first or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.forms[-1][-1]
            self.forms[-1][-1] = (name, text + data)


def form_of(page: str, holding: str) -> dict[str, Any]:
    """The fields of the page's form that holds the field ``holding``."""
    found = Fields()
    found.feed(page)
    form = next(f for f in found.forms if any(name == holding for name, _ in f))
    data: dict[str, Any] = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


HOME_CARE = {
    "scheme-0-code": "HC01",
    "scheme-0-name": "Home care",
    f"scheme-0-amount-{COUNCIL}": "£1,234.50",
    f"scheme-0-amount-{ICB}": "250,000",
    "scheme-0-overspend": "fixed",
    f"scheme-0-share-{COUNCIL}": "60",
    f"scheme-0-share-{ICB}": "40%",
    "scheme-0-underspend": "carry_forward",
}


def new_fund(**changes: Any) -> dict[str, Any]:
    data = {
        "do": "create",
        "rows": "2",
        "name": "Fernmouth carers' fund 2026/27",
        "financial_year": "2026",
        "partners": [COUNCIL, ICB],
        "host": COUNCIL,
        "pool_manager": "Head of Integrated Commissioning",
        "cascade": "yes",
        f"reserve-{ICB}": "£1,000",
        **HOME_CARE,
        "scheme-1-overspend": "pro_rata",  # a row left blank is no scheme
        "scheme-1-underspend": "return",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_a_fund_set_up_from_the_form_holds_what_was_typed(client, fund: Fund) -> None:
    page = manager(client).get(NEW).content.decode()
    assert "Paste or upload an agreement (YAML)" in page
    assert "Add another scheme" in page
    response = client.post(NEW, new_fund())
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = Fund.objects.get(code="s75-e06099001-2026")
    agreement = selectors.agreement_of(created)
    assert (agreement.name, agreement.financial_year, agreement.host) == (
        "Fernmouth carers' fund 2026/27",
        2026,
        COUNCIL,
    )
    assert agreement.partner_codes == [COUNCIL, ICB]
    assert agreement.cascade is True
    assert agreement.risk_reserve == {ICB: D("1000.00")}
    (scheme,) = agreement.schemes
    assert scheme.contributions == {COUNCIL: D("1234.50"), ICB: D("250000.00")}
    assert scheme.overspend == {"rule": "fixed", "shares": {COUNCIL: 60, ICB: 40}}
    assert scheme.underspend == {"treatment": "carry_forward"}
    text = selectors.current_version(created).text
    assert load_agreement(text) == agreement  # stored as the YAML the file route takes
    assert AuditEvent.objects.filter(action="fund.created", object_id=str(created.pk)).exists()
    download = client.get(f"/funds/{created.code}/agreement.yaml")
    assert download.content.decode() == text


def test_every_problem_is_beside_its_field_and_linked_from_the_summary(client, fund: Fund) -> None:
    before = Fund.objects.count()
    response = manager(client).post(
        NEW,
        new_fund(
            name="  ",
            **{
                f"scheme-0-amount-{COUNCIL}": "fifty",
                f"scheme-0-amount-{ICB}": "12.345",
                f"reserve-{ICB}": "-5",
                f"scheme-0-share-{ICB}": "30",  # 60 + 30
                "scheme-1-code": "HC01",  # the same code again, and no contributions
                "scheme-1-name": "Respite",
            },
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert Fund.objects.count() == before
    council = "Fernmouth Council's contribution to Home care"
    expected = {
        "name": "Enter the fund's name",
        f"reserve-{ICB}": "NHS Fernmouth and Westvale Integrated Care Board's risk reserve "
        "cannot be less than £0",
        f"scheme-0-amount-{COUNCIL}": f"Enter {council} as an amount in pounds, like £250,000",
        f"scheme-0-amount-{ICB}": "Enter NHS Fernmouth and Westvale Integrated Care Board's "
        "contribution to Home care in whole pence, like £250,000.50",
        f"scheme-0-share-{COUNCIL}": "The fixed shares of an overspend on Home care must add "
        "up to 100%: they add up to 90%",
        "scheme-1-code": "Scheme code HC01 is used for two schemes: give each scheme its own code",
        f"scheme-1-amount-{COUNCIL}": "Enter at least one partner's contribution to Respite, "
        "like £250,000",
    }
    for field, message in expected.items():
        escaped = message.replace("'", "&#x27;")
        assert f'<li><a href="#{field}">{escaped}</a></li>' in page, field
        assert (
            f'id="{field}-error"><span class="nhsuk-u-visually-hidden">Error:</span> {escaped}'
            in page
        )
        assert f'id="{field}" name="{field}"' in page
    assert page.count("nhsuk-error-message") == len(expected)
    assert "<title>Error: Set up a pooled fund" in page
    assert 'value="Respite"' in page  # what was typed is kept


def test_add_another_scheme_shows_one_more_row_and_keeps_what_was_typed(client, fund) -> None:
    response = manager(client).post(NEW, new_fund(do="add-scheme"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="scheme-2-code"' in page
    assert 'name="rows" value="3"' in page
    assert 'value="£1,234.50"' in page
    assert "There is a problem" not in page
    partners = manager(client).post(NEW, new_fund(do="partners", partners=[COUNCIL, ICB, "RZZ"]))
    assert 'name="scheme-0-amount-RZZ"' in partners.content.decode()
    assert not Fund.objects.filter(financial_year=2026).exists()


def test_a_fund_starts_from_last_years_agreement_moved_on_a_year(client, fund: Fund) -> None:
    last = selectors.agreement_of(fund)
    page = manager(client).get(NEW).content.decode()
    assert f'href="?start={fund.code}"' in page
    assert f">Start from {fund.name}</a>" in page  # its name says the year
    page = client.get(f"{NEW}?start={fund.code}").content.decode()
    assert "Fernmouth integrated care pooled fund 2026/27" in page
    assert '<option value="2026" selected>2026/27</option>' in page
    response = client.post(NEW, form_of(page, "pool_manager") | {"do": "create"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    copy = selectors.agreement_of(Fund.objects.get(financial_year=2026))
    assert copy.id == "S75-E06099001-2026"
    assert [s.code for s in copy.schemes] == [s.code for s in last.schemes]
    for s in last.schemes:
        agreed = {p: v for p, v in last.contributions(s.code).items() if v}
        assert copy.scheme(s.code).contributions == agreed
        # clauses the form has no choice for, and the monthly profiles, are kept
        assert copy.scheme(s.code).overspend == s.overspend
        assert copy.scheme(s.code).profile == s.profile
    assert copy.delegated_functions == last.delegated_functions
    assert manager(client).get(f"{NEW}?start=no-such-fund").status_code == 404


def test_a_variation_shows_what_changes_then_is_recorded(client, fund: Fund) -> None:
    before = selectors.agreement_of(fund)
    icb = before.contributions("BCF01").get(ICB, D(0))
    page = manager(client).get(f"/funds/{fund.code}/agreement/").content.decode()
    form = form_of(page, "reason")
    assert form[f"scheme-0-amount-{COUNCIL}"] or form[f"scheme-0-amount-{ICB}"]
    form |= {
        f"scheme-0-amount-{ICB}": f"£{icb + 1000:,.2f}",
        "reason": "Winter pressures",
        "effective": "1 March 2026",
        "agreed_on": "01/12/2025",
        "agreed_by": "ICB CFO, Council DASS",
        "do": "review",
    }
    response = client.post(f"/funds/{fund.code}/agreement/", form)
    page = response.content.decode()
    assert response.status_code == 200, page[-3000:]
    assert "Check the variation" in page
    assert f"£{icb:,.2f}" in page
    assert f"£{icb + 1000:,.2f}" in page
    assert "+£1,000.00" in page
    assert "1 March 2026" in page
    assert fund.versions.count() == 1  # nothing yet
    confirm = form_of(page, "version") | {"do": "confirm"}
    response = client.post(f"/funds/{fund.code}/agreement/", confirm)
    assert response.status_code == 302, response.content.decode()[-3000:]
    after = selectors.agreement_of(fund)
    assert after.contributions("BCF01")[ICB] == icb + 1000
    (variation,) = after.variations[len(before.variations) :]
    assert (variation.scheme, variation.partner, variation.change) == ("BCF01", ICB, D(1000))
    assert (variation.effective, variation.agreed_on) == (date(2026, 3, 1), date(2025, 12, 1))
    assert variation.agreed_by == ["ICB CFO", "Council DASS"]
    assert fund.versions.latest("number").note == "Winter pressures"
    assert AuditEvent.objects.filter(action="fund.varied").count() == 1


def test_a_variation_needs_a_reason_notice_and_a_change(client, fund: Fund) -> None:
    url = f"/funds/{fund.code}/agreement/"
    form = form_of(manager(client).get(url).content.decode(), "reason")
    response = client.post(url, form | {"do": "review", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#reason">Enter the reason for the variation</a>' in page
    assert "Nothing has changed yet" in page
    council = selectors.agreement_of(fund).contributions("BCF01").get(COUNCIL, D(0))
    icb = selectors.agreement_of(fund).contributions("BCF01").get(ICB, D(0))
    cut = {f"scheme-0-amount-{ICB}": f"{icb - 1:f}", f"scheme-0-amount-{COUNCIL}": f"{council}"}
    late = form | cut | {"do": "review", "reason": "Savings", "effective": "1 March 2026"}
    response = client.post(url, late | {"agreed_on": "1 February 2026", "agreed_by": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#agreed_by">Enter who agreed the variation' in page
    assert "Nothing has changed yet" not in page
    response = client.post(url, late | {"agreed_on": "1 February 2026", "agreed_by": "ICB CFO"})
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "Reducing NHS Fernmouth Integrated Care Board&#x27;s contribution to Reablement and "
        "Intermediate Care at Home needs 3 months&#x27; notice: agreed 1 month before it takes "
        "effect"
    ) in page
    assert f'href="#scheme-0-amount-{ICB}"' in page
    assert fund.versions.count() == 1


def test_a_variation_made_against_an_older_version_is_shown_again(client, fund) -> None:
    url = f"/funds/{fund.code}/agreement/"
    form = form_of(manager(client).get(url).content.decode(), "reason")
    form |= {"pool_manager": "Director of Integration", "reason": "New post", "do": "confirm"}
    text = selectors.current_version(fund).text.replace("cascade: true", "cascade: false")
    other = text.replace("reduction_months: 3", "reduction_months: 4")
    pool = User.objects.get(username="pool-manager")
    actions.record_variation(by=pool, fund=fund, text=other, note="Meanwhile")
    response = client.post(url, form)  # made against version 1; version 2 now stands
    page = response.content.decode()
    assert response.status_code == 200
    assert "The agreement changed while you worked" in page
    assert "Was: Head of Integrated Commissioning" in page
    assert "Was: No<br>Now: Yes" in page  # the form would undo the cascade: it says so
    assert fund.versions.count() == 2
    response = client.post(url, form_of(page, "version") | {"do": "confirm"})
    assert response.status_code == 302
    varied = selectors.agreement_of(fund)
    assert varied.pool_manager == "Director of Integration"
    assert varied.notice.reduction_months == 4  # what the form does not hold is kept


def test_the_yaml_variation_is_shown_before_it_is_recorded(client, fund: Fund) -> None:
    url = f"/funds/{fund.code}/agreement/"
    text = selectors.current_version(fund).text.replace("cascade: true", "cascade: false")
    response = manager(client).post(
        url, {"do": "review-yaml", "text": text, "note": "No cascade", "version": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Overspend cascade" in page
    assert "Was: Yes" in page
    assert fund.versions.count() == 1
    response = client.post(url, form_of(page, "version") | {"do": "confirm-yaml"})
    assert response.status_code == 302
    assert fund.versions.latest("number").text == text
    response = client.post(url, {"do": "review-yaml", "text": text, "note": ""})
    assert response.status_code == 400
    assert "Nothing has been saved: 2 problems to fix" in response.content.decode()


@pytest.fixture
def reversal(fund: Fund) -> Any:
    row = selectors.reversible_transactions(fund).first()
    pool = User.objects.get(username="pool-manager")
    return corrections.prepare_reversal(by=pool, fund=fund, reason="Wrong scheme", transaction=row)


def test_withdrawing_a_reversal_needs_the_box_ticked(client, fund: Fund, reversal: Any) -> None:
    url = f"/funds/{fund.code}/ledger/"
    sent = {"do": "withdraw-reversal", "reversal": reversal.pk, "reason": "Prepared in error"}
    response = manager(client).post(url, sent)
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="withdraw-confirm-{reversal.pk}-error"' in page
    assert "Prepared in error</textarea>" in page
    assert selectors.pending_reversals(fund) == [reversal]
    response = client.post(url, sent | {"reason": "", "confirm": ""})
    assert f'id="withdraw-reason-{reversal.pk}-error"' in response.content.decode()
    assert client.post(url, sent | {"confirm": "yes"}).status_code == 302
    assert selectors.pending_reversals(fund) == []


def test_replacing_an_approved_settlement_needs_the_box_ticked(client, fund: Fund) -> None:
    pool, finance = User.objects.get(username="pool-manager"), User.objects.get(username="finance")
    reason = {"override": "Board meets early"}
    prepared = settlements.prepare_settlement(by=pool, fund=fund, **reason)
    url = f"/funds/{fund.code}/settlement/"
    page = manager(client).get(url).content.decode()
    assert 'name="replace"' not in page  # nothing approved: nothing to lose
    council = Organisation.objects.get(code=COUNCIL)
    settlements.approve_settlement(by=finance, settlement=prepared, organisation=council)
    page = client.get(url).content.decode()
    assert "Fernmouth Council has approved the settlement awaiting approval" in page
    response = client.post(url, {"do": "prepare", **reason})
    assert response.status_code == 400
    assert 'id="replace-error"' in response.content.decode()
    assert fund.settlements.count() == 1
    assert client.post(url, {"do": "prepare", "replace": "yes", **reason}).status_code == 302
    assert fund.settlements.count() == 2


def test_dates_and_amounts_are_read_as_people_write_them() -> None:
    from onebudget_web.funds.agreement_build import money, parse_date

    for written in ("2026-01-01", "01/01/2026", "1 January 2026", " 1  Jan 2026 "):
        assert parse_date(written) == date(2026, 1, 1), written
    assert parse_date("31/02/2026") is None
    errors: dict[str, list[str]] = {}
    assert money("£1,234.50", "a", "the ICB's contribution", errors) == D("1234.50")
    assert money("(3.00)", "b", "the ICB's contribution", errors) is None
    assert money("", "c", "the ICB's contribution", errors) is None
    assert errors == {"b": ["The ICB's contribution cannot be less than £0"]}
