"""``manage.py build_outcome_results``: work out and store each place's outcomes (ADR 0019)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onebudget_web.places.models import Place
from onebudget_web.places.results import build_results


class Command(BaseCommand):
    help = (
        "Work out the outcomes of each place's latest linked dataset and store them, where "
        "the stored ones are missing or were computed from other data or definitions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--place", help="only this place (its short name, e.g. fernmouth)")

    def handle(self, *args: Any, **options: Any) -> None:
        found = Place.objects.all()
        if options["place"]:
            found = found.filter(slug=options["place"])
            if not found.exists():
                raise CommandError(f"{options['place']!r}: there is no such place")
        for place in found:
            dataset = place.datasets.first()
            if dataset is None:
                self.stdout.write(f"{place.name}: no linked data")
                continue
            started = time.perf_counter()
            stored = build_results(dataset)
            took = time.perf_counter() - started
            done = f"{stored} results stored" if stored else "results already up to date"
            self.stdout.write(f"{place.name}: {done} ({took:.1f} s)")
