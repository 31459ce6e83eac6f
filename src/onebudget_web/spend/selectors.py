"""The spend of a place, from each partner's latest mapping and ledger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onebudget.io.tables import read_table
from onebudget.spend.engine import SpendView, identify
from onebudget.spend.mapping import PartnerMapping, ledger_lines, load_mapping
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
    lines, rules, ledgers, missing = [], {}, [], []
    for organisation in place.partners.order_by("code"):
        mapping = current_mapping(place, organisation)
        ledger = LedgerFile.objects.filter(place=place, organisation=organisation).first()
        if mapping is None or ledger is None:
            missing.append(organisation)
            continue
        table = read_table(Path(ledger.path), sheet=mapping.sheet, header_row=mapping.header_row)
        lines += ledger_lines(table.__class__(ledger.name, table.header, table.rows), mapping)
        rules[mapping.partner] = mapping.rules
        ledgers.append(ledger)
    if not ledgers:
        return None
    return PlaceSpend(identify(lines, rules), tuple(ledgers), tuple(missing))
