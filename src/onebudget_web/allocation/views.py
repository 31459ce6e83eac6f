"""Allocation pages for a place's partners: a place builder (practice list and map), need
indices with a chart, the budget allocation with pace of change, session JSON and XLSX.

Indices come from public data, so every partner sees them; saving needs an analyst's role
(``actions``). Views stay thin: presenters build the tables, actions do the writes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onebudget.allocation.places import (
    Choice,
    PlacesError,
    areas,
    choose,
    icb_practices,
    icbs,
    read_session,
    write_session,
)
from onebudget.allocation.populations import YEARS
from onebudget.roles import NotPermitted
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.allocation import actions
from onebudget_web.allocation.models import AllocationPlace
from onebudget_web.allocation.presenters import (
    budget_result,
    budget_tables,
    index_groups,
    starter_budget,
    workbook,
)
from onebudget_web.allocation.selectors import (
    as_library_place,
    latest_budget,
    saved_place,
    saved_places,
)
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.uploads import upload_text
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for

MAX_UPLOAD = 2 * 1024 * 1024
KINDS = {"council": "councils", "pcn": "pcns", "lad": "districts"}


def _can_save(request: SignedInRequest, place: Place) -> bool:
    try:
        actions.acting_organisation(request.user, place)
    except NotPermitted:
        return False
    return True


def _context(request: SignedInRequest, place: Place, **extra: Any) -> dict[str, Any]:
    saved = list(saved_places(place))
    config = latest_budget(place)
    result = budget_result(config)
    return {
        "place": place,
        "groups": index_groups(saved),
        "config": config,
        "budget": budget_tables(result) if result else None,
        "budget_text": config.text if config else starter_budget(saved),
        "can_save": _can_save(request, place),
        "changeable": _changeable(request, saved),
        "years": YEARS,
        "errors": [],
    } | extra


@require_GET
@login_required
def place_allocation(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    if request.GET.get("format") == "xlsx":
        saved = list(saved_places(place))
        result = budget_result(latest_budget(place))
        return xlsx_response(f"{place.slug}-allocation", workbook(saved, result))
    return render(request, "allocation/allocation.html", _context(request, place))


def _builder_context(request: SignedInRequest, place: Place, data: QueryDict) -> dict[str, Any]:
    wanted_year, wanted_icb = data.get("year"), data.get("icb")
    year = wanted_year if wanted_year in YEARS else YEARS[-1]
    codes = {a.code for a in icbs(year)}
    partner_icb = next(
        (c for c in place.partners.values_list("code", flat=True) if c in codes), "QWO"
    )
    icb = wanted_icb if wanted_icb in codes else partner_icb
    found = areas(year, icb)
    kind, _, code = data.get("pick", "").partition(":")
    chosen = set(data.getlist("practices"))
    if kind in KINDS and code:
        picked, _ = choose(year, icb, "picked", Choice(**{KINDS[kind]: (code,)}))
        chosen |= set(picked.practices if picked else ())
    members = icb_practices(year, icb)
    return {
        "place": place,
        "years": YEARS,
        "year": year,
        "icb": icb,
        "icbs": icbs(year),
        "areas": found,
        "by": kind,
        "code": code,
        "name": data.get("name", ""),
        "practices": [{"p": p, "checked": p.code in chosen} for p in members],
        "ticked": sum(1 for p in members if p.code in chosen),
        "points": [
            {"code": p.code, "name": p.name, "lat": p.latitude, "lon": p.longitude} for p in members
        ],
        "tiles": settings.ONEBUDGET_MAP_TILES,
        "attribution": settings.ONEBUDGET_MAP_ATTRIBUTION,
        "can_save": _can_save(request, place),
        "errors": [],
    }


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_builder(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    if request.method == "GET":
        context = _builder_context(request, place, request.GET)
        return render(request, "allocation/builder.html", context)
    context = _builder_context(request, place, request.POST)
    try:
        saved = actions.save_place(
            by=request.user,
            place=place,
            name=request.POST.get("name", ""),
            year=context["year"],
            icb=context["icb"],
            choice=Choice(practices=tuple(request.POST.getlist("practices"))),
        )
    except ValidationError as refused:
        context["errors"] = refused.messages
        return render(request, "allocation/builder.html", context, status=400)
    except actions.NotOwner as refused:
        context["errors"] = refused.messages
        return render(request, "allocation/builder.html", context, status=403)
    messages.success(request, f"{saved.name} saved with {len(saved.practices)} practices.")
    return redirect("place_allocation", slug=place.slug)


@require_http_methods(["GET", "POST"])
@login_required
def place_allocation_session(request: SignedInRequest, slug: str) -> HttpResponse:
    """GET: the saved places as NHS England's session JSON. POST: bring places from one."""
    place = get_place_for(request.user, slug)
    if request.method == "GET":
        saved = list(saved_places(place))
        text = write_session(
            [as_library_place(s) for s in saved], year={s.name: s.year for s in saved}
        )
        response = HttpResponse(text, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{place.slug}-session.json"'
        return response
    upload = request.FILES.get("file")
    year = request.POST.get("year", "")
    try:
        actions.acting_organisation(request.user, place)  # first
        if upload is None or year not in YEARS:
            raise ValidationError(["Choose a session file (at most 2 MB) and a year."])
        text = upload_text(upload, what="a session file (JSON)", limit=MAX_UPLOAD)
        source = upload.name or "session.json"  # a browser's upload always has a name
        places = read_session(text, year=year, source=source)
        actions.save_places(by=request.user, place=place, places=places, year=year, source=source)
    except PlacesError as error:
        return _refused(
            request, place, [f"{upload.name if upload else ''}: {p}" for p in error.problems]
        )
    except ValidationError as refused:
        return _refused(request, place, refused.messages)
    except actions.NotOwner as refused:
        return _not_owner(request, place, refused)
    messages.success(request, f"{len(places)} places brought in from {upload.name}.")
    return redirect("place_allocation", slug=place.slug)


def _refused(
    request: SignedInRequest, place: Place, errors: list[str], **extra: Any
) -> HttpResponse:
    context = _context(request, place, errors=errors, **extra)
    return render(request, "allocation/allocation.html", context, status=400)


@require_POST
@login_required
def place_allocation_budget(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    upload = request.FILES.get("file")
    text, source = request.POST.get("text", ""), "the budget"
    try:
        actions.acting_organisation(request.user, place)  # first
        if upload is not None:
            text = upload_text(upload, what="a budget configuration (YAML)", limit=MAX_UPLOAD)
            source = upload.name or "budget.yaml"
        actions.save_budget(by=request.user, place=place, text=text, source=source)
    except ValidationError as refused:
        return _refused(request, place, refused.messages, budget_text=text)
    messages.success(request, "Budget allocated.")
    return redirect("place_allocation", slug=place.slug)


@require_POST
@login_required
def place_allocation_delete(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    place = get_place_for(request.user, slug)
    saved = saved_place(place, pk)
    try:
        actions.delete_place(by=request.user, saved=saved)
    except actions.NotOwner as refused:
        return _not_owner(request, place, refused)
    messages.success(request, f"{saved.name} deleted.")
    return redirect("place_allocation", slug=place.slug)


def _changeable(request: SignedInRequest, saved: list[AllocationPlace]) -> set[int]:
    """The saved places the user may replace or delete: those of an organisation where the
    user is an analyst (asked once per owning organisation)."""
    owners = {s.organisation_id: s for s in saved}
    mine = {o for o, s in owners.items() if actions.may_change(request.user, s)}
    return {s.pk for s in saved if s.organisation_id in mine}


def _not_owner(request: SignedInRequest, place: Place, refused: actions.NotOwner) -> HttpResponse:
    """Another partner's saved place: refused (403) on the page, saying whose it is."""
    context = _context(request, place, errors=refused.messages)
    return render(request, "allocation/allocation.html", context, status=403)
