"""The API's documentation as a page of the service, drawn from the OpenAPI schema on the
server: the same layout, headings and tables as every other page, readable without
JavaScript and by a screen reader. (Swagger UI, ninja's default, nests buttons in buttons,
omits the page's language and fails contrast and target-size checks: issue 15.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHODS = ("get", "post", "put", "patch", "delete")


class ServiceDocs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "info": schema["info"],
            "schema_url": self.get_openapi_url(api, kwargs),
            "groups": operation_groups(schema),
        }
        return render(request, "api/docs.html", context)


def operation_groups(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations by their first tag, in the schema's order: each with its method, path,
    summary, parameters and responses as plain data for the template."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is not None:
                tag = (operation.get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(_operation(method, path, operation))
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


def _operation(method: str, path: str, operation: dict[str, Any]) -> dict[str, Any]:
    body = operation.get("requestBody", {}).get("content", {})
    return {
        "id": operation.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": [_parameter(p) for p in operation.get("parameters", [])],
        "body": sorted(body),
        "responses": [
            {"status": status, "description": found.get("description", "")}
            for status, found in operation.get("responses", {}).items()
        ],
    }


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    found = parameter.get("schema", {})
    kind = found.get("type") or found.get("format") or ("one of several" if found else "")
    return {
        "name": parameter["name"],
        "where": parameter.get("in", ""),
        "required": bool(parameter.get("required")),
        "kind": kind,
        "description": parameter.get("description", found.get("description", "")),
    }
