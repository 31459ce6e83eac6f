from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.disclosure import Waiver
from onebudget_web.accounts.actions import record_unsuppressed_view
from onebudget_web.accounts.selectors import active_waiver, visible_organisation_ids
from onebudget_web.places import selectors
from onebudget_web.places.outcomes import report_for


@require_GET
@login_required
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.get_place_for(request.user, slug)
    context = {
        "place": place,
        "partners": selectors.partners_of(place, request.user),
        "datasets": place.datasets.all(),
        "has_outcomes": report_for(place) is not None,
    }
    return render(request, "places/place_detail.html", context)


@require_GET
@login_required
def place_outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.get_place_for(request.user, slug)
    report = report_for(place)
    mine = place.partners.filter(id__in=visible_organisation_ids(request.user))
    waiver = active_waiver(request.user, mine)
    unsuppressed = request.GET.get("unsuppressed") == "1"
    if unsuppressed and waiver is None:
        raise PermissionDenied("Unsuppressed outputs need a disclosure waiver")
    use = None
    if unsuppressed and waiver is not None and report is not None:
        record_unsuppressed_view(
            user=request.user,
            waiver=waiver,  # type: ignore[arg-type]
            what=f"outcomes of {place.slug}",
        )
        use = Waiver(holder=request.user.get_username(), reason=waiver.reason)
    context = {
        "place": place,
        "report": report,
        "summaries": report.summaries(use) if report else [],
        "segments": report.segments(use) if report else [],
        "waiver": waiver,
        "unsuppressed": use is not None,
    }
    return render(request, "places/outcomes.html", context)


@require_GET
@login_required
def place_indicator(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    place = selectors.get_place_for(request.user, slug)
    report = report_for(place)
    if report is None or indicator not in indicators():
        raise Http404("No such indicator for this place")
    context = {"place": place, "report": report, "detail": report.detail(indicator)}
    return render(request, "places/indicator.html", context)
