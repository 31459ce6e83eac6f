from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onebudget_web.places import selectors


@require_GET
@login_required
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.get_place_for(request.user, slug)
    context = {
        "place": place,
        "partners": selectors.partners_of(place, request.user),
        "datasets": place.datasets.all(),
    }
    return render(request, "places/place_detail.html", context)
