from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.disclosure import Waiver
from onebudget.roles import NotPermitted, Permission
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import (
    active_waiver,
    has_permission,
)
from onebudget_web.accounts.waivers import record_unsuppressed_view
from onebudget_web.places import selectors
from onebudget_web.places.actions import set_target
from onebudget_web.places.models import Place
from onebudget_web.places.outcomes import report_for
from onebudget_web.places.overview import overview
from onebudget_web.places.presenters import target_for, with_targets


@require_GET
@login_required
def place_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    """The place's overview: its pooled funds' money, outcomes against target, and what is
    waiting for the user; then its partners and linked data."""
    place = selectors.get_place_for(request.user, slug)
    context = {
        "place": place,
        "overview": overview(place, request.user),
        "partners": selectors.partners_of(place, request.user),
        "datasets": place.datasets.all(),
        "can_set_up_fund": any(
            has_permission(request.user, o, Permission.POST_TO_POOL) for o in place.partners.all()
        ),
    }
    return render(request, "places/place_detail.html", context)


@require_GET
@login_required
def place_outcomes(request: SignedInRequest, slug: str) -> HttpResponse:
    place = selectors.get_place_for(request.user, slug)
    report = report_for(place)
    mine = selectors.partners_for(request.user, place)
    waiver = active_waiver(request.user, mine)
    unsuppressed = request.GET.get("unsuppressed") == "1"
    if unsuppressed and waiver is None:
        raise NotPermitted("Unsuppressed outputs need a disclosure waiver")
    use = None
    if unsuppressed and waiver is not None and report is not None:
        record_unsuppressed_view(
            user=request.user,
            waiver=waiver,
            what=f"outcomes of {place.slug}",
        )
        use = Waiver(holder=request.user.get_username(), reason=waiver.reason)
    context = {
        "place": place,
        "report": report,
        "rows": with_targets(place, report.summaries(use)) if report else [],
        "segments": report.segments(use) if report else [],
        "waiver": waiver,
        "unsuppressed": use is not None,
    }
    return render(request, "places/outcomes.html", context)


def _indicator_page(
    request: SignedInRequest, place: Place, indicator: str, errors: list[str] | None = None
) -> HttpResponse:
    report = report_for(place)
    if report is None or indicator not in indicators():
        raise Http404("No such indicator for this place")
    detail = report.detail(indicator)
    target, judged = target_for(place, detail.summary)
    can_set = any(
        has_permission(request.user, org, Permission.COMMISSION) for org in place.partners.all()
    )
    context = {
        "place": place,
        "report": report,
        "detail": detail,
        "target": target,
        "status": judged,
        "can_set_target": can_set,
        "errors": errors or [],
    }
    return render(request, "places/indicator.html", context, status=400 if errors else 200)


@require_GET
@login_required
def place_indicator(request: SignedInRequest, slug: str, indicator: str) -> HttpResponse:
    return _indicator_page(request, selectors.get_place_for(request.user, slug), indicator)


@require_POST
@login_required
def place_indicator_target(request: SignedInRequest, slug: str, indicator: str) -> HttpResponse:
    place = selectors.get_place_for(request.user, slug)
    report = report_for(place)
    if report is None or indicator not in indicators():
        raise Http404("No such indicator for this place")
    latest = report.summary(indicators()[indicator]).latest
    year = int(str(latest["period"])[:4]) if latest else report.last_year
    try:
        set_target(
            by=request.user,
            place=place,
            indicator=indicator,
            year=year,
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as refused:
        return _indicator_page(request, place, indicator, refused.messages)
    messages.success(request, f"Target for {year} saved.")
    return redirect("place_indicator", slug=place.slug, indicator=indicator)
