"""A place: the area partners plan for, a council area or a group of GP practices."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onebudget_web.accounts.models import Organisation


class Place(models.Model):
    COUNCIL_AREA = "council_area"
    PRACTICE_GROUP = "practice_group"
    KINDS = [(COUNCIL_AREA, "Council area"), (PRACTICE_GROUP, "Group of GP practices")]

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=KINDS)
    description = models.TextField(blank=True)
    gss_code = models.CharField(max_length=9, blank=True, help_text="council area's GSS code")
    partners = models.ManyToManyField(Organisation, through="PlacePartner", related_name="places")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlacePartner(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "organisation"], name="one_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} in {self.place.slug}"


class PlaceDataset(models.Model):
    """A linked person-level dataset held for a place (today: synthetic data on disk).

    The service records where it is and what it is; the data stay in files read by the
    analytics engines, never in the service's database.
    """

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="datasets")
    label = models.CharField(max_length=300)
    path = models.CharField(max_length=500)
    synthetic = models.BooleanField(default=True)
    persons_at_start = models.PositiveIntegerField()
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField(null=True, blank=True)
    generator = models.CharField(max_length=100, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return self.label


class IndicatorTarget(models.Model):
    """What the partners of a place aim for on an indicator in a year (set by commissioners)."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="targets")
    indicator = models.SlugField(max_length=80)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    set_by = models.CharField(max_length=200)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["place", "indicator", "year"], name="one_target")
        ]

    def __str__(self) -> str:
        return f"{self.place.slug} {self.indicator} {self.year}: {self.value}"


class OutcomeResult(models.Model):
    """One stored piece of a dataset's outcomes (ADR 0019): computed by the engines once,
    when the data or the indicator definitions change, and only read by the pages.

    Only published (disclosure-controlled) figures are stored; a waiver holder's
    unsuppressed view is computed when they ask for it and never stored.
    """

    SUMMARY, SEGMENTS, TREND, PRACTICES = "summary", "segments", "trend", "practices"
    KINDS = [
        (SUMMARY, "an indicator by financial year"),
        (SEGMENTS, "people and cost by segment in a financial year"),
        (TREND, "an indicator's monthly chart"),
        (PRACTICES, "an indicator by GP practice in a financial year"),
    ]
    PUBLISHED = "published"

    dataset = models.ForeignKey(PlaceDataset, on_delete=models.CASCADE, related_name="results")
    fingerprint = models.CharField(max_length=64, help_text="definitions, builder and data")
    kind = models.CharField(max_length=20, choices=KINDS)
    indicator = models.SlugField(max_length=80, blank=True)
    period = models.CharField(max_length=20, blank=True, help_text="a financial year, 2024/25")
    disclosure = models.CharField(max_length=20, default=PUBLISHED)
    data = models.JSONField()
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "fingerprint", "kind", "indicator", "period", "disclosure"],
                name="one_result",
            ),
            models.CheckConstraint(
                condition=models.Q(disclosure="published"), name="only_published_results"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.kind} {self.indicator} {self.period}"
