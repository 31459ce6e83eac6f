from typing import Any

from django.core.management.base import BaseCommand

from onebudget_web.demo.loader import load_demo_place


class Command(BaseCommand):
    help = "Load the fictional demo place, its partners and a demo user for each role."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_place()
        verb = "Loaded" if loaded.created else "Already loaded:"
        self.stdout.write(f"{verb} {loaded.places} places, {loaded.users} demo users.")
