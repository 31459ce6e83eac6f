"""What each audited action is called where people read the log. The stored name
(``login.succeeded``) stays the record's key; people see the words, the name beneath them."""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    "allocation.budget_saved": "Saved a budget allocation",
    "allocation.place_deleted": "Deleted a saved place",
    "allocation.place_saved": "Saved a place for allocation",
    "allocation.session_imported": "Imported places from an allocation tool session",
    "api_token.issued": "Issued an API token",
    "api_token.revoked": "Revoked an API token",
    "api_token.used": "Used an API token",
    "disclosure_waiver.granted": "Granted a disclosure waiver",
    "disclosure_waiver.revoked": "Revoked a disclosure waiver",
    "fund.actuals_imported": "Imported a pooled fund's monthly actuals",
    "fund.created": "Set up a pooled fund",
    "fund.period_closed": "Closed a month of a pooled fund",
    "fund.posted": "Posted to a pooled fund's ledger",
    "fund.reversal_approved": "Approved a reversal",
    "fund.reversal_posted": "Posted a reversal",
    "fund.reversal_prepared": "Prepared a reversal",
    "fund.reversal_withdrawn": "Withdrew a reversal",
    "fund.settlement_approved": "Approved a year-end settlement",
    "fund.settlement_posted": "Posted a year-end settlement",
    "fund.settlement_prepared": "Prepared a year-end settlement",
    "fund.varied": "Recorded a variation of an agreement",
    "invitation.accepted": "Accepted an invitation",
    "invitation.created": "Invited someone",
    "invitation.emailed": "Sent an invitation by email",
    "invitation.withdrawn": "Withdrew an invitation",
    "login.locked_out": "Locked out after failed sign-ins",
    "login.succeeded": "Signed in",
    "logout": "Signed out",
    "organisation.created": "Created an organisation",
    "outputs.viewed_unsuppressed": "Viewed unsuppressed figures under a waiver",
    "password.changed": "Changed their password",
    "password.reset": "Reset their password",
    "password.reset_requested": "Asked to reset their password",
    "place.created": "Created a place",
    "place.dataset_registered": "Registered linked data for a place",
    "place.partner_added": "Added a partner to a place",
    "role.granted": "Granted a role",
    "role.withdrawn": "Withdrew a role",
    "spend.ledger_uploaded": "Uploaded a spend ledger",
    "spend.mapping_uploaded": "Uploaded a spend mapping",
    "target.set": "Set a target",
    "two_factor.failed": "Entered a wrong two-factor code",
    "two_factor.recovery_code_used": "Signed in with a recovery code",
    "two_factor.recovery_codes_made": "Made new recovery codes",
    "two_factor.removed": "Removed two-factor sign-in",
    "two_factor.set_up": "Set up two-factor sign-in",
    "two_factor.set_up_started": "Started setting up two-factor sign-in",
    "two_factor.verified": "Confirmed sign-in with a two-factor code",
    "user.created": "Created an account",
    "user.disabled": "Closed an account",
}


def action_in_words(action: str) -> str:
    """The action as people read it; an unnamed one as its stored name, never nothing."""
    return ACTIONS.get(action, action)
