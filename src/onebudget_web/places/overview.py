"""What a place's front page shows at a glance: the money in its pooled funds, its outcomes
against their targets, and what is waiting for the signed-in user. Plain data, read through
the funds' and outcomes' own selectors and rules (the monitoring page's positions, the
approval rules of ``funds.access``), scoped to the user's organisations as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from onebudget.funds.agreement import Agreement
from onebudget.funds.monitoring import latest_month, positions
from onebudget.money import ZERO
from onebudget.periods import month_start, year_label
from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.funds import presenters, selectors
from onebudget_web.funds.access import approval_problems
from onebudget_web.funds.models import Fund
from onebudget_web.places import outcomes
from onebudget_web.places.models import Place
from onebudget_web.places.outcomes import outcomes_for
from onebudget_web.places.presenters import summary_rows, targets_of
from onebudget_web.places.results import StillBuildingError


@dataclass(frozen=True)
class FundMoney:
    """One pooled fund's year: its budgets, spend to date and forecast outturn, summed over
    its schemes as the monitoring page works them out scheme by scheme."""

    fund: Fund
    year: str  # "2025/26"
    pooled_budget: Decimal
    aligned_budget: Decimal
    pooled_by_partner: list[tuple[str, Decimal]]  # partner's name, its pooled contributions
    to_month: str  # "December 2025": the last month with actuals, "" if none yet
    budget_to_date: Decimal
    spend_to_date: Decimal
    annual_budget: Decimal
    forecast_outturn: Decimal
    settlement: str  # "not prepared", "awaiting approval", "posted" or "reversed"

    @property
    def variance_to_date(self) -> Decimal:
        return self.spend_to_date - self.budget_to_date

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_outturn - self.annual_budget

    @property
    def to_date_gap(self) -> Decimal:
        """How far spend to date is from the budget to date, either way."""
        return abs(self.variance_to_date)

    @property
    def forecast_gap(self) -> Decimal:
        """How far the forecast is from the budget, either way (the page says which)."""
        return abs(self.forecast_variance)


@dataclass(frozen=True)
class Waiting:
    """Something the user can do now, in words, and the page where they do it."""

    fund: Fund
    what: str
    url: str


@dataclass(frozen=True)
class Glance:
    """The place's outcomes that have targets, in one financial year."""

    year: str  # "2024/25"; "" if the data hold no whole financial year
    rows: list[dict[str, Any]]
    preparing: bool = False  # the results are being worked out on a first visit


@dataclass(frozen=True)
class Overview:
    money: list[FundMoney]
    targets: Glance | None  # None: the place has no linked data
    waiting: list[Waiting]


def overview(place: Place, user: User, today: date | None = None) -> Overview:
    """Everything the front page shows of ``place`` to ``user`` (a place they can see)."""
    funds = funds_of(place, user)
    return Overview(money(funds), targets(place, today), waiting(funds, user, today))


def funds_of(place: Place, user: User) -> list[Fund]:
    """The place's pooled funds the user may see (through one of their organisations)."""
    return list(selectors.funds_for(user).filter(place=place).select_related("host"))


def money(funds: list[Fund]) -> list[FundMoney]:
    return [_money(fund) for fund in funds]


def _money(fund: Fund) -> FundMoney:
    """The monitoring page's position to the latest month with actuals, summed."""
    agreement = selectors.agreement_of(fund)
    figures = selectors.monthly_figures(fund, agreement)
    latest = latest_month(figures)
    found = positions(agreement, figures, latest)
    latest_settlement = selectors.latest_settlement(fund)
    return FundMoney(
        fund=fund,
        year=year_label(agreement.financial_year),
        pooled_budget=_budget(agreement, "pooled"),
        aligned_budget=_budget(agreement, "aligned"),
        pooled_by_partner=_by_partner(agreement),
        to_month=month_start(agreement.financial_year, latest).strftime("%B %Y") if latest else "",
        budget_to_date=sum((p.budget_to_date for p in found), ZERO),
        spend_to_date=sum((p.actual_to_date for p in found), ZERO),
        annual_budget=sum((p.annual_budget for p in found), ZERO),
        forecast_outturn=sum((p.forecast_outturn for p in found), ZERO),
        settlement=selectors.settlement_status(latest_settlement)
        if latest_settlement
        else "not prepared",
    )


def _budget(agreement: Agreement, kind: str) -> Decimal:
    """The year's pooled or aligned budget: the partners' contributions, with variations."""
    return sum(
        (
            amount
            for s in agreement.schemes
            if s.budget == kind
            for amount in agreement.contributions(s.code).values()
        ),
        ZERO,
    )


def _by_partner(agreement: Agreement) -> list[tuple[str, Decimal]]:
    names = {p.code: p.name for p in agreement.partners}
    return [(names[code], amount) for code, amount in agreement.fund_contributions().items()]


def targets(place: Place, today: date | None = None) -> Glance | None:
    """The indicators with a target for any year, in the year the outcomes page shows
    first, as it judges them, each with its next target; None when the place has no
    linked data (so no outcomes at all). Read from the stored results only."""
    found = outcomes_for(place)
    if found is None:
        return None
    year = found.year(None, today)
    if year is None:
        return Glance("", [])
    set_for = targets_of(place)
    if not set_for:
        return Glance(year_label(year), [])
    try:
        summaries = outcomes.summaries(found)
    except StillBuildingError:
        return Glance(year_label(year), [], preparing=True)
    wanted = {indicator for indicator, _ in set_for}
    rows = [r for r in summary_rows(summaries, year, set_for) if r["spec"].id in wanted]
    for row in rows:
        later = sorted(y for i, y in set_for if i == row["spec"].id and y > year)
        row["next"] = (year_label(later[0]), set_for[(row["spec"].id, later[0])]) if later else None
    return Glance(year_label(year), rows)


def waiting(funds: list[Fund], user: User, today: date | None = None) -> list[Waiting]:
    """Approvals the user can give now (settlements, reversals) and, for the host's pool
    manager, months that have ended and are still open."""
    this_month = (today or date.today()).strftime("%Y-%m")
    found: list[Waiting] = []
    for fund in funds:
        found += _settlement_waiting(fund, user)
        found += _reversals_waiting(fund, user)
        found += _months_waiting(fund, user, this_month)
    return found


def _settlement_waiting(fund: Fund, user: User) -> list[Waiting]:
    latest = selectors.latest_settlement(fund)
    if latest is None or selectors.settlement_status(latest) != "awaiting approval":
        return []
    url = reverse("fund_settlement", args=[fund.code])
    return [
        Waiting(fund, f"Approve the year-end settlement for {org.name}", url)
        for org in _may_approve(user, fund, latest.prepared_by, latest.approvals, "settlement")
    ]


def _reversals_waiting(fund: Fund, user: User) -> list[Waiting]:
    found = []
    for reversal in selectors.pending_reversals(fund):
        page = "fund_settlement" if reversal.settlement_id else "fund_ledger"
        url = reverse(page, args=[fund.code]) + "#reversals"
        what = presenters.reversal_in_words(reversal)
        approvers = _may_approve(user, fund, reversal.prepared_by, reversal.approvals, "reversal")
        found += [
            Waiting(fund, f"Approve the reversal of {what} for {org.name}", url)
            for org in approvers
        ]
    return found


def _may_approve(
    user: User, fund: Fund, prepared_by: User, approvals: Any, what: str
) -> list[Organisation]:
    """The user's partners they may approve for now: a finance role there, and none of the
    approval rules (``funds.access.approval_problems``) refusing it."""
    mine = fund.partners.filter(id__in=visible_organisation_ids(user)).order_by("name")
    return [
        org
        for org in mine
        if has_permission(user, org, Permission.APPROVE_SETTLEMENT)
        and not approval_problems(
            by=user,
            fund=fund,
            organisation=org,
            prepared_by=prepared_by,
            approvals=approvals,
            what=what,
        )
    ]


def _months_waiting(fund: Fund, user: User, this_month: str) -> list[Waiting]:
    """Months before this one that are still open (the year's last stays open for the
    settlement), for the pool manager of the host, who closes them on the ledger page."""
    if not has_permission(user, fund.host, Permission.POST_TO_POOL):
        return []
    ended = [p for p in selectors.open_months(fund) if p < this_month]
    if not ended:
        return []
    url = reverse("fund_ledger", args=[fund.code])
    return [Waiting(fund, f"Close {presenters.months_in_words(ended)}", url)]
