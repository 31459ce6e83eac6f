"""Provider contracts in the service: each version kept as its YAML, the parties who may see
it, every period's statement as it was worked out, and a provider's disputes of a line.

The payment rules are the library's (``onebudget.contracts``); these rows are the record.
Versions, statements, disputes and decisions are append-only: a statement is evidence of
what was paid and why, so it is never changed after it is worked out.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone

from onebudget.money import from_pence
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds.models import AppendOnly, Fund
from onebudget_web.places.models import Place


class ProviderContract(models.Model):
    """A contract of a place, known by its id in the file (``C-FERN-2025-ACT``)."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="contracts")
    code = models.CharField(max_length=60)
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "code"]
        constraints = [
            models.UniqueConstraint(fields=["place", "code"], name="one_contract_per_code")
        ]

    def __str__(self) -> str:
        return f"Contract {self.code} of {self.place.slug}"


class ContractParty(AppendOnly):
    """A commissioner or provider named by any version: it sees the contract from then on
    (a provider dropped by a later version still sees the statements it was paid by)."""

    SIDES = [("commissioner", "commissioner"), ("provider", "provider")]

    contract = models.ForeignKey(ProviderContract, on_delete=models.PROTECT, related_name="parties")
    code = models.CharField(max_length=12)
    side = models.CharField(max_length=12, choices=SIDES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "code", "side"], name="one_party_a_side")
        ]


class ContractVersion(AppendOnly):
    """The contract as YAML, as it was when recorded, and where it came from."""

    contract = models.ForeignKey(
        ProviderContract, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    source = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="one_contract_version_number"
            )
        ]


class PeriodStatement(AppendOnly):
    """One provider's statement for one period: the library's statement as data (every step
    with its inputs, rule and amount), the figures it was worked from, and its posting."""

    contract = models.ForeignKey(
        ProviderContract, on_delete=models.PROTECT, related_name="statements"
    )
    version = models.ForeignKey(ContractVersion, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)  # 2025-Q1 or 2025-04
    provider_code = models.CharField(max_length=12)
    provider_name = models.CharField(max_length=200)
    data = models.JSONField()  # onebudget.contracts.statement.as_data
    total_pence = models.BigIntegerField()
    inputs = models.TextField()  # the period's figures, as YAML
    ledger_key = models.CharField(max_length=200, blank=True)  # "" when unfunded
    worked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    worked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contract", "period", "provider_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period", "provider_code"], name="one_statement_a_period"
            )
        ]

    @property
    def total(self) -> Decimal:
        return from_pence(self.total_pence)


class Dispute(AppendOnly):
    """A provider's dispute of one line (step) of its statement, with its reason."""

    statement = models.ForeignKey(
        PeriodStatement, on_delete=models.PROTECT, related_name="disputes"
    )
    step = models.PositiveIntegerField()  # the line's index in the statement's steps
    reason = models.TextField(max_length=2000)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["statement", "raised_at", "pk"]


class DisputeDecision(AppendOnly):
    """The commissioner's answer to a dispute: upheld or not, and why."""

    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, related_name="decision")
    upheld = models.BooleanField()
    reason = models.TextField(max_length=2000)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
