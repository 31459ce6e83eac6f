from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onebudget.outcomes.definitions import indicators
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
    context = {
        "place": place,
        "report": report,
        "summaries": report.summaries() if report else [],
        "segments": report.segments() if report else [],
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
