"""Pages of a pooled fund. Thin: scoped reads from ``selectors``, writes through the
actions modules. The ledger, actuals, settlement, new-fund and variation pages are in their
own modules and exported here, where the URLs find them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onebudget.funds import report
from onebudget.funds.monitoring import forecast_settlement, latest_month, positions
from onebudget.periods import month_start
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.funds import presenters, selectors
from onebudget_web.funds.actuals_views import fund_actuals
from onebudget_web.funds.agreement_views import place_new_fund
from onebudget_web.funds.helpers import can_post as _can_post
from onebudget_web.funds.ledger_views import fund_ledger, fund_period
from onebudget_web.funds.settlement_views import fund_settlement, fund_settlement_xlsx
from onebudget_web.funds.variation_views import fund_agreement_edit

__all__ = [
    "fund_actuals",
    "fund_agreement",
    "fund_agreement_edit",
    "fund_detail",
    "fund_ledger",
    "fund_monitoring",
    "fund_period",
    "fund_settlement",
    "fund_settlement_xlsx",
    "place_new_fund",
]


@require_GET
@login_required
def fund_detail(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    agreement = selectors.agreement_of(fund)
    context = {
        "fund": fund,
        "agreement": agreement,
        "schemes": presenters.schemes(agreement, selectors.balances(fund)),
        "versions": fund.versions.select_related("recorded_by"),
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/fund_detail.html", context)


@require_GET
@login_required
def fund_agreement(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    version = selectors.current_version(fund)
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{fund.code}-v{version.number}.yaml"'
    return response


@require_GET
@login_required
def fund_monitoring(request: SignedInRequest, code: str) -> HttpResponse:
    """Variance to date and forecast outturn by scheme, and the settlement the forecast would
    give each partner: the pool manager's report for any month (a quarter's end, say)."""
    fund = selectors.get_fund_for(request.user, code)
    agreement = selectors.agreement_of(fund)
    figures = selectors.monthly_figures(fund, agreement)
    latest = latest_month(figures)
    try:
        month = min(max(int(request.GET.get("month", latest or 1)), 1), 12)
    except ValueError:
        month = latest or 1
    rows = report.position_rows(positions(agreement, figures, month))
    forecast = report.partner_rows(forecast_settlement(agreement, figures, month))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"{fund.code}-month-{month}", {"Schemes": rows, "Forecast by partner": forecast}
        )
    names = presenters.names_of(agreement)
    context = {
        "fund": fund,
        "month": month,
        "month_name": _month_name(agreement.financial_year, month),
        "months": [(m, _month_name(agreement.financial_year, m)) for m in range(1, 13)],
        "rows": [{"name": names.get(r["scheme"], r["scheme"]), **r} for r in rows],
        "forecast": forecast,
        "can_post": _can_post(request, fund),
    }
    return render(request, "funds/monitoring.html", context)


def _month_name(financial_year: int, month: int) -> str:
    return month_start(financial_year, month).strftime("%B %Y")
