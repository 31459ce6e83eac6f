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


class PendingLedger(models.Model):
    """A ledger extract checked and previewed, waiting for its uploader to confirm that it
    replaces the partner's ledger in use. The file waits under the data folder, recorded with
    its SHA-256 so that the confirmation uses exactly the file previewed; with the mapping it
    was read through and the ledger it would replace, so that a change to either since the
    preview is refused. Removed on confirmation or cancellation; swept when a day old."""

    token = models.CharField(max_length=64, unique=True)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    mapping = models.ForeignKey(MappingFile, on_delete=models.CASCADE, related_name="+")
    replaces = models.ForeignKey(
        LedgerFile, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)  # as the partner named it
    path = models.CharField(max_length=500)  # where the service holds it
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.organisation.code} ledger {self.name} awaiting confirmation"
