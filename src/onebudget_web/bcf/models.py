"""Better Care Fund plans in the service: a plan per place and year, every version of it kept
as its YAML, and each workflow step taken on a version (who, when, for which partner).

The rules of the workflow are the library's (``onebudget.bcf.workflow``); these rows are the
record. Versions and steps are append-only: a plan changed after sign-off is a new version.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone

from onebudget.bcf.workflow import Step
from onebudget.money import from_pence
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds.models import AppendOnly, Fund
from onebudget_web.places.models import Place


class BcfPlan(models.Model):
    """One Health and Wellbeing Board's plan for one year (``2025/26``)."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bcf_plans")
    year = models.CharField(max_length=7)
    fund = models.OneToOneField(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="bcf_plan"
    )
    fund_from = models.ForeignKey(
        "PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the signed-off version the fund's agreement was last built or varied from",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["place", "year"], name="one_bcf_plan_a_year")
        ]

    def __str__(self) -> str:
        return f"BCF plan {self.year} for {self.place.slug}"

    @property
    def slug(self) -> str:
        """``2025/26`` -> ``2025-26``, the year as it appears in a page's address."""
        return self.year.replace("/", "-")


class PlanVersion(AppendOnly):
    """The plan as YAML, as it was when recorded, and where it came from."""

    plan = models.ForeignKey(BcfPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    source = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} version {self.number}"


class PlanStep(AppendOnly):
    """A step taken on a version: a partner's agreement, the board's sign-off (the named
    person who recorded the decision and its date) or assurance."""

    STEPS = [(s.value, s.value.replace("_", " ")) for s in Step]

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(max_length=20, choices=STEPS)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    named_person = models.CharField(max_length=200, blank=True)
    decided_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "step", "organisation"], name="one_step_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.step} by {self.organisation.code}"


class PlanReturn(AppendOnly):
    """A quarterly or year-end return as recorded: the workbook as it was sent (the fund's
    ledger may be corrected later; the return stays as it was) and the narrative written."""

    PERIODS = [(p, p) for p in ("Q1", "Q2", "Q3", "Q4", "year-end")]

    plan = models.ForeignKey(BcfPlan, on_delete=models.PROTECT, related_name="returns")
    period = models.CharField(max_length=10, choices=PERIODS)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="returns")
    workbook = models.BinaryField()
    spent_to_date_pence = models.BigIntegerField()
    narrative = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "period", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} return {self.period}"

    @property
    def spent_to_date(self) -> Decimal:
        return from_pence(self.spent_to_date_pence)
