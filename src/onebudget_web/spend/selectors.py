"""The spend of a place, from each partner's latest mapping and ledger, a year at a time."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from onebudget.io.tables import read_table
from onebudget.spend.engine import SpendView, identify
from onebudget.spend.mapping import PartnerMapping, ledger_lines, load_mapping
from onebudget.spend.places import NoPracticesError, apportion, shares_for
from onebudget.spend.rules import SpendLine
from onebudget.spend.years import by_year, in_year
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.places.models import Place
from onebudget_web.spend.models import LedgerFile, MappingFile, PendingLedger

PENDING_FOR = timedelta(days=1)  # a preview not confirmed by then is swept
Upload = tuple[str, str, str, str, str]  # mapping name, mapping text, ledger name, path, SHA-256


def current_mapping(place: Place, organisation: Organisation) -> PartnerMapping | None:
    row = MappingFile.objects.filter(place=place, organisation=organisation).first()
    return None if row is None else load_mapping(row.text, source=f"{organisation.code}.yaml")


@dataclass(frozen=True)
class PlaceSpend:
    view: SpendView  # every year the ledgers hold, together
    ledgers: tuple[LedgerFile, ...]
    missing: tuple[Organisation, ...]  # partners without both a mapping and a ledger
    years: Mapping[int, SpendView]  # each financial year that has lines, earliest first

    def year(self, year: int | None) -> SpendView:
        """One financial year's view (a year with no lines: nothing, every partner nil)."""
        if year is None:
            return self.view
        return self.years.get(year) or in_year(self.view, year)


def place_spend(place: Place) -> PlaceSpend | None:
    """The one view of the place's spend, or None if no partner has uploaded a ledger."""
    used, ledgers, missing = _uploads(place)
    if not ledgers:
        return None
    return PlaceSpend(_view(used), tuple(ledgers), tuple(missing), _years(used))


def _uploads(place: Place) -> tuple[tuple[Upload, ...], list[LedgerFile], list[Organisation]]:
    used, ledgers, missing = [], [], []
    for organisation in place.partners.order_by("code"):
        mapping = MappingFile.objects.filter(place=place, organisation=organisation).first()
        ledger = LedgerFile.objects.filter(place=place, organisation=organisation).first()
        if mapping is None or ledger is None:
            missing.append(organisation)
            continue
        used.append(
            (f"{organisation.code}.yaml", mapping.text, ledger.name, ledger.path, ledger.sha256)
        )
        ledgers.append(ledger)
    return tuple(used), ledgers, missing


@lru_cache(maxsize=16)
def _view(uploads: tuple[Upload, ...]) -> SpendView:
    """The view from these uploads, each (mapping name, mapping text, ledger name, path,
    SHA-256): keyed by content, so the ledgers are read and mapped once, not on every page."""
    lines: list[SpendLine] = []
    rules = {}
    for upload in uploads:
        mapping = load_mapping(upload[1], source=upload[0])
        lines += _lines(upload, mapping)
        rules[mapping.partner] = mapping.rules
    return identify(lines, rules)


_READ: OrderedDict[tuple[str, str, str, str], tuple[SpendLine, ...]] = OrderedDict()


def _lines(upload: Upload, mapping: PartnerMapping) -> tuple[SpendLine, ...]:
    """One ledger's lines, kept by content, not by where the file is: a ledger read for its
    preview is not read again when, confirmed, it moves to the kept ones."""
    source, text, name, path, digest = upload
    key = (source, text, name, digest)
    if key not in _READ:
        table = read_table(Path(path), sheet=mapping.sheet, header_row=mapping.header_row)
        _READ[key] = tuple(ledger_lines(table.__class__(name, table.header, table.rows), mapping))
        while len(_READ) > 32:
            _READ.popitem(last=False)
    _READ.move_to_end(key)
    return _READ[key]


@lru_cache(maxsize=16)
def _years(uploads: tuple[Upload, ...]) -> Mapping[int, SpendView]:
    """Each year's view of the same uploads, kept beside it: narrowed once, not per page."""
    return by_year(_view(uploads))


@dataclass(frozen=True)
class PlaceAmounts:
    """The place's part of each partner's spend, and who it is per head of."""

    rows: tuple[dict[str, Any], ...]  # as ``onebudget.spend.places.apportion`` makes them
    population: Decimal
    population_source: str  # who is counted
    population_when: str  # and when: a population is of a date or a year


def place_amounts(place: Place, view: SpendView) -> PlaceAmounts | None:
    """A real council area: its share of each ICB ledger by GP-registered population. A
    synthetic place: its ledgers are its own, per head of the people in its linked data."""
    partners = sorted({partner for (_, partner, _) in view.totals})
    try:
        population, shares = shares_for(place.gss_code, partners)
        source = "people registered with the area's GP practices"
        when = "in NHS England's GP-practice population file for 2025/26"
    except NoPracticesError:
        dataset = place.datasets.first()
        if dataset is None:
            return None
        population, shares = Decimal(dataset.persons_at_start), {}
        source = f"people in the linked data ({dataset.label})"
        when = f"on 1 January {dataset.first_year}, when the data start"
    rows = apportion(view, place.gss_code or place.slug, population, shares)
    return PlaceAmounts(tuple(rows), population, source, when)


def pending_ledger(user: User, place: Place, token: str) -> PendingLedger | None:
    """The user's own previewed ledger for the place, unless confirmed, cancelled or stale:
    anyone else's token finds nothing."""
    return (
        PendingLedger.objects.select_related("organisation", "mapping", "replaces")
        .filter(
            token=token,
            place=place,
            user=user,
            created_at__gte=timezone.now() - PENDING_FOR,
        )
        .first()
    )


@dataclass(frozen=True)
class Replacement:
    """The place's spend now and as it would be with the pending ledger in use."""

    before: Mapping[int, SpendView]
    after_view: SpendView
    after: Mapping[int, SpendView]


def replacement(place: Place, pending: PendingLedger) -> Replacement:
    """Every partner's ledger as in use, with the pending one in place of its partner's."""
    used, _, _ = _uploads(place)
    code = pending.organisation.code
    mine = (f"{code}.yaml", pending.mapping.text, pending.name, pending.path, pending.sha256)
    others = [u for u in used if u[0] != mine[0]]
    after = tuple(sorted([*others, mine]))
    return Replacement(_years(used) if used else {}, _view(after), _years(after))
