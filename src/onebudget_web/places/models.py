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
