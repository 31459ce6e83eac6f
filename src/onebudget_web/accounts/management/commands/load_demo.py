from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from onebudget import demo
from onebudget_web.demo.bcf import load_demo_bcf, load_demo_bcf_returns
from onebudget_web.demo.contracts import load_demo_contracts
from onebudget_web.demo.loader import (
    load_demo_allocation,
    load_demo_data,
    load_demo_fund,
    load_demo_place,
    load_demo_spend,
)
from onebudget_web.demo.scenarios import load_demo_scenario
from onebudget_web.places import computed
from onebudget_web.places.results import build_results, fingerprint, is_built


class Command(BaseCommand):
    help = "Load the fictional demo place, a demo user for each role, and its synthetic data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=demo.DEMO_PERSONS,
            help="people in the demo place's synthetic data (0: none)",
        )
        parser.add_argument(
            "--results",
            choices=["now", "later"],
            default="now",
            help="work out the outcome results now, or leave them to build_outcome_results "
            "(the demo's first start builds them in the background while it serves)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_place()
        verb = "Loaded" if loaded.created else "Already loaded:"
        self.stdout.write(f"{verb} {loaded.places} places, {loaded.users} demo users.")
        if load_demo_allocation():
            self.stdout.write("Allocation: West Yorkshire places saved and a budget allocated")
        if options["persons"] > 0:
            self.stdout.write(
                f"Synthetic linked data for {demo.PLACES[0].name} "
                f"({options['persons']:,} people)..."
            )
        dataset = load_demo_data(settings.DATA_DIR, persons=options["persons"])
        if dataset is not None:
            self.stdout.write(f"Linked data: {dataset.label} at {dataset.path}")
            if options["results"] == "now":
                self.stdout.write("Outcome results: working out every indicator (once)...")
                build_results(dataset)
            fund = load_demo_fund(dataset)
            if fund is not None:
                self.stdout.write(f"Pooled fund: {fund.name}")
            scenario = load_demo_scenario(dataset)
            if scenario is not None:
                self.stdout.write(f"Scenario: {scenario.name}, its best portfolio and variation")
            if load_demo_spend(dataset):
                self.stdout.write("Ledgers: the council's and the ICB's, mapped and reconciled")
            plan = load_demo_bcf(dataset.place)
            if plan is not None:
                self.stdout.write(f"Better Care Fund: the {plan.year} plan and its fund")
                if load_demo_contracts(dataset.place):
                    self.stdout.write("Provider contracts: one of each kind, two quarters paid")
                if _overview_built(dataset) and load_demo_bcf_returns(plan):
                    self.stdout.write("Better Care Fund: the quarter 1 and 2 returns recorded")


def _overview_built(dataset: Any) -> bool:
    """Whether the outcome results a BCF return's metrics read are stored (with ``--results
    later`` they are not yet: the demo's background run of this command records the returns
    once it has built them)."""
    found = fingerprint(dataset)
    return found is not None and is_built(dataset, found, computed.OVERVIEW)
