from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.disclosure import Waiver
from onebudget.periods import year_label
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
from onebudget_web.places.outcome_pages import asked_year, indicator_page, summary_page
from onebudget_web.places.outcomes import outcomes_for
from onebudget_web.places.overview import overview
from onebudget_web.places.results import StillBuildingError
from onebudget_web.scenarios.selectors import sees_scenarios


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
        "sees_scenarios": sees_scenarios(request.user, place),
        "can_set_up_fund": any(
            has_permission(request.user, o, Permission.POST_TO_POOL) for o in place.partners.all()
        ),
    }
    return render(request, "places/place_detail.html", context)


@require_GET
@login_required
def place_outcomes(request: SignedInRequest, slug: str) -> HttpResponse:
    """Every indicator in one financial year (``?year=2024``), from the stored results."""
    place = selectors.get_place_for(request.user, slug)
    waiver = active_waiver(request.user, selectors.partners_for(request.user, place))
    unsuppressed = request.GET.get("unsuppressed") == "1"
    if unsuppressed and waiver is None:
        raise NotPermitted("Unsuppressed outputs need a disclosure waiver")
    found = outcomes_for(place)
    context = {"place": place, "outcomes": found, "waiver": waiver, "unsuppressed": False}
    if found is None:
        return render(request, "places/outcomes.html", context)
    use = None
    if unsuppressed and waiver is not None:
        record_unsuppressed_view(user=request.user, waiver=waiver, what=f"outcomes of {place.slug}")
        use = Waiver(holder=request.user.get_username(), reason=waiver.reason)
    context["unsuppressed"] = use is not None
    asked = asked_year(request.GET.get("year"))
    try:
        context |= summary_page(place, found, asked, use)
    except StillBuildingError:
        return _preparing(request, "places/outcomes.html", context)
    return render(request, "places/outcomes.html", context)


def _preparing(request: SignedInRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The results are being worked out by another process: say so, and when to come back."""
    response = render(request, template, context | {"preparing": True}, status=503)
    response["Retry-After"] = "30"
    return response


def _indicator_page(
    request: SignedInRequest,
    place: Place,
    indicator: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    found = outcomes_for(place)
    if found is None or indicator not in indicators():
        raise Http404("No such indicator for this place")
    form_year = asked_year(request.POST.get("year")) if errors else None
    can_set = any(
        has_permission(request.user, org, Permission.COMMISSION) for org in place.partners.all()
    )
    context: dict[str, Any] = {
        "place": place,
        "outcomes": found,
        "spec": indicators()[indicator].spec,
        "can_set_target": can_set,
        "errors": errors or {},
        "posted": request.POST if errors else {},
    }
    try:
        context |= indicator_page(
            place, found, indicator, asked_year(request.GET.get("year")), form_year
        )
    except StillBuildingError:
        return _preparing(request, "places/indicator.html", context)
    return render(request, "places/indicator.html", context, status=400 if errors else 200)


@require_GET
@login_required
def place_indicator(request: SignedInRequest, slug: str, indicator: str) -> HttpResponse:
    return _indicator_page(request, selectors.get_place_for(request.user, slug), indicator)


@require_POST
@login_required
def place_indicator_target(request: SignedInRequest, slug: str, indicator: str) -> HttpResponse:
    """Set the target for a year (the form's ``year``, else the year the page shows)."""
    place = selectors.get_place_for(request.user, slug)
    found = outcomes_for(place)
    if found is None or indicator not in indicators():
        raise Http404("No such indicator for this place")
    written = request.POST.get("year")
    year = asked_year(written) if written else found.year(None)
    try:
        target = set_target(
            by=request.user,
            place=place,
            indicator=indicator,
            year=year or 0,
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as refused:
        return _indicator_page(request, place, indicator, refused.message_dict)
    messages.success(request, f"Target for {year_label(target.year)} saved.")
    url = reverse("place_indicator", args=[place.slug, indicator])
    shown = f"?year={target.year}" if target.year in found.years else ""
    return redirect(url + shown)
