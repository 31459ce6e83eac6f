from typing import Any

from django.http import HttpRequest

from onebudget import __version__


def service(request: HttpRequest) -> dict[str, Any]:
    return {"service_name": "OneBudget", "service_version": __version__}
