"""Each partner's mapping file and ledger extract for a place: every upload kept, the latest
used. Uploads are checked in full before they are kept (``actions``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onebudget_web.accounts.models import Organisation, User
from onebudget_web.funds.models import AppendOnly
from onebudget_web.places.models import Place


class MappingFile(AppendOnly):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="spend_mappings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    text = models.TextField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "organisation", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation.code} mapping for {self.place.slug}"


class LedgerFile(AppendOnly):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="spend_ledgers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    name = models.CharField(max_length=200)  # as the partner named it
    path = models.CharField(max_length=500)  # where the service keeps it
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["place", "organisation", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation.code} ledger {self.name} for {self.place.slug}"
