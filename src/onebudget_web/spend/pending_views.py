"""A ledger's preview, before it replaces anything: what the file holds and how the
partner's figures would change year by year; then "Confirm and replace" or "Cancel" (both
POST). Only the person who uploaded it sees or decides it; anyone else's link is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onebudget.spend.preview import changes, summary
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.places.models import Place
from onebudget_web.places.selectors import get_place_for
from onebudget_web.spend import actions, presenters
from onebudget_web.spend.pages import page_context
from onebudget_web.spend.selectors import pending_ledger, replacement

GONE = "No such upload: it was confirmed or cancelled already, or is over a day old"


@require_http_methods(["GET", "POST"])
@login_required
def place_spend_pending(request: SignedInRequest, slug: str, token: str) -> HttpResponse:
    place = get_place_for(request.user, slug)
    if request.method == "POST":
        return _decide(request, place, token)
    pending = pending_ledger(request.user, place, token)
    if pending is None:
        raise Http404(GONE)
    actions.require_uploader(request.user, place, pending.organisation)
    found = replacement(place, pending)
    code = pending.organisation.code
    context = {
        "place": place,
        "pending": pending,
        "preview": presenters.ledger_preview(
            summary(found.after_view, code), changes(found.before, found.after, code)
        ),
    }
    return render(request, "spend/ledger_preview.html", context)


def _decide(request: SignedInRequest, place: Place, token: str) -> HttpResponse:
    """Confirm (replace the ledger in use with exactly the file previewed) or cancel."""
    do = request.POST.get("do")
    if do == "cancel":
        dropped = actions.cancel_ledger(by=request.user, place=place, token=token)
        if dropped is None:
            raise Http404(GONE)
        said = f"{dropped.name} was not used: {dropped.organisation.name}'s ledger is unchanged."
        messages.info(request, said)
        return redirect("place_spend", slug=place.slug)
    if do != "confirm":
        raise Http404("No such action")
    try:
        kept = actions.confirm_ledger(by=request.user, place=place, token=token)
    except ValidationError as refused:
        context = page_context(request, place, refused.messages)
        return render(request, "spend/place_spend.html", context, status=400)
    if kept is None:
        raise Http404(GONE)
    messages.success(request, f"{kept.name} is now {kept.organisation.name}'s ledger.")
    return redirect("place_spend", slug=place.slug)
