"""The spend of a place, from each partner's latest mapping and ledger."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from onebudget.io.tables import read_table
from onebudget.spend.engine import SpendView, identify
from onebudget.spend.mapping import PartnerMapping, ledger_lines, load_mapping
from onebudget.spend.places import NoPracticesError, apportion, shares_for
from onebudget_web.accounts.models import Organisation
from onebudget_web.places.models import Place
from onebudget_web.spend.models import LedgerFile, MappingFile


def current_mapping(place: Place, organisation: Organisation) -> PartnerMapping | None:
    row = MappingFile.objects.filter(place=place, organisation=organisation).first()
    return None if row is None else load_mapping(row.text, source=f"{organisation.code}.yaml")


@dataclass(frozen=True)
class PlaceSpend:
    view: SpendView
    ledgers: tuple[LedgerFile, ...]
    missing: tuple[Organisation, ...]  # partners without both a mapping and a ledger


def place_spend(place: Place) -> PlaceSpend | None:
    """The one view of the place's spend, or None if no partner has uploaded a ledger."""
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
    if not ledgers:
        return None
    return PlaceSpend(_view(tuple(used)), tuple(ledgers), tuple(missing))


@lru_cache(maxsize=16)
def _view(uploads: tuple[tuple[str, str, str, str, str], ...]) -> SpendView:
    """The view from these uploads, each (mapping name, mapping text, ledger name, path,
    SHA-256): keyed by content, so the ledgers are read and mapped once, not on every page."""
    lines, rules = [], {}
    for source, text, name, path, _ in uploads:
        mapping = load_mapping(text, source=source)
        table = read_table(Path(path), sheet=mapping.sheet, header_row=mapping.header_row)
        lines += ledger_lines(table.__class__(name, table.header, table.rows), mapping)
        rules[mapping.partner] = mapping.rules
    return identify(lines, rules)


@dataclass(frozen=True)
class PlaceAmounts:
    """The place's part of each partner's spend, and who it is per head of."""

    rows: tuple[dict[str, Any], ...]  # as ``onebudget.spend.places.apportion`` makes them
    population: Decimal
    population_source: str


def place_amounts(place: Place, view: SpendView) -> PlaceAmounts | None:
    """A real council area: its share of each ICB ledger by GP-registered population. A
    synthetic place: its ledgers are its own, per head of the people in its linked data."""
    partners = sorted({partner for (_, partner, _) in view.totals})
    try:
        population, shares = shares_for(place.gss_code, partners)
        source = "people registered with the area's GP practices (2025/26)"
    except NoPracticesError:
        dataset = place.datasets.first()
        if dataset is None:
            return None
        population, shares = Decimal(dataset.persons_at_start), {}
        source = f"people in the linked data ({dataset.label})"
    rows = apportion(view, place.gss_code or place.slug, population, shares)
    return PlaceAmounts(tuple(rows), population, source)
