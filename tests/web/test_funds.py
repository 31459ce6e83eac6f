"""The pooled fund in the service: who sees it, who posts, uploads with a preview, and a
settlement that needs a finance officer of each partner (two different people)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from onebudget import demo
from onebudget.funds.ledger import Posting, Transaction
from onebudget.roles import NotPermitted, Role
from onebudget_web.accounts.actions import grant_role
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.funds import actions, bookkeeping, selectors
from onebudget_web.funds.models import Fund, LedgerEntry, LedgerTransaction

D = Decimal


def user(name: str) -> User:
    return User.objects.get(username=name)


def sign_in(client, name: str):
    client.force_login(user(name))
    return client


def test_the_demo_fund_is_loaded_with_instalments_and_actuals(fund: Fund) -> None:
    books = selectors.balances(fund)
    agreement = selectors.agreement_of(fund)
    pooled = [s for s in agreement.schemes if s.budget == "pooled"]
    for s in pooled:
        received = -sum(v for k, v in books.items() if k.startswith(f"{s.code}:contribution:"))
        assert received == sum(agreement.contributions(s.code).values())
        assert books[f"{s.code}:expenditure"] > 0
    assert sum(books.values()) == 0
    assert fund.closed_periods.count() == 9
    assert AuditEvent.objects.filter(action="fund.posted").count() == 2


def test_partners_see_the_fund_and_others_get_404(client, fund: Fund) -> None:
    page = sign_in(client, "viewer").get(f"/funds/{fund.code}/").content.decode()
    assert "Reablement and Intermediate Care at Home" in page
    assert "Fixed shares" in page
    assert sign_in(client, "analyst").get(f"/funds/{fund.code}/ledger/").status_code == 200
    for url in ("/", "ledger/", "settlement/", "agreement.yaml"):
        assert sign_in(client, "westvale").get(f"/funds/{fund.code}/{url}").status_code == 404
    place = sign_in(client, "viewer").get("/places/fernmouth/").content.decode()
    assert fund.name in place


def test_the_ledger_names_schemes_partners_and_months(client, fund: Fund) -> None:
    """The demo's postings were stored as "Instalment 1 from QZZ to BCF01": the pages say
    them in names, the key kept as a reference in small print, and the months in words."""
    tx = fund.transactions.get(key="instalment:BCF01:QZZ:1")
    assert tx.description == "Instalment 1 from QZZ to BCF01"  # stored as it was posted
    said = "Instalment 1 from NHS Fernmouth Integrated Care Board to Reablement and "
    said += "Intermediate Care at Home"
    c = sign_in(client, "pool-manager")
    page = c.get(f"/funds/{fund.code}/ledger/{tx.period}/").content.decode().replace("&#x27;", "'")
    assert f"{said} <span" in page
    assert "(reference instalment:BCF01:QZZ:1)" in page
    assert "Actual spend, Reablement and Intermediate Care at Home, April 2025" in page
    assert " from QZZ " not in page
    assert " to BCF01" not in page
    ledger = c.get(f"/funds/{fund.code}/ledger/?reverse=transaction:{tx.pk}").content.decode()
    assert f"Reverse <strong>{said}, 1 April 2025, £" in ledger.replace("&#x27;", "'")
    assert f'<a href="/funds/{fund.code}/ledger/2025-04/">April 2025</a>' in ledger


def test_only_the_pool_manager_posts(client, fund: Fund) -> None:
    tx = Transaction(
        "adj-1",
        fund_day(fund),
        "Adjustment",
        (Posting("bank", D("1.00")), Posting("suspense", D("-1.00"))),
    )
    with pytest.raises(NotPermitted):
        actions.post_transactions(by=user("finance"), fund=fund, transactions=[tx])
    assert sign_in(client, "finance").get(f"/funds/{fund.code}/actuals/").status_code == 403
    assert actions.post_transactions(by=user("pool-manager"), fund=fund, transactions=[tx]) == 1


def fund_day(fund: Fund):
    from datetime import date

    return date(fund.financial_year + 1, 2, 10)


def test_the_ledger_refuses_bad_postings_all_or_nothing(fund: Fund) -> None:
    manager = user("pool-manager")
    good = Transaction(
        "ok", fund_day(fund), "Fine", (Posting("bank", D("5.00")), Posting("suspense", D("-5.00")))
    )
    unbalanced = Transaction(
        "bad", fund_day(fund), "Bad", (Posting("bank", D("5.00")), Posting("suspense", D("-4.99")))
    )
    closed = Transaction(
        "late", fund_day(fund).replace(year=fund.financial_year, month=6), "Closed", good.postings
    )
    before = LedgerTransaction.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.post_transactions(by=manager, fund=fund, transactions=[good, unbalanced, closed])
    assert any("unbalanced" in m for m in refused.value.messages)
    assert any("is closed" in m for m in refused.value.messages)
    assert LedgerTransaction.objects.count() == before
    assert actions.post_transactions(by=manager, fund=fund, transactions=[good]) == 1
    assert actions.post_transactions(by=manager, fund=fund, transactions=[good]) == 0  # idempotent
    edited = Transaction(
        "ok", good.on, "Fine", (Posting("bank", D("6.00")), Posting("suspense", D("-6.00")))
    )
    with pytest.raises(ValidationError, match="reverse it first"):
        actions.post_transactions(by=manager, fund=fund, transactions=[edited])
    reversal = Transaction(
        "ok-rev",
        good.on,
        "Reversal",
        (Posting("bank", D("-5.00")), Posting("suspense", D("5.00"))),
        reverses="ok",
    )
    assert actions.post_transactions(by=manager, fund=fund, transactions=[reversal]) == 1
    twice = Transaction("ok-rev2", good.on, "Again", reversal.postings, reverses="ok")
    with pytest.raises(ValidationError, match="already reversed"):
        actions.post_transactions(by=manager, fund=fund, transactions=[twice])
    assert selectors.balances(fund).get("suspense") is None
    with pytest.raises(ValueError, match="append-only"):
        LedgerEntry.objects.first().save()


def test_an_upload_is_previewed_with_every_error_and_posts_nothing(
    client, fund: Fund, tmp_path: Path
) -> None:
    bad = tmp_path / "march.csv"
    bad.write_text("scheme_code,month,actual\nBCF01,2026-03,12.345\nNOPE,2026-13,1.00\n")
    before = LedgerTransaction.objects.count()
    c = sign_in(client, "pool-manager")
    with bad.open("rb") as handle:
        response = c.post(f"/funds/{fund.code}/actuals/", {"file": handle})
    page = response.content.decode()
    assert response.status_code == 400
    assert "3 problems to fix" in page
    assert "march.csv, row 2, column actual: &#x27;12.345&#x27;" in page
    assert "row 3, column month" in page
    assert "row 3, column scheme_code" in page
    assert LedgerTransaction.objects.count() == before


def test_a_good_upload_is_confirmed_then_posted(client, fund: Fund, tmp_path: Path) -> None:
    good = tmp_path / "extra.csv"
    good.write_text("scheme_code,month,actual\nBCF01,2026-03,100.00\n")
    c = sign_in(client, "pool-manager")
    with good.open("rb") as handle:
        page = c.post(f"/funds/{fund.code}/actuals/", {"file": handle}).content.decode()
    assert "Check before posting" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    # March's actual for BCF01 is already posted with another amount: refused as a whole
    response = c.post(f"/funds/{fund.code}/actuals/", {"token": token})
    assert response.status_code == 400
    assert "reverse it first" in response.content.decode()


def close_to_the_last_month(fund: Fund) -> None:
    """Close every month but March (the demo closes April to December)."""
    for period in (f"{fund.financial_year + 1}-01", f"{fund.financial_year + 1}-02"):
        actions.close_period(by=user("pool-manager"), fund=fund, period=period)


def test_settlement_needs_a_finance_officer_of_each_partner(client, fund: Fund) -> None:
    council, icb = Organisation.objects.get(code="E06099001"), Organisation.objects.get(code="QZZ")
    close_to_the_last_month(fund)
    with pytest.raises(NotPermitted):
        bookkeeping.prepare_settlement(by=user("finance"), fund=fund)
    settlement = bookkeeping.prepare_settlement(by=user("pool-manager"), fund=fund)
    with pytest.raises(NotPermitted):
        bookkeeping.approve_settlement(
            by=user("pool-manager"), settlement=settlement, organisation=council
        )
    # One person with finance roles at both partners may approve for only one of them
    both = user("finance")
    grant_role(by="system:tests", user=both, organisation=icb, role=Role.FINANCE)
    bookkeeping.approve_settlement(by=both, settlement=settlement, organisation=council)
    with pytest.raises(ValidationError, match="different person"):
        bookkeeping.approve_settlement(by=both, settlement=settlement, organisation=icb)
    assert not bookkeeping.is_approved(settlement)
    page = sign_in(client, "icb-finance").get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Awaiting approval" in page
    assert "Approve for NHS Fernmouth" in page
    response = client.post(
        f"/funds/{fund.code}/settlement/", {"do": "approve", "organisation": "QZZ"}
    )
    assert response.status_code == 302
    assert bookkeeping.is_approved(settlement)
    books = selectors.balances(fund)
    agreement = selectors.agreement_of(fund)
    for s in agreement.schemes:
        if s.budget == "pooled":  # contributions, spend and settlement leave nothing behind
            assert sum(v for k, v in books.items() if k.startswith(f"{s.code}:")) == 0, s.code
    page = client.get(f"/funds/{fund.code}/settlement/").content.decode()
    assert "Approved and posted" in page
    download = client.get(f"/funds/{fund.code}/settlement.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_settlement_prepared_before_the_books_changed_cannot_be_approved(fund: Fund) -> None:
    settlement = bookkeeping.prepare_settlement(
        by=user("pool-manager"), fund=fund, override="Board meets before February closes"
    )
    spend = Transaction(
        "late-spend",
        fund_day(fund),
        "Late invoice",
        (Posting("BCF01:expenditure", D("250.00")), Posting("bank", D("-250.00"))),
    )
    actions.post_transactions(by=user("pool-manager"), fund=fund, transactions=[spend])
    council = Organisation.objects.get(code="E06099001")
    with pytest.raises(ValidationError, match="prepare it again"):
        bookkeeping.approve_settlement(
            by=user("finance"), settlement=settlement, organisation=council
        )


def test_a_variation_is_a_new_version_and_the_old_one_is_kept(fund: Fund) -> None:
    text = selectors.current_version(fund).text
    varied = text + (
        "variations:\n- id: V1\n  effective: 2026-01-01\n  scheme: BCF01\n  partner: QZZ\n"
        "  change: 1000.00\n  agreed_by: [ICB CFO, Council DASS]\n  agreed_on: 2025-12-01\n"
    )
    actions.record_variation(by=user("pool-manager"), fund=fund, text=varied, note="Winter")
    assert fund.versions.count() == 2
    assert selectors.agreement_of(fund).variations[0].change == D("1000.00")
    with pytest.raises(ValidationError):
        actions.record_variation(
            by=user("pool-manager"), fund=fund, text=varied.replace("QZZ", "QYY"), note="x"
        )


def test_the_demo_users_password_still_works(client, fund: Fund) -> None:
    assert (
        client.post(
            "/sign-in/", {"username": "pool-manager", "password": demo.DEMO_PASSWORD}
        ).status_code
        == 302
    )


def test_the_api_gives_funds_and_settlements_with_money_as_text(client, fund: Fund) -> None:
    c = sign_in(client, "viewer")
    assert [f["code"] for f in c.get("/api/funds").json()] == [fund.code]
    detail = c.get(f"/api/funds/{fund.code}").json()
    assert detail["balances"]["bank"] == str(selectors.balances(fund)["bank"])
    assert {s["code"] for s in detail["schemes"]} >= {"BCF01", "BCF09"}
    assert c.get(f"/api/funds/{fund.code}/settlement").status_code == 404
    close_to_the_last_month(fund)
    bookkeeping.prepare_settlement(by=user("pool-manager"), fund=fund)
    statement = c.get(f"/api/funds/{fund.code}/settlement").json()
    assert statement["status"] == "awaiting approval"
    assert {p["partner"] for p in statement["partners"]} == {"E06099001", "QZZ"}
    assert sign_in(client, "westvale").get(f"/api/funds/{fund.code}").status_code == 404
    assert client.get("/api/funds").json() == []


def test_monitoring_shows_variance_and_forecast_for_any_month(client, fund: Fund) -> None:
    page = (
        sign_in(client, "analyst").get(f"/funds/{fund.code}/monitoring/?month=6").content.decode()
    )
    assert "Position to September 2025" in page
    assert "BCF09" in page
    assert "What the forecast would mean for each partner" in page
    from onebudget.funds.monitoring import positions

    agreement = selectors.agreement_of(fund)
    figures = selectors.monthly_figures(fund, agreement)
    (bcf01,) = [p for p in positions(agreement, figures, 6) if p.scheme == "BCF01"]
    # the synthetic return's own forecast for September is the one kept from the upload
    assert bcf01.forecast_outturn == fund.forecasts.get(scheme="BCF01", month=6).pence / D(100)
    assert bcf01.actual_to_date == sum(
        f.actual for f in figures if f.scheme == "BCF01" and f.month <= 6
    )
    xlsx = client.get(f"/funds/{fund.code}/monitoring/?month=6&format=xlsx")
    assert xlsx["Content-Disposition"].endswith('month-6.xlsx"')


def test_a_variation_recorded_on_the_page_lists_every_problem_or_saves_a_version(
    client, fund: Fund
) -> None:
    c = sign_in(client, "pool-manager")
    text = selectors.current_version(fund).text
    bad = text.replace("financial_year: 2025", "financial_year: 1999").replace(
        "instalments: monthly", "instalments: weekly"
    )
    response = c.post(f"/funds/{fund.code}/agreement/", {"text": bad, "note": "typo"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 problems to fix" in page
    assert "financial_year: 1999" in page
    assert "instalments: &#x27;weekly&#x27;" in page
    assert fund.versions.count() == 1
    assert sign_in(client, "finance").get(f"/funds/{fund.code}/agreement/").status_code == 403


def test_a_fund_is_set_up_from_an_uploaded_agreement(client, fund: Fund) -> None:
    c = sign_in(client, "pool-manager")
    text = selectors.current_version(fund).text.replace("S75-E06099001-2025", "S75-FERN-NEXT")
    response = c.post("/places/fernmouth/funds/new/", {"text": text})
    assert response.status_code == 302
    assert Fund.objects.filter(code="s75-fern-next").exists()
    response = c.post("/places/fernmouth/funds/new/", {"text": "id: [unclosed"})
    assert response.status_code == 400
    assert sign_in(client, "viewer").get("/places/fernmouth/funds/new/").status_code == 403
