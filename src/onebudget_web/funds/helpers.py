"""What several fund pages share: who may post or approve, reading a refusal into the
error summary and the errors beside each field, and approving a reversal from a page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from onebudget.roles import Permission
from onebudget_web.accounts.models import Organisation
from onebudget_web.accounts.requests import SignedInRequest
from onebudget_web.accounts.selectors import has_permission, visible_organisation_ids
from onebudget_web.funds import corrections
from onebudget_web.funds.models import Fund

WITHDRAW_UNCONFIRMED = (
    "Tick the box to confirm that you understand the reversal will not be posted, and that "
    "the approvals given to it will no longer count"
)


def can_post(request: SignedInRequest, fund: Fund) -> bool:
    return has_permission(request.user, fund.host, Permission.POST_TO_POOL)


def approvable(request: SignedInRequest, fund: Fund) -> list[Organisation]:
    """The partners the user may approve for (a finance role there)."""
    mine = fund.partners.filter(id__in=visible_organisation_ids(request.user))
    return [o for o in mine if has_permission(request.user, o, Permission.APPROVE_SETTLEMENT)]


def partner_from(request: SignedInRequest, fund: Fund) -> Organisation:
    """The partner named in the form, if it is one of the user's; else 404."""
    found = fund.partners.filter(
        code=request.POST.get("organisation", ""),
        id__in=visible_organisation_ids(request.user),
    ).first()
    if found is None:
        raise Http404("No such partner")
    return found


def refusal(refused: ValidationError) -> dict[str, Any]:
    """A refusal as page context: ``errors`` for the summary at the top, ``field_errors``
    (by field name) for the message beside each field."""
    if hasattr(refused, "error_dict"):
        fields = {k: list(v) for k, v in refused.message_dict.items()}
        return {"errors": [m for ms in fields.values() for m in ms], "field_errors": fields}
    return {"errors": list(refused.messages), "field_errors": {}}


def approve_reversal(request: SignedInRequest, fund: Fund) -> str:
    """Approve the reversal named in the form for the partner named in it."""
    reversal = fund.reversals.filter(pk=_int(request.POST.get("reversal"))).first()
    if reversal is None:
        raise Http404("No such reversal")
    organisation = partner_from(request, fund)
    corrections.approve_reversal(by=request.user, reversal=reversal, organisation=organisation)
    return f"Reversal approved for {organisation.name}."


def reversal_action(request: SignedInRequest, fund: Fund, do: str | None) -> str | None:
    """The reversal forms both the ledger and the settlement page carry: approve or withdraw
    a pending reversal. None when ``do`` is neither."""
    if do == "approve-reversal":
        return approve_reversal(request, fund)
    if do == "withdraw-reversal":
        return withdraw_reversal(request, fund)
    return None


def withdraw_reversal(request: SignedInRequest, fund: Fund) -> str:
    """Withdraw the reversal named in the form, with the reason given."""
    reversal = fund.reversals.filter(pk=_int(request.POST.get("reversal"))).first()
    if reversal is None:
        raise Http404("No such reversal")
    reason = request.POST.get("reason", "")
    if request.POST.get("confirm") != "yes":  # withdrawn for good: confirmed first
        problems = {"withdraw_confirm": [WITHDRAW_UNCONFIRMED]}
        if not reason.strip():
            problems["withdraw_reason"] = ["Enter the reason for withdrawing the reversal"]
        raise ValidationError(problems)
    corrections.withdraw_reversal(by=request.user, reversal=reversal, reason=reason)
    return "Reversal withdrawn: it will not be posted."


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0
