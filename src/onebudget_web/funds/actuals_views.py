"""Uploading monthly actuals: a preview (every error, or what would be posted), then post.

The size is checked before a byte of the body is read, and the file is read into memory,
never written where it could be left behind (``core.uploads``, a middleware for every
upload); a checked file waits for posting in the database (``uploads``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onebudget.io.tables import TableError
from onebudget.roles import NotPermitted
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.funds import bookkeeping, selectors, uploads
from onebudget_web.funds.helpers import can_post
from onebudget_web.funds.models import Fund

UPLOAD_SUFFIXES = (".csv", ".xlsx")
PAGE = "funds/actuals.html"
CHOOSE_A_FILE = "Choose a .csv or .xlsx file of monthly actuals"


@require_http_methods(["GET", "POST"])
@login_required
def fund_actuals(request: SignedInRequest, code: str) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, code)
    if not can_post(request, fund):
        raise NotPermitted("Only the pool manager uploads actuals")
    if request.method == "POST" and request.POST.get("token"):
        return _post_upload(request, fund, request.POST["token"])
    if request.method != "POST":
        return _page(request, fund)
    upload = request.FILES.get("file")
    if upload is None or Path(upload.name or "").suffix.lower() not in UPLOAD_SUFFIXES:
        return _page(request, fund, status=400, file=[CHOOSE_A_FILE])
    name, content = upload.name or "upload", upload.read()
    try:
        table = uploads.read_upload(name, content)
    except TableError as error:
        return _page(request, fund, status=400, file=[str(error)])
    read, errors = bookkeeping.preview_actuals(fund, table)
    if errors:
        return _page(request, fund, status=400, errors=errors)
    token = uploads.hold_upload(by=request.user, fund=fund, name=name, content=content)
    left_out = [{"row": p.row, "value": p.value, "reason": p.rule} for p in read.left_out]
    return _page(
        request, fund, figures=read.figures, left_out=left_out, token=token, file_name=name
    )


def _post_upload(request: SignedInRequest, fund: Fund, token: str) -> HttpResponse:
    held = uploads.take_upload(by=request.user, fund=fund, token=token)
    if held is None:
        raise Http404("No such upload: it was posted already, or is over an hour old")
    name, content = held
    try:
        table = uploads.read_upload(name, content)
        count = bookkeeping.import_actuals(by=request.user, fund=fund, table=table)
    except ValidationError as refused:
        return _page(request, fund, status=400, errors=refused.messages)
    except TableError as error:
        return _page(request, fund, status=400, errors=[str(error)])
    messages.success(request, f"{count} monthly figures posted from {name}.")
    return redirect("fund_ledger", code=fund.code)


def _page(
    request: SignedInRequest,
    fund: Fund,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    file: list[str] | None = None,
    **extra: object,
) -> HttpResponse:
    """The upload page: ``errors`` in the summary; ``file``: errors beside the file field
    (in the summary too)."""
    context = {
        "fund": fund,
        "errors": (errors or []) + (file or []),
        "file_errors": file or [],
        "figures": [],
        "max_upload_mb": f"{settings.ONEBUDGET_MAX_UPLOAD_BYTES / 1024 / 1024:g}",
    }
    return render(request, PAGE, context | extra, status=status)
