"""What the place's spend page shows, for one financial year: totals of every partner
(partners of a place see all its money), line-level detail only for the user's own
organisations, the years side by side, and uploads for finance officers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from onebudget.money import ZERO
from onebudget.periods import choose_year, parse_year
from onebudget.roles import Permission
from onebudget.spend import report
from onebudget.spend.charts import spend_svg, years_svg
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import partners_for
from onebudget_web.spend import presenters
from onebudget_web.spend.selectors import PlaceSpend, place_amounts, place_spend


def today() -> date:
    """The day that decides the current financial year (a function, so tests can move it)."""
    return timezone.localdate()


def asked_year(request: SignedInRequest) -> tuple[int | None, bool]:
    """The year in ``?year=`` (2024, or 2024/25 as written), and whether it was unreadable."""
    text = request.GET.get("year", "").strip()
    if not text:
        return None, False
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else parse_year(text)
    return year, year is None


def year_of(request: SignedInRequest, found: PlaceSpend) -> dict[str, Any]:
    """The year to show (``presenters.year_shown``)."""
    asked, unreadable = asked_year(request)
    return presenters.year_shown(
        choose_year(tuple(found.years), today(), asked), tuple(found.years), unreadable
    )


def mine(request: SignedInRequest, place: Place) -> set[str]:
    """Codes of the place's partners the user belongs to."""
    return set(partners_for(request.user, place).values_list("code", flat=True))


def page_context(
    request: SignedInRequest, place: Place, errors: list[str] | None = None
) -> dict[str, Any]:
    found = place_spend(place)
    ours = mine(request, place)
    uploadable = [
        o
        for o in place.partners.order_by("name")
        if o.code in ours and has_permission(request.user, o, Permission.MANAGE_FINANCE)
    ]
    context: dict[str, Any] = {
        "place": place,
        "spend": found,
        "errors": errors or [],
        "uploadable": uploadable,
    }
    if found is not None:
        context |= _figures(request, place, found, ours)
    return context


def _figures(
    request: SignedInRequest, place: Place, found: PlaceSpend, ours: set[str]
) -> dict[str, Any]:
    """Every figure of the page, for the year shown."""
    year = year_of(request, found)
    view = found.year(year["year"])
    rows = report.service_rows(view)
    partners = sorted({r["partner"] for r in rows})
    names = {o.code: o.name for o in place.partners.all()}
    named = [{**r, "partner": names.get(r["partner"], r["partner"])} for r in rows]
    trend = presenters.trend(found.years, names, year["year"])
    period = year["label"] or "no year"
    return {
        "year": year,
        "partners": [names.get(p, p) for p in partners],
        "services": presenters.service_table(rows, partners),
        "total": sum((r["amount"] for r in rows), ZERO),
        "reconciliations": [
            {**r, "name": names.get(r["partner"], r["partner"])}
            for r in report.reconciliation_rows(view)
        ],
        "unmapped": [r for r in report.unmapped_rows(view) if r["partner"] in ours][:200],
        "unresolved": [g for g in view.unresolved if any(p.line.partner in ours for p in g.lines)],
        "chart": spend_svg(f"Spend by service, {place.name}, {period}", named),
        "budgets": presenters.budget_table(named),
        "per_head": presenters.per_head_table(place_amounts(place, view), place.name, period),
        "trend": trend,
        "trend_chart": years_svg(f"Money mapped to services by year, {place.name}", trend["chart"]),
    }
