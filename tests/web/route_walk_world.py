"""The world the route walk runs in: two partners of place A (a council and an ICB), an
outsider council in place B, one person per role in each, and in both places a pooled fund
with a prepared settlement and a pending reversal, spend ledgers, allocation places and a
budget, disclosure waivers and an API token for everyone.

Figures are distinctive (no page could show them by chance), so that finding one on the
other side's pages means it leaked. The synthetic data is generated once (one folder for
both places); the rows are built again for each test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from onebudget.organisations import OrganisationKind
from onebudget.roles import Role
from onebudget_web.accounts import actions as accounts
from onebudget_web.accounts import waivers
from onebudget_web.allocation import actions as allocation
from onebudget_web.bcf import actions as bcf
from onebudget_web.contracts import actions as contracts
from onebudget_web.contracts import statement_actions
from onebudget_web.funds import actions as funds
from onebudget_web.funds import bookkeeping, corrections, settlements
from onebudget_web.places import actions as places
from onebudget_web.scenarios import actions as scenarios
from onebudget_web.scenarios.modelling import ProjectionFile
from onebudget_web.spend import actions as spend

BY = "system:tests"
LA, ICB = OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.ICB
ORGANISATIONS: dict[str, tuple[str, str, OrganisationKind]] = {
    "council_a": ("E06099101", "Aldmoor Council", LA),
    "icb_a": ("QALDMR", "NHS Aldmoor Integrated Care Board", ICB),
    "council_b": ("E06099102", "Brindlecombe Council", LA),
    "icb_b": ("QBRNDL", "NHS Brindlecombe Integrated Care Board", ICB),
}
PEOPLE_IN = ("council_a", "icb_a", "council_b")  # icb_b has no one: place B's other partner
SIDE_OF = {"council_a": "a", "icb_a": "a", "council_b": "b", "icb_b": "b"}
PARTNERS = {"a": frozenset({"council_a", "icb_a"}), "b": frozenset({"council_b", "icb_b"})}
HOST = {"a": "council_a", "b": "council_b"}  # each fund's host partner
PLACES = {
    "a": ("aldmoor-place", "Aldmoor Place"),
    "b": ("brindlecombe-place", "Brindlecombe Place"),
}
FUNDS = {"a": ("S75-ALDMOOR", "Aldmoor pooled fund"), "b": ("S75-BRINDLE", "Brindle pool")}
WORD = {"a": "aldmoor", "b": "brindle"}  # in each side's usernames
# Money, distinctive on purpose: (host's contribution, the ICB's), a spend ledger line, and
# the allocation budget
CONTRIBUTIONS = {"a": ("73914.26", "51862.47"), "b": ("64738.19", "39517.83")}
SPEND = {"a": "86417.39", "b": "92583.14"}
BUDGET = {"a": "48213.57", "b": "57329.61"}
# A ledger line no rule maps: line detail, for its own organisation's people only
UNMAPPED = {"a": "Aldmoor sundry widgets", "b": "Brindlecombe sundry gadgets"}
SAVED_PLACE = {"a": "Aldmoor practices", "b": "Brindlecombe practices"}

MAPPING = """partner: {code}
name: {name}
ledger: {{file: ledger.csv}}
columns:
  cost_centre: Cost Centre
  account: Account
  description: Description
  amount: Amount
  month: {{column: Posting Date, format: "%d/%m/%Y"}}
services:
  - {{id: home-care, service: ASC_HOME_CARE, cost_centre: {{exact: ASC130}}}}
"""
LEDGER = (
    "Cost Centre,Account,Description,Amount,Posting Date\n"
    "ASC130,5001,Home care packages,{amount},15/05/2025\n"
    "ZZZ999,5002,{unmapped},10.00,16/05/2025\n"
)


@dataclass
class World:
    """Everything the table's URLs and forms name, and every person and token."""

    orgs: dict[str, Any]
    places: dict[str, Any]
    funds: dict[str, Any]
    people: dict[tuple[str, Role], Any]
    tokens: dict[tuple[str, Role], str] = field(default_factory=dict)
    token_ids: dict[tuple[str, Role], int] = field(default_factory=dict)
    transaction: dict[str, int] = field(default_factory=dict)  # one that may be reversed
    reversal: dict[str, int] = field(default_factory=dict)
    saved_place: dict[str, int] = field(default_factory=dict)
    session_json: dict[str, bytes] = field(default_factory=dict)
    contract: dict[str, int] = field(default_factory=dict)  # its pk: a block contract
    scenario: dict[str, int] = field(default_factory=dict)  # its number: the host's analyst's

    def code(self, org: str) -> str:
        return ORGANISATIONS[org][0]

    def fund(self, side: str) -> str:
        return str(self.funds[side].code)

    def slug(self, side: str) -> str:
        return PLACES[side][0]


def secrets_of(world: World, side: str) -> list[str]:
    """What identifies one side's records: its names, codes and money. None may reach the
    other side, nor anyone signed out."""
    found = [PLACES[side][0], PLACES[side][1], *FUNDS[side], world.fund(side)]
    found += [s for org in PARTNERS[side] for s in ORGANISATIONS[org][:2]]
    found += [
        s
        for (org, _), u in world.people.items()
        if SIDE_OF[org] == side
        for s in (u.username, u.full_name)
    ]
    figures = [*CONTRIBUTIONS[side], SPEND[side], BUDGET[side]]
    found += figures + [f"{float(f):,.2f}" for f in figures]
    return [*found, UNMAPPED[side], SAVED_PLACE[side]]


def build_world(data: Path) -> World:
    """The whole world, on the synthetic data generated once in ``data``."""
    orgs = {
        k: accounts.create_organisation(by=BY, code=c, name=n, kind=kind)
        for k, (c, n, kind) in ORGANISATIONS.items()
    }
    manifest = json.loads((data / "manifest.json").read_text())
    found: dict[str, Any] = {}
    for side, (slug, name) in PLACES.items():
        partners = [orgs[o] for o in sorted(PARTNERS[side])]
        found[side] = places.create_place(
            by=BY, name=name, slug=slug, kind="council_area", partners=partners
        )
        places.register_dataset(by=BY, place=found[side], path=str(data), manifest=manifest)
    world = World(orgs=orgs, places=found, funds={}, people=_people(orgs))
    for side in PLACES:
        _fund(world, side)
        _spend(world, side)
        _allocation(world, side)
        _bcf(world, side)
        _contract(world, side)
        _scenario(world, side)
        _waiver(world, HOST[side])
    _tokens(world)
    return world


def _people(orgs: dict[str, Any]) -> dict[tuple[str, Role], Any]:
    """One person per role in each organisation with people, holding that role alone."""
    people = {}
    for org in PEOPLE_IN:
        for role in Role:
            user = accounts.create_user(
                by=BY,
                username=f"{WORD[SIDE_OF[org]]}-{org.split('_')[0]}-{role.value}",
                full_name=f"{role.label} at {ORGANISATIONS[org][1]}",
                password=None,  # signed in by the test client: no slow password hashing
            )
            accounts.grant_role(by=BY, user=user, organisation=orgs[org], role=role)
            people[(org, role)] = user
    return people


def agreement(world: World, side: str, fund_id: str | None = None) -> str:
    """The side's pooled fund agreement (or another fund's, under ``fund_id``)."""
    host, icb = sorted(PARTNERS[side], key=lambda o: o != HOST[side])
    mine, theirs = CONTRIBUTIONS[side]
    manager = world.people[(HOST[side], Role.POOL_MANAGER)].full_name
    return (
        f"id: {fund_id or FUNDS[side][0]}\nname: {FUNDS[side][1]}\nfinancial_year: 2025\n"
        f"host: {world.code(host)}\npool_manager: {manager}\npartners:\n"
        f"- {{code: {world.code(host)}, name: {ORGANISATIONS[host][1]}}}\n"
        f"- {{code: {world.code(icb)}, name: {ORGANISATIONS[icb][1]}}}\n"
        f"schemes:\n- {{code: A, name: Home care, contributions: "
        f"{{{world.code(host)}: {mine}, {world.code(icb)}: {theirs}}}}}\n"
    )


def bcf_plan(world: World, side: str) -> str:
    """The demo's Better Care Fund plan, made the side's: its council, ICB and names."""
    council, icb = sorted(PARTNERS[side], key=lambda o: o != HOST[side])
    text = resources.files("onebudget") / "definitions/bcf/plans/E06099001-2025-26.yaml"
    return (
        text.read_text(encoding="utf-8")
        .replace("name: Fernmouth}", f"name: {PLACES[side][1]}}}")
        .replace("E06099001", world.code(council))
        .replace("QZZ", world.code(icb))
        .replace("Fernmouth Council}", f"{ORGANISATIONS[council][1]}}}")
        .replace("NHS Fernmouth and Westvale Integrated Care Board", ORGANISATIONS[icb][1])
    )


def _bcf(world: World, side: str) -> None:
    """A draft plan, recorded by the host council's commissioner."""
    by = world.people[(HOST[side], Role.COMMISSIONER)]
    sent = bcf.PlanFile("plan.yaml", text=bcf_plan(world, side))
    bcf.record_version(by=by, place=world.places[side], sent=sent)


def contract_text(world: World, side: str, annual: str = "12000.00") -> str:
    """A block contract between the side's council and a provider not in the service, paid
    from scheme A of the side's pooled fund."""
    council = HOST[side]
    return (
        f"id: C-{WORD[side].upper()}-BLOCK\nname: {PLACES[side][1]} day services\n"
        f"commissioners:\n- {{code: {world.code(council)}, name: {ORGANISATIONS[council][1]}}}\n"
        f"providers:\n- {{code: ZZW0{side.upper()}, name: {PLACES[side][1]} Day Care Ltd}}\n"
        f"term: {{start: 2025-04-01, end: 2026-03-31}}\nannual_value: {annual}\n"
        f"funding: {{fund: {FUNDS[side][0]}, scheme: A}}\nperiods: quarterly\n"
        f"mechanism: {{kind: block, annual: {annual}}}\n"
    )


def _contract(world: World, side: str) -> None:
    """The contract, its first quarter's statement worked out (not yet posted)."""
    by = world.people[(HOST[side], Role.COMMISSIONER)]
    sent = contracts.ContractFile("contract.yaml", contract_text(world, side))
    version = contracts.record_contract(by=by, place=world.places[side], sent=sent)
    inputs = statement_actions.InputsFile("inputs.yaml", b"2025-Q1: {volume: {}}\n")
    statement_actions.work_statements(
        by=by, contract=version.contract, period="2025-Q1", sent=inputs
    )
    world.contract[side] = version.contract.pk


SCENARIO = """name: Walk scenario
baseline_year: 2024
years: 2
runs: 20
growth: {non_demographic: {uniform: [0, 0.02]}, inflation: 0.02}
population: {snpp: walk.csv, area: E06000001}
interventions: [{id: reablement, scale: 0.5}]
"""


def projection() -> bytes:
    """An ONS-style projection for the walk's scenario: 100 of each age and sex, 2024-2026."""
    lines = ["AREA_CODE,SEX,AGE_GROUP,2024,2025,2026"]
    for sex in ("females", "males"):
        lines += [f"E06000001,{sex},{age},100,101,102" for age in [*range(90), "90 and over"]]
    return ("\n".join(lines) + "\n").encode()


def _scenario(world: World, side: str) -> None:
    """A saved scenario (a few runs: the walk reads it, never models one), saved by the host
    council's analyst, so the council owns it; the first year is the fund's, so it proposes
    a variation."""
    by = world.people[(HOST[side], Role.ANALYST)]
    sent = scenarios.ScenarioFile("walk.yaml", SCENARIO)
    ons = [ProjectionFile("walk.csv", projection())]
    world.scenario[side] = scenarios.save_scenario(
        by=by, place=world.places[side], sent=sent, projection=ons
    ).number


def _fund(world: World, side: str) -> None:
    """Instalments posted, a settlement prepared (awaiting approval), one reversal pending."""
    manager = world.people[(HOST[side], Role.POOL_MANAGER)]
    fund = funds.create_fund(by=manager, place=world.places[side], text=agreement(world, side))
    bookkeeping.post_instalments(by=manager, fund=fund)
    settlements.prepare_settlement(
        by=manager, fund=fund, override="Test data: no month is closed", nil=["A"]
    )
    first, second = fund.transactions.order_by("pk")[:2]
    reversal = corrections.prepare_reversal(
        by=manager, fund=fund, reason="Posted to the wrong scheme", transaction=first
    )
    world.funds[side] = fund
    world.transaction[side], world.reversal[side] = second.pk, reversal.pk  # second: reversible


def mapping_for(world: World, org: str) -> str:
    return MAPPING.format(code=world.code(org), name=ORGANISATIONS[org][1])


def ledger_for(side: str) -> bytes:
    return LEDGER.format(amount=SPEND[side], unmapped=UNMAPPED[side]).encode()


def _spend(world: World, side: str) -> None:
    """Each partner's mapping (where it has people); the host's ledger, with a mapped line
    and an unmapped one."""
    import tempfile

    place, host = world.places[side], HOST[side]
    for org in sorted(PARTNERS[side] & set(PEOPLE_IN)):
        spend.upload_mapping(
            by=world.people[(org, Role.FINANCE)],
            place=place,
            organisation=world.orgs[org],
            text=mapping_for(world, org),
            source=f"{org}.yaml",
        )
    with tempfile.TemporaryDirectory() as folder:
        ledger = Path(folder) / "ledger.csv"
        ledger.write_bytes(ledger_for(side))
        spend.upload_ledger(
            by=world.people[(host, Role.FINANCE)],
            place=place,
            organisation=world.orgs[host],
            upload=ledger,
            name="ledger.csv",
        )


def _allocation(world: World, side: str) -> None:
    """A place saved by the host council's analyst, and a budget for it."""
    from onebudget.allocation.places import Choice, write_session
    from onebudget_web.allocation.selectors import as_library_place

    analyst, name = world.people[(HOST[side], Role.ANALYST)], SAVED_PLACE[side]
    saved = allocation.save_place(
        by=analyst,
        place=world.places[side],
        name=name,
        year="2025/26",
        icb="QWO",
        choice=Choice(practices=("B85005", "B85022")),
    )
    allocation.save_budget(
        by=analyst, place=world.places[side], text=budget(side), source="budget.yaml"
    )
    world.saved_place[side] = saved.pk
    world.session_json[side] = write_session([as_library_place(saved)], year="2025/26").encode()


def budget(side: str) -> str:
    name = SAVED_PLACE[side]
    return (
        f"year: 2025/26\nbudget: {BUDGET[side]}\nicb: QWO\nplaces:\n"
        f"  {name}: {{practices: [B85005]}}\n  Other: {{practices: [B85022]}}\n"
        "components:\n  - {name: C, share: 1, index: G&A}\n"
    )


def _waiver(world: World, org: str) -> None:
    """The host council's analyst may see unsuppressed outputs (granted by its admin)."""
    waivers.grant_disclosure_waiver(
        by=world.people[(org, Role.ADMIN)],
        user=world.people[(org, Role.ANALYST)],
        organisation=world.orgs[org],
        reason="Checking the walk's outputs",
        days=30,
    )


def _tokens(world: World) -> None:
    for key, user in world.people.items():
        token, api_token = accounts.issue_api_token(by=BY, user=user, name="walk")
        world.tokens[key], world.token_ids[key] = token, api_token.pk
