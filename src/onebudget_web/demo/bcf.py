"""The demo place's Better Care Fund: Fernmouth's 2025/26 plan recorded, agreed by both
finance leads, signed off by the board and assured; its pooled fund set up from it, with the
instalments and April to December's spend posted; and the first two quarters' returns.
Everything goes through the actions a person would use, so it is audited as theirs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

import numpy as np
from django.db import transaction

from onebudget.bcf.plan import load_plan
from onebudget.io.tables import RawTable
from onebudget_web.accounts.models import User
from onebudget_web.bcf import actions, fund_actions
from onebudget_web.bcf.models import BcfPlan
from onebudget_web.bcf.return_actions import record_return
from onebudget_web.demo.contracts import contracted
from onebudget_web.funds import bookkeeping
from onebudget_web.places.models import Place

PLAN = resources.files("onebudget") / "definitions" / "bcf" / "plans" / "E06099001-2025-26.yaml"
SIGNED_OFF, ASSURED = date(2025, 3, 20), date(2025, 5, 9)
CHAIR = "Cllr Morwenna Trelawny, Chair of Fernmouth Health and Wellbeing Board"
SEED = 2026
POOL_MANAGER = "Pat Pool, pool manager, Fernmouth Council"
MONTHS = range(1, 10)  # April to December 2025, as far as the demo's data go
NARRATIVE = {
    "Q1": {
        "discharge_delays": {
            "achievements": "Discharge to assess now takes referrals seven days a week.",
        },
    },
    "Q2": {
        "emergency_admissions_65_plus": {
            "challenges": "A wet summer brought more falls than planned.",
            "support_needs": "Help to extend urgent community response into the evenings.",
        },
    },
}


def person(username: str) -> User:
    return User.objects.get(username=username)


def load_demo_bcf(place: Place) -> BcfPlan | None:
    """The plan, its steps and its fund with spend posted. Once only."""
    if place.bcf_plans.exists():
        return place.bcf_plans.first()
    text = PLAN.read_text(encoding="utf-8")
    with transaction.atomic():
        sent = actions.PlanFile(PLAN.name, text=text)
        version = actions.record_version(by=person("commissioner"), place=place, sent=sent)
        for username, code in (("finance", "E06099001"), ("icb-finance", "QZZ")):
            partner = place.partners.get(code=code)
            actions.agree(by=person(username), version=version, organisation=partner)
        actions.sign_off(
            by=person("commissioner"), version=version, named_person=CHAIR,
            decided_on=SIGNED_OFF, note="Minute 14/25",
        )  # fmt: skip
        actions.assure(by=person("commissioner"), version=version, assured_on=ASSURED)
        manager = person("pool-manager")
        fund = fund_actions.build_fund(
            by=manager, plan=version.plan, host="E06099001", pool_manager=POOL_MANAGER
        )
        bookkeeping.post_instalments(by=manager, fund=fund)
        bookkeeping.import_actuals(by=manager, fund=fund, table=spend(text))
    return version.plan


def spend(text: str) -> RawTable:
    """Each scheme's monthly spend other than what the demo's provider contracts pay from it
    (they post their own payments): a twelfth of the rest of its plan, 85% to 112% of it
    (seeded)."""
    rng = np.random.default_rng(SEED)
    rows: list[tuple[int, tuple[str, ...]]] = []
    paid_by_contracts = contracted()
    for scheme in load_plan(text).schemes:
        other = scheme.spend - paid_by_contracts.get(f"BCF-{scheme.id}", Decimal(0))
        for month in MONTHS:
            share = Decimal(int(rng.integers(85, 113))) / 100
            amount = (other / 12 * share).quantize(Decimal("0.01"))
            period = f"{2025 + (month > 9)}-{(month + 2) % 12 + 1:02d}"
            rows.append((len(rows) + 2, (f"BCF-{scheme.id}", period, f"{amount}")))
    return RawTable(
        "bcf-spend-april-to-december.csv", ("scheme_code", "month", "actual"), tuple(rows)
    )


def load_demo_bcf_returns(plan: BcfPlan) -> int:
    """The first two quarters' returns, once each: after the outcome results are stored, so
    the metrics come from the linked data."""
    count = 0
    for period in ("Q1", "Q2"):
        if not plan.returns.filter(period=period).exists():
            record_return(
                by=person("commissioner"), plan=plan, period=period, narrative=NARRATIVE[period]
            )
            count += 1
    return count
