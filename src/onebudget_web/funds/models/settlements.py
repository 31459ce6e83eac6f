"""Year-end settlements and reversals, with their approvals: prepared by the pool manager,
approved by a finance officer of each partner, posted once (ADR 0016)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds.models.ledger import (
    ActualsImport,
    AgreementVersion,
    AppendOnly,
    Fund,
    LedgerTransaction,
)


class Settlement(models.Model):
    """A year-end settlement prepared from the agreement and the actuals; final once a
    finance officer of each partner has approved it (different people, none the preparer).
    ``override_reason``: why the pool manager prepared it while ``open_months`` were open;
    ``nil_schemes``: schemes (or ``scheme:partner``) the pool manager declared spent nothing."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="settlements")
    agreement = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT)
    statement = models.JSONField()  # the rows of onebudget.funds.report.sheets, money as text
    prepared_by = models.ForeignKey(User, on_delete=models.PROTECT)
    prepared_at = models.DateTimeField(default=timezone.now)
    override_reason = models.CharField(max_length=500, blank=True)
    open_months = models.JSONField(default=list, blank=True)
    nil_schemes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["fund", "-prepared_at"]

    def __str__(self) -> str:
        return f"{self.fund.code} settlement prepared {self.prepared_at:%Y-%m-%d}"


class SettlementApproval(AppendOnly):
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="approvals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    approver = models.ForeignKey(User, on_delete=models.PROTECT)
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "organisation"], name="one_approval_per_partner"
            ),
            models.UniqueConstraint(
                fields=["settlement", "approver"], name="approvers_are_different_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} approved {self.settlement_id}"


class PostedSettlement(AppendOnly):
    """The mark that a settlement is posted. The database allows a fund one mark that
    ``replaces`` nothing, lets each mark be replaced once, and (a trigger) only by a mark of
    the same fund once every transaction of the replaced one is reversed: so at most one
    posted settlement stands at a time, whatever the code above it does (ADR 0016)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="posted_settlements")
    settlement = models.OneToOneField(Settlement, on_delete=models.PROTECT, related_name="posted")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund"],
                condition=models.Q(replaces__isnull=True),
                name="one_posted_settlement_per_fund",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} settlement {self.settlement_id} posted"


class PostingSource(AppendOnly):
    """The whole a ledger transaction was posted as part of (an actuals file or a settlement),
    so that the whole can be reversed."""

    transaction = models.OneToOneField(
        LedgerTransaction, on_delete=models.PROTECT, related_name="source"
    )
    actuals = models.ForeignKey(
        ActualsImport, null=True, on_delete=models.PROTECT, related_name="postings"
    )
    settlement = models.ForeignKey(
        PostedSettlement, null=True, on_delete=models.PROTECT, related_name="postings"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(actuals__isnull=False, settlement=None)
                    | models.Q(actuals=None, settlement__isnull=False)
                ),
                name="posting_source_is_one_whole",
            )
        ]

    def __str__(self) -> str:
        return f"transaction {self.transaction_id} from {self.actuals or self.settlement}"


class Reversal(AppendOnly):
    """A reversal the pool manager prepared, with the reason: of one transaction, a whole
    actuals file or a posted settlement. It is posted (the exact negation of each
    transaction) once a finance officer of every partner has approved it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="reversals")
    reason = models.CharField(max_length=500)
    transaction = models.ForeignKey(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actuals = models.ForeignKey(
        ActualsImport, null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    settlement = models.ForeignKey(
        PostedSettlement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    prepared_by = models.ForeignKey(User, on_delete=models.PROTECT)
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "-prepared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(transaction__isnull=False, actuals=None, settlement=None)
                    | models.Q(transaction=None, actuals__isnull=False, settlement=None)
                    | models.Q(transaction=None, actuals=None, settlement__isnull=False)
                ),
                name="reversal_of_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} reversal {self.pk}"


class ReversalApproval(AppendOnly):
    reversal = models.ForeignKey(Reversal, on_delete=models.PROTECT, related_name="approvals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    approver = models.ForeignKey(User, on_delete=models.PROTECT)
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reversal", "organisation"], name="one_reversal_approval_per_partner"
            ),
            models.UniqueConstraint(
                fields=["reversal", "approver"], name="reversal_approvers_are_different_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} approved reversal {self.reversal_id}"


class ReversalWithdrawal(AppendOnly):
    """A reversal withdrawn before it was posted (prepared in error, or overtaken), by the
    pool manager, with the reason. A withdrawn reversal can no longer be approved."""

    reversal = models.OneToOneField(Reversal, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT)
    withdrawn_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500)

    def __str__(self) -> str:
        return f"reversal {self.reversal_id} withdrawn"
