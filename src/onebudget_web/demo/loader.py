"""Load the demo place through the same actions a person would use, so it is audited too."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from onebudget import demo
from onebudget_web.accounts import actions as accounts
from onebudget_web.accounts.models import Organisation
from onebudget_web.places import actions as places
from onebudget_web.places.models import Place

LOADER = "system:demo-loader"


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
