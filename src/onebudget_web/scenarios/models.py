"""Saved scenarios: a place's five-year demand and cost scenario as its file said it, the
data it was modelled on, and every figure worked out when it was saved.

A saved scenario belongs to the organisation that saved it and is shared with the place's
commissioning partners (ADR 0025). It is never changed: its figures are a record of what
was modelled on which data, for a board paper to cite. To change one, save a new one (its
file downloads, to edit); to set one aside, withdraw it with a reason (kept, and listed as
withdrawn).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from onebudget.scenarios.results import read_back
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds.models import AppendOnly
from onebudget_web.places.models import Place, PlaceDataset


class SavedScenario(AppendOnly):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="scenarios")
    number = models.PositiveIntegerField(help_text="its number in the place: 1, 2, ...")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="scenarios")
    name = models.CharField(max_length=200)
    text = models.TextField(help_text="the scenario as YAML, as `onebudget scenario` reads it")
    source = models.CharField(max_length=200, help_text="the file's name, or the form")
    dataset = models.ForeignKey(PlaceDataset, on_delete=models.PROTECT, related_name="scenarios")
    projection_source = models.CharField(
        max_length=200, blank=True, help_text="the ONS projection and area; empty: national rates"
    )
    projection_rows = models.TextField(
        blank=True, help_text="the header and the area's rows of that file, as CSV"
    )
    results = models.JSONField(help_text="every table, money as exact decimal text")  # in order
    proposal = models.JSONField(help_text="the proposed scheme and the fund it would vary")
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["place", "number"], name="one_scenario_number")
        ]

    def __str__(self) -> str:
        return f"Scenario {self.number} of {self.place.slug}: {self.name}"

    @property
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every table by sheet name, in order, money as ``Decimal``."""
        return read_back(self.results)


class ScenarioWithdrawal(AppendOnly):
    """A saved scenario set aside, by whom and why (it is kept, as every record is)."""

    scenario = models.OneToOneField(
        SavedScenario, on_delete=models.PROTECT, related_name="withdrawal"
    )
    reason = models.CharField(max_length=300)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(default=timezone.now)
