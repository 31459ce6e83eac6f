from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onebudget_web.accounts.actions import issue_api_token
from onebudget_web.accounts.models import User
from onebudget_web.audit.context import Origin, origin


class Command(BaseCommand):
    help = "Issue a personal API token for a user and print it (the only time it is shown)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as missing:
            raise CommandError(f"No active user {options['username']!r}.") from missing
        with origin(Origin("cli")):
            token, _ = issue_api_token(by="system:manage.py", user=user, name=options["name"])
        self.stdout.write(token)
