"""The place's spend page: totals of every partner (partners of a place see all its money),
line-level detail only for the user's own organisations, and uploads for finance officers."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from onebudget.money import ZERO
from onebudget.roles import Permission
from onebudget.spend import report
from onebudget.spend.charts import spend_svg
from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission
from onebudget_web.core.downloads import xlsx_response
from onebudget_web.core.uploads import upload_text
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for, partners_for
from onebudget_web.spend import actions, presenters
from onebudget_web.spend.selectors import place_amounts, place_spend

MAPPING_LIMIT = 1024 * 1024  # what the YAML reader reads


def _context(
    request: SignedInRequest, place: Place, errors: list[str] | None = None
) -> dict[str, Any]:
    found = place_spend(place)
    mine = _mine(request, place)
    uploadable = [
        o
        for o in place.partners.order_by("name")
        if o.code in mine and has_permission(request.user, o, Permission.MANAGE_FINANCE)
    ]
    context: dict[str, Any] = {
        "place": place,
        "spend": found,
        "errors": errors or [],
        "uploadable": uploadable,
    }
    if found is not None:
        view = found.view
        rows = report.service_rows(view)
        partners = sorted({r["partner"] for r in rows})
        names = {o.code: o.name for o in place.partners.all()}
        named = [{**r, "partner": names.get(r["partner"], r["partner"])} for r in rows]
        context |= {
            "partners": [names.get(p, p) for p in partners],
            "services": presenters.service_table(rows, partners),
            "total": sum((r["amount"] for r in rows), ZERO),
            "reconciliations": report.reconciliation_rows(view),
            "unmapped": [r for r in report.unmapped_rows(view) if r["partner"] in mine][:200],
            "unresolved": [
                g for g in view.unresolved if any(p.line.partner in mine for p in g.lines)
            ],
            "chart": spend_svg(f"Spend by service, {place.name}", named),
            "budgets": presenters.budget_table(named),
            "per_head": presenters.per_head_table(place_amounts(place, view)),
        }
    return context


@require_GET
@login_required
def place_spend_page(request: SignedInRequest, slug: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    if request.GET.get("format") == "xlsx":
        return _workbook(request, place)
    return render(request, "spend/place_spend.html", _context(request, place))


def _workbook(request: SignedInRequest, place: Place) -> HttpResponse:
    """The spend as a workbook: line detail only for the user's own organisations."""
    found = place_spend(place)
    if found is None:
        raise Http404("No ledgers have been uploaded")
    mine = _mine(request, place)
    sheets = report.sheets(found.view)
    for name in ("Unmapped lines", "Transfers"):
        sheets[name] = [r for r in sheets[name] if r["partner"] in mine]
    share = place_amounts(place, found.view)
    if share is not None:
        sheets["Spend for place"] = list(share.rows)
    return xlsx_response(f"{place.slug}-spend", sheets)


def _mine(request: SignedInRequest, place: Place) -> set[str]:
    """Codes of the place's partners the user belongs to."""
    return set(partners_for(request.user, place).values_list("code", flat=True))


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
        if request.POST.get("kind") == "mapping":
            text = upload_text(upload, what="a mapping file", limit=MAPPING_LIMIT)
            actions.upload_mapping(
                by=request.user,
                place=place,
                organisation=organisation,
                text=text,
                source=upload.name or "mapping.yaml",  # a browser's upload always has a name
            )
        else:
            _upload_ledger(request, place, organisation, upload)
    except ValidationError as refused:
        context = _context(request, place, refused.messages)
        return render(request, "spend/place_spend.html", context, status=400)
    messages.success(request, f"{upload.name} uploaded for {organisation.name}.")
    return redirect("place_spend", slug=place.slug)


def _upload_ledger(
    request: SignedInRequest, place: Place, organisation: Organisation, upload: UploadedFile[bytes]
) -> None:
    name = upload.name or "the file"  # a browser's upload always has a name
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError([f"{name}: a ledger is a .csv or .xlsx file"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        actions.upload_ledger(
            by=request.user, place=place, organisation=organisation, upload=path, name=name
        )
