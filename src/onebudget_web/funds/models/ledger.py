"""The fund, its agreement versions and its ledger: transactions, entries, closed months,
forecasts, actuals files and uploads waiting to be posted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from onebudget.money import from_pence
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.places.models import Place

_Row = TypeVar("_Row", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_Row]):
    """No update or delete of many rows at once either (``save`` and ``delete`` guard one)."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(f"{self.model.__name__} rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self.model.__name__} rows are append-only")


class AppendOnly(models.Model):
    """Rows that, once written, stay as they are: not edited or deleted one at a time or
    many at once (the ledger's and the audit's tables have database triggers besides)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} rows are append-only")


class Fund(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="funds")
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=300)
    financial_year = models.PositiveSmallIntegerField()
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hosted_funds")
    partners = models.ManyToManyField(Organisation, related_name="funds")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-financial_year", "name"]

    def __str__(self) -> str:
        return self.name


class AgreementVersion(AppendOnly):
    """The agreement as YAML. A change (a variation, say) is a new version; none is lost."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["fund", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} agreement version {self.number}"


class LedgerTransaction(AppendOnly):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transactions")
    key = models.CharField(max_length=200)
    on = models.DateField()
    period = models.CharField(max_length=7)  # yyyy-mm
    description = models.CharField(max_length=300)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    posted_by = models.ForeignKey(User, on_delete=models.PROTECT)
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["fund", "key"], name="one_key_per_fund")]

    def __str__(self) -> str:
        return f"{self.key} ({self.on})"


class LedgerEntry(AppendOnly):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.CharField(max_length=200)
    # Whole pence, debit > 0 and credit < 0: integers sum exactly in every database (SQLite
    # would sum a decimal column in floating point).
    pence = models.BigIntegerField()

    class Meta:
        ordering = ["transaction", "id"]
        indexes = [models.Index(fields=["account"])]
        constraints = [models.CheckConstraint(condition=~models.Q(pence=0), name="entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"

    @property
    def amount(self) -> Decimal:
        return from_pence(self.pence)


class ClosedPeriod(AppendOnly):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="closed_periods")
    period = models.CharField(max_length=7)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT)
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "period"], name="close_a_period_once")
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.period} closed"


class ForecastOutturn(AppendOnly):
    """A scheme's forecast outturn for the year, as the pool manager recorded it in a month's
    return (the latest month's forecast is the one that counts)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="forecasts")
    scheme = models.CharField(max_length=40)
    month = models.PositiveSmallIntegerField()  # 1 = April ... 12 = March
    pence = models.BigIntegerField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "scheme", "month", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.scheme} month {self.month}: {from_pence(self.pence)}"


class ActualsImport(AppendOnly):
    """One actuals file posted to the ledger; its transactions can be reversed together."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=300)
    posted_by = models.ForeignKey(User, on_delete=models.PROTECT)
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "-posted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.posted_at:%Y-%m-%d %H:%M})"


class PendingUpload(models.Model):
    """An actuals file checked and waiting to be posted, held for the person who uploaded it
    under its own token: in the database, never on disk. Removed when it is posted, and
    swept when an hour old (an abandoned preview)."""

    token = models.CharField(max_length=64, unique=True)
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=300)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.token[:8]})"
