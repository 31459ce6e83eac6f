"""The demo place's provider contracts: one of each kind for Fernmouth (``definitions/
contracts/fernmouth``), each recorded by the joint commissioner, with the first two quarters'
statements worked out from the period's figures and, for those its Better Care Fund pays,
posted to that fund's ledger by the pool manager. Harbourside Care (the demo provider)
disputes a line of its second home care statement, and the dispute waits for the
commissioner. Everything goes through the actions a person would use, so it is audited."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable

from django.db import transaction

from onebudget.contracts.load import load_contract
from onebudget_web.accounts.models import User
from onebudget_web.contracts import actions, statement_actions
from onebudget_web.contracts.actions import ContractFile
from onebudget_web.contracts.models import ProviderContract
from onebudget_web.contracts.statement_actions import InputsFile
from onebudget_web.places.models import Place

FOLDER = resources.files("onebudget") / "definitions" / "contracts" / "fernmouth"
INPUTS = "inputs-2025-26.yaml"
PERIODS = ("2025-Q1", "2025-Q2")
DISPUTE = (
    "C-FERN-2025-HOMECARE", "2025-Q2", "ZZC01", 0,
    "Our rota shows 65,400 home care hours in July to September, not 64,800: the 600 hours "
    "of the September bank holiday cover are missing.",
)  # fmt: skip


def contracted() -> dict[str, Decimal]:
    """What the demo contracts pay a year from each scheme of the funds that pay them: the
    Better Care Fund's other spending (imported as actuals) is the rest of each scheme's. An
    alliance's statements are its members' shares of the gain or pain, not the cost of the
    care, which stays the scheme's other spending."""
    found: dict[str, Decimal] = {}
    for f in _files():
        contract = load_contract(f.read_text(encoding="utf-8"), source=f.name)
        if contract.funding is not None and contract.mechanism.kind != "alliance":
            scheme = contract.funding.scheme
            found[scheme] = found.get(scheme, Decimal(0)) + contract.annual_value
    return found


def _files() -> list[Traversable]:
    return sorted((f for f in FOLDER.iterdir() if f.name[0].isdigit()), key=lambda f: f.name)


def person(username: str) -> User:
    return User.objects.get(username=username)


def load_demo_contracts(place: Place) -> int:
    """Record the contracts and their statements, once (after the Better Care Fund's fund
    is built: most are paid from it). Returns how many contracts were recorded."""
    if place.contracts.exists() or not place.funds.filter(bcf_plan__isnull=False).exists():
        return 0
    files = _files()
    inputs = (FOLDER / INPUTS).read_bytes()
    with transaction.atomic():
        for f in files:
            sent = ContractFile(name=f.name, text=f.read_text(encoding="utf-8"))
            version = actions.record_contract(by=person("commissioner"), place=place, sent=sent)
            _statements(version.contract, inputs)
        _dispute(place)
    return len(files)


def _statements(contract: ProviderContract, inputs: bytes) -> None:
    for period in PERIODS:
        statement_actions.work_statements(
            by=person("commissioner"), contract=contract, period=period,
            sent=InputsFile(INPUTS, inputs),
        )  # fmt: skip
        if contract.fund is not None:
            statement_actions.post_statements(
                by=person("pool-manager"), contract=contract, period=period
            )


def _dispute(place: Place) -> None:
    code, period, provider, step, reason = DISPUTE
    statement = place.contracts.get(code=code).statements.get(period=period, provider_code=provider)
    statement_actions.raise_dispute(
        by=person("provider"), statement=statement, step=int(step), reason=str(reason)
    )
