"""Load the demo place through the same actions a person would use, so it is audited too."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from onebudget import demo
from onebudget.allocation.budget import load_budget
from onebudget.allocation.places import Choice
from onebudget.io.tables import read_table
from onebudget.population.synth.generate import SynthConfig, generate
from onebudget.population.synth.writer import write
from onebudget.spend.mapping import EXAMPLES, read_mapping
from onebudget_web.accounts import actions as accounts
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.allocation import actions as allocation
from onebudget_web.funds import actions as funds
from onebudget_web.funds import bookkeeping
from onebudget_web.funds.models import Fund
from onebudget_web.places import actions as places
from onebudget_web.places.models import Place, PlaceDataset
from onebudget_web.spend import actions as spend

LOADER = "system:demo-loader"


DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoLoaded:
    created: bool
    organisations: int
    places: int
    users: int


@transaction.atomic
def load_demo_place() -> DemoLoaded:
    """Create the demo place once. Loading it again changes nothing."""
    if not settings.ONEBUDGET_ALLOW_DEMO:
        raise ImproperlyConfigured("Demo data is switched off (ONEBUDGET_ALLOW_DEMO) here.")
    if Place.objects.filter(slug=demo.PLACES[0].slug).exists():
        return DemoLoaded(False, len(demo.ORGANISATIONS), len(demo.PLACES), len(demo.USERS))
    orgs = {
        o.code: accounts.create_organisation(by=LOADER, code=o.code, name=o.name, kind=o.kind)
        for o in demo.ORGANISATIONS
    }
    for p in demo.PLACES:
        places.create_place(
            by=LOADER,
            name=p.name,
            slug=p.slug,
            kind=Place.COUNCIL_AREA,
            description=p.description,
            gss_code=p.gss_code,
            partners=[orgs[code] for code in p.partner_codes],
        )
    for u in demo.USERS:
        user = accounts.create_user(
            by=LOADER, username=u.username, full_name=u.full_name, password=demo.DEMO_PASSWORD
        )
        for role in u.roles:
            accounts.grant_role(
                by=LOADER, user=user, organisation=orgs[u.organisation_code], role=role
            )
    return DemoLoaded(True, Organisation.objects.count(), len(demo.PLACES), len(demo.USERS))


def load_demo_data(data_dir: Path, *, persons: int) -> PlaceDataset | None:
    """Generate synthetic linked data for the demo place once, and register it.

    Written under ``data_dir/places/<slug>``; a second call finds it and does nothing.
    """
    place = Place.objects.get(slug=demo.PLACES[0].slug)
    existing = place.datasets.first()
    if existing is not None or persons <= 0:
        return existing
    spec = demo.PLACES[0]
    out = data_dir / "places" / spec.slug
    if out.exists():
        shutil.rmtree(out)  # a half-written folder from an interrupted start
    names = {o.code: o.name for o in demo.ORGANISATIONS}
    config = SynthConfig(
        persons=persons,
        seed=DEMO_SEED,
        name=spec.name,
        council_code=spec.gss_code,
        icb_code=demo.DEMO_ICB,
        council_name=names[spec.gss_code],
        icb_name=names[demo.DEMO_ICB],
    )
    write(generate(config), out)
    manifest = json.loads((out / "manifest.json").read_text())
    return places.register_dataset(by=LOADER, place=place, path=str(out), manifest=manifest)


DEMO_FUND_YEAR = "2025-26"


def load_demo_fund(dataset: PlaceDataset) -> Fund | None:
    """Set up the demo place's pooled fund from the agreement its synthetic data came with:
    as the pool manager, post the instalments and the year's actuals and close April to
    December, so the settlement is ready to prepare. Once only."""
    place = dataset.place
    own = place.funds.filter(bcf_plan__isnull=True)  # not the Better Care Fund's own fund
    if own.exists():
        return own.first()
    folder = Path(dataset.path) / "pooled_fund"
    agreement = folder / f"agreement_{DEMO_FUND_YEAR}.yaml"
    if not agreement.exists():
        return None
    manager = User.objects.get(username="pool-manager")
    with transaction.atomic():
        fund = funds.create_fund(
            by=manager, place=place, text=agreement.read_text(encoding="utf-8")
        )
        bookkeeping.post_instalments(by=manager, fund=fund)
        table = read_table(folder / "monthly_actuals.csv")
        bookkeeping.import_actuals(by=manager, fund=fund, table=table)
        for month in [f"{fund.financial_year}-{m:02d}" for m in range(4, 13)]:
            funds.close_period(by=manager, fund=fund, period=month)
    return fund


def load_demo_spend(dataset: PlaceDataset) -> int:
    """Each partner's finance officer uploads the example mapping and the synthetic ledger
    of the demo place (as a person would, through the same actions). Once only."""
    place = dataset.place
    if place.spend_ledgers.exists():
        return 0
    folder = Path(dataset.path) / "ledgers"
    uploads = (("finance", demo.PLACES[0].gss_code), ("icb-finance", demo.DEMO_ICB))
    count = 0
    with transaction.atomic():
        for username, code in uploads:
            by = User.objects.get(username=username)
            organisation = Organisation.objects.get(code=code)
            mapping_file = Path(str(EXAMPLES)) / f"{code}.yaml"
            spend.upload_mapping(
                by=by,
                place=place,
                organisation=organisation,
                text=mapping_file.read_text(encoding="utf-8"),
                source=mapping_file.name,
            )
            mapping = read_mapping(mapping_file)
            spend.upload_ledger(
                by=by,
                place=place,
                organisation=organisation,
                upload=folder / mapping.file,
                name=mapping.file,
            )
            count += 1
    return count


def load_demo_allocation() -> int:
    """The ICB analyst saves NHS England's default place (four Kirklees practices) and the
    five West Yorkshire council areas, and allocates the shipped example budget. Once only."""
    place = Place.objects.get(slug=demo.PLACES[0].slug)
    if place.allocation_places.exists():
        return 0
    by = User.objects.get(username="analyst")
    example = resources.files("onebudget") / "definitions" / "allocation"
    config = (example / "west-yorkshire-2025-26.yaml").read_text(encoding="utf-8")
    councils = load_budget(config, source="example").places
    with transaction.atomic():
        allocation.save_place(
            by=by, place=place, name="Huddersfield South", year="2025/26", icb="QWO",
            choice=Choice(practices=("B85005", "B85022", "B85061", "B85026")),
        )  # fmt: skip
        for name, spec in councils.items():
            allocation.save_place(
                by=by, place=place, name=name, year="2025/26", icb="QWO", choice=spec.choice()
            )
        allocation.save_budget(by=by, place=place, text=config, source="west-yorkshire.yaml")
    return 1 + len(councils)
