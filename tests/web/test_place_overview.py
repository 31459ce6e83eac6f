"""A place's front page is its overview: the money in its pooled funds (as the monitoring page
works it out), its outcomes against target, and what is waiting for the signed-in user."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from onebudget import figures
from onebudget.funds.monitoring import positions
from onebudget.money import ZERO
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.targets import status
from onebudget.periods import year_label
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds import bookkeeping, corrections, presenters, selectors
from onebudget_web.funds.models import Fund
from onebudget_web.places import outcomes, overview
from onebudget_web.places.actions import set_target

URL = "/places/fernmouth/"
SETTLEMENT = "Approve the year-end settlement for"
INDICATOR = "discharge-usual-residence"


def user(name: str) -> User:
    return User.objects.get(username=name)


def page_for(client, name: str) -> str:
    client.force_login(user(name))
    response = client.get(URL)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_overview_shows_the_funds_money_as_the_library_works_it_out(client, fund: Fund):
    agreement = selectors.agreement_of(fund)
    found = selectors.monthly_figures(fund, agreement)
    position = positions(agreement, found, max(f.month for f in found))
    pooled = sum(
        (
            sum(agreement.contributions(s.code).values())
            for s in agreement.schemes
            if s.budget == "pooled"
        ),
        ZERO,
    )
    page = page_for(client, "commissioner")
    assert f'href="/funds/{fund.code}/">{fund.name}</a>' in page
    assert f"Pooled budget {year_label(agreement.financial_year)}" in page
    assert year_label(fund.financial_year) == "2025/26"
    for amount in (
        pooled,
        sum((p.actual_to_date for p in position), ZERO),
        sum((p.budget_to_date for p in position), ZERO),
        sum((p.forecast_outturn for p in position), ZERO),
        sum((p.annual_budget for p in position), ZERO),
    ):
        assert amount > 0
        assert figures.pounds(amount) in page, amount
    assert "Nothing is waiting for you." in page


def test_a_finance_officer_sees_a_settlement_to_approve_until_they_approve_it(client, fund: Fund):
    assert SETTLEMENT not in page_for(client, "finance")
    settlement = bookkeeping.prepare_settlement(
        by=user("pool-manager"), fund=fund, override="Board meets before February closes"
    )
    link = f'<a href="/funds/{fund.code}/settlement/">{SETTLEMENT} Fernmouth Council</a>'
    assert link in page_for(client, "finance")
    assert f"{SETTLEMENT} NHS Fernmouth" in page_for(client, "icb-finance")
    assert SETTLEMENT not in page_for(client, "pool-manager")  # prepared it; no finance role
    assert SETTLEMENT not in page_for(client, "viewer")
    council = Organisation.objects.get(code="E06099001")
    bookkeeping.approve_settlement(by=user("finance"), settlement=settlement, organisation=council)
    page = page_for(client, "finance")
    assert SETTLEMENT not in page
    assert "Nothing is waiting for you." in page
    assert f"{SETTLEMENT} NHS Fernmouth" in page_for(client, "icb-finance")


def test_a_reversal_waits_for_each_partners_finance_officer(client, fund: Fund) -> None:
    tx = selectors.reversible_transactions(fund).first()
    assert tx is not None
    reversal = corrections.prepare_reversal(
        by=user("pool-manager"), fund=fund, reason="Posted twice", transaction=tx
    )
    what = f"Approve the reversal of {presenters.reversal_in_words(reversal)}"
    page = page_for(client, "finance")
    assert f'<a href="/funds/{fund.code}/ledger/#reversals">' in page
    assert f"{what} for Fernmouth Council" in page


def test_the_pool_manager_is_asked_to_close_the_months_that_have_ended(fund: Fund) -> None:
    """April to December are closed; January and February are open (March stays open for
    the settlement). Only months that have ended are waiting, and only for the pool manager."""
    funds = [fund]
    later = overview.waiting(funds, user("pool-manager"), today=date(2026, 3, 20))
    assert [w.what for w in later] == ["Close January to February 2026"]
    early = overview.waiting(funds, user("pool-manager"), today=date(2026, 2, 3))
    assert [w.what for w in early] == ["Close January 2026"]
    assert overview.waiting(funds, user("pool-manager"), today=date(2026, 1, 3)) == []
    assert overview.waiting(funds, user("finance"), today=date(2026, 3, 20)) == []


def test_someone_outside_the_place_gets_404(client, fund: Fund) -> None:
    client.force_login(user("westvale"))
    response = client.get(URL)
    assert response.status_code == 404
    assert fund.name not in response.content.decode()


def test_an_indicator_with_a_target_shows_with_its_status(client, fund: Fund) -> None:
    """The overview judges the year the outcomes page shows first (2024/25: the latest whole
    financial year of the demo data) as that page does, and names the next target."""
    place = fund.place
    found = outcomes.outcomes_for(place)
    assert found is not None
    page = page_for(client, "commissioner")
    assert "No targets have been set" in page
    assert f'href="/places/{place.slug}/outcomes/"' in page
    rows = {r["period"]: r for r in outcomes.summary(found, INDICATOR)}
    latest = rows["2024/25"]
    assert latest["value"] is not None
    for year, value in ((2024, "80"), (2025, "95")):
        set_target(
            by=user("commissioner"), place=place, indicator=INDICATOR, year=year, value=value
        )
    spec = indicators()[INDICATOR].spec
    judged = status(latest["value"], latest["lower"], latest["upper"], 80.0, spec.polarity)
    page = page_for(client, "finance")
    assert "Outcomes against targets, 2024/25" in page
    assert f'<a href="/places/{place.slug}/outcomes/{INDICATOR}/">{spec.name}</a>' in page
    assert figures.indicator_value(Decimal("80.00"), spec.method) in page
    assert figures.indicator_value(latest["value"], spec.method) in page
    assert f">{judged.capitalize()}</strong>" in page
    assert f"{figures.indicator_value(Decimal('95.00'), spec.method)} for 2025/26" in page
    assert "No targets have been set" not in page
    assert "All outcomes for Fernmouth" in page


def test_a_target_for_another_year_only_is_shown_as_the_next(client, fund: Fund) -> None:
    place = fund.place
    set_target(by=user("commissioner"), place=place, indicator=INDICATOR, year=2025, value="90")
    glance = overview.targets(place, today=date(2026, 12, 2))
    assert glance is not None
    assert glance.year == "2024/25"
    [row] = glance.rows
    assert (row["target"], row["status"], row["next"]) == (None, "no target", ("2025/26", 90))
    assert overview.targets(place, today=date(2024, 6, 1)).year == "2024/25"
