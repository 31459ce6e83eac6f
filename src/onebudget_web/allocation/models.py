"""Places built for allocation (groups of one ICB's GP practices) and budget configurations,
both saved for a partnership place by its partners' analysts. A saved place belongs to the
partner whose analyst first saved it: only that partner's analysts replace or delete it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds.models import AppendOnly
from onebudget_web.places.models import Place


class AllocationPlace(models.Model):
    """A named group of practices; saving the same name again replaces it (audited), which
    only the owning organisation's analysts may do."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="allocation_places")
    name = models.CharField(max_length=100)
    year = models.CharField(max_length=7)
    icb = models.CharField(max_length=10)
    practices = models.JSONField(default=list)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="allocation_places",
        verbose_name="owner",
        help_text="the partner whose analyst first saved it; only its analysts change it",
    )
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "year", "icb", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="one_allocation_place_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.icb}, {self.year})"


class BudgetConfiguration(AppendOnly):
    """A budget allocation's YAML, kept as given; the latest one is shown."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="budget_configs")
    text = models.TextField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"budget for {self.place.slug} at {self.saved_at:%Y-%m-%d %H:%M}"
