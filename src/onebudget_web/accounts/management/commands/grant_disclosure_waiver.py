from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onebudget.roles import NotPermitted
from onebudget_web.accounts.models import Organisation, User
from onebudget_web.accounts.waivers import grant_disclosure_waiver
from onebudget_web.audit.context import Origin, origin


class Command(BaseCommand):
    help = "An organisation's admin lets one of its analysts see outputs without suppression."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--admin", required=True, help="username of the granting admin")
        parser.add_argument("--analyst", required=True, help="username of the analyst")
        parser.add_argument("--organisation", required=True, help="ODS or GSS code")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            admin = User.objects.get(username=options["admin"], is_active=True)
            analyst = User.objects.get(username=options["analyst"], is_active=True)
            organisation = Organisation.objects.get(code=options["organisation"])
        except (User.DoesNotExist, Organisation.DoesNotExist) as missing:
            raise CommandError(str(missing)) from missing
        try:
            with origin(Origin("cli")):
                waiver = grant_disclosure_waiver(
                    by=admin,
                    user=analyst,
                    organisation=organisation,
                    reason=options["reason"],
                    days=options["days"],
                )
        except ValidationError as refused:
            raise CommandError("; ".join(refused.messages)) from refused
        except NotPermitted as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Waiver granted: {waiver}")
