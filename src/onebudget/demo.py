"""The demo place: fictional partners, places and people, as plain data.

It lives in the library so that the CLI can describe the demo and any loader (today the web
service; later the synthetic-data generator) builds the same place. Every name and code is
fictional: GSS codes in the unused E06099xxx range and ODS codes beginning with Z-series
letters that no real body holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from onebudget.organisations import OrganisationKind
from onebudget.roles import Role

DEMO_PASSWORD = "onebudget-demo"  # printed at start-up; the production settings refuse demo data
DEMO_ICB = "QZZ"
DEMO_PERSONS = 260_000  # Fernmouth's people, for its synthetic linked data


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    code: str
    name: str
    kind: OrganisationKind


@dataclass(frozen=True, slots=True)
class DemoPlace:
    slug: str
    name: str
    description: str
    gss_code: str
    partner_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    full_name: str
    organisation_code: str
    roles: tuple[Role, ...]


K = OrganisationKind
ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("E06099001", "Fernmouth Council", K.LOCAL_AUTHORITY),
    DemoOrganisation("QZZ", "NHS Fernmouth and Westvale Integrated Care Board", K.ICB),
    DemoOrganisation("RZZ", "Fernmouth Hospitals NHS Foundation Trust", K.NHS_TRUST),
    DemoOrganisation("RZY", "Fernmouth Community Health Services NHS Trust", K.NHS_TRUST),
    DemoOrganisation("ZZC01", "Harbourside Care Ltd", K.PROVIDER),
    DemoOrganisation("ZZV01", "Fernmouth Carers Together", K.VOLUNTARY_SECTOR),
    DemoOrganisation("E06099002", "Westvale Council", K.LOCAL_AUTHORITY),
)

PLACES: tuple[DemoPlace, ...] = (
    DemoPlace(
        slug="fernmouth",
        name="Fernmouth",
        description="A fictional coastal unitary council area of about 260,000 people.",
        gss_code="E06099001",
        partner_codes=("E06099001", "QZZ", "RZZ", "RZY", "ZZC01", "ZZV01"),
    ),
    DemoPlace(
        slug="westvale",
        name="Westvale",
        description="A fictional neighbouring council area in the same integrated care board.",
        gss_code="E06099002",
        partner_codes=("E06099002", "QZZ"),
    ),
)

R = Role
USERS: tuple[DemoUser, ...] = (
    DemoUser("viewer", "Vic Viewer (Health and Wellbeing Board member)", "E06099001", (R.VIEWER,)),
    DemoUser("analyst", "Ana Lyst (ICB analyst)", "QZZ", (R.ANALYST,)),
    DemoUser("finance", "Fin Lead (council finance)", "E06099001", (R.FINANCE,)),
    DemoUser("icb-finance", "Isla Banks (ICB finance)", "QZZ", (R.FINANCE,)),
    DemoUser("commissioner", "Cam Missioner (joint commissioner)", "E06099001", (R.COMMISSIONER,)),
    DemoUser(
        "pool-manager", "Pat Pool (pool manager, host partner)", "E06099001", (R.POOL_MANAGER,)
    ),
    DemoUser("admin", "Addy Min (ICB administrator)", "QZZ", (R.ADMIN,)),
    DemoUser("provider", "Pru Vider (care provider)", "ZZC01", (R.VIEWER,)),
    DemoUser("westvale", "Wes Vale (Westvale commissioner)", "E06099002", (R.COMMISSIONER,)),
)
