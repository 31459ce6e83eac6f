"""The place's spend page, a financial year at a time (``pages``), its workbook, and
uploads for finance officers: a mapping is kept at once, a ledger is previewed first
(``pending_views``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from onebudget.spend import report
from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.uploads import upload_text
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for, partners_for
from onebudget_web.spend import actions, presenters
from onebudget_web.spend.pages import mine, page_context, year_of
from onebudget_web.spend.pending_views import place_spend_pending
from onebudget_web.spend.selectors import place_amounts, place_spend

__all__ = ["place_spend_page", "place_spend_pending", "place_spend_upload"]
MAPPING_LIMIT = 1024 * 1024  # what the YAML reader reads


@require_GET
@login_required
def place_spend_page(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    if request.GET.get("format") == "xlsx":
        return _workbook(request, place)
    return render(request, "spend/place_spend.html", page_context(request, place))


def _workbook(request: SignedInRequest, place: Place) -> HttpResponse:
    """The spend of the year shown as a workbook: line detail only for the user's own
    organisations, and a first sheet saying the period and what per head means."""
    found = place_spend(place)
    if found is None:
        raise Http404("No ledgers have been uploaded")
    ours = mine(request, place)
    year = year_of(request, found)
    view = found.year(year["year"])
    sheets = report.sheets(view)
    for name in ("Unmapped lines", "Transfers"):
        sheets[name] = [r for r in sheets[name] if r["partner"] in ours]
    share = place_amounts(place, view)
    if share is not None:
        sheets["Spend for place"] = list(share.rows)
    about = presenters.about_sheet(place.name, year, share)
    period = (year["label"] or "none").replace("/", "-")
    return xlsx_response(f"{place.slug}-spend-{period}", {"About": about, **sheets})


@require_POST
@login_required
def place_spend_upload(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    code = request.POST.get("organisation", "")
    organisation = partners_for(request.user, place).filter(code=code).first()
    if organisation is None:
        raise Http404("No such partner")
    actions.require_uploader(request.user, place, organisation)  # first
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(["Choose a file to upload."])
        if request.POST.get("kind") != "mapping":
            token = _hold_ledger(request, place, organisation, upload)
            return redirect("place_spend_pending", slug=place.slug, token=token)
        text = upload_text(upload, what="a mapping file", limit=MAPPING_LIMIT)
        actions.upload_mapping(
            by=request.user,
            place=place,
            organisation=organisation,
            text=text,
            source=upload.name or "mapping.yaml",  # a browser's upload always has a name
        )
    except ValidationError as refused:
        context = page_context(request, place, refused.messages)
        return render(request, "spend/place_spend.html", context, status=400)
    messages.success(request, f"{upload.name} uploaded for {organisation.name}.")
    return redirect("place_spend", slug=place.slug)


def _hold_ledger(
    request: SignedInRequest, place: Place, organisation: Organisation, upload: UploadedFile[bytes]
) -> str:
    """Check the ledger and hold it for its preview; its token."""
    name = upload.name or "the file"  # a browser's upload always has a name
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError([f"{name}: a ledger is a .csv or .xlsx file"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        held = actions.hold_ledger(
            by=request.user, place=place, organisation=organisation, upload=path, name=name
        )
    return held.token
