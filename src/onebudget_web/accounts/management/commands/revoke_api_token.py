from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onebudget_web.accounts.actions import revoke_api_token
from onebudget_web.accounts.models import ApiToken
from onebudget_web.audit.context import Origin, origin


class Command(BaseCommand):
    help = "Revoke a personal API token by its prefix (ob_…), or every token of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", help="the token's first characters, as listed")
        parser.add_argument("--user", help="revoke every token of this username")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["prefix"]) == bool(options["user"]):
            raise CommandError("Give --prefix or --user.")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if options["prefix"]:
            tokens = tokens.filter(prefix=options["prefix"])
        else:
            tokens = tokens.filter(user__username=options["user"])
        found = list(tokens)
        if not found:
            raise CommandError("No token standing matches.")
        with origin(Origin("cli")):
            for api_token in found:
                revoke_api_token(by="system:manage.py", api_token=api_token)
        self.stdout.write(f"Revoked {len(found)} token{'s' if len(found) != 1 else ''}.")
