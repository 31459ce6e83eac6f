"""File downloads the pages offer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

from onebudget.io.excel import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(name: str, sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> HttpResponse:
    """A workbook of ``sheets`` as an attachment called ``name``.xlsx."""
    return workbook_response(name, workbook_bytes(sheets))


def workbook_response(name: str, data: bytes) -> HttpResponse:
    """A workbook already written (its bytes) as an attachment called ``name``.xlsx."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
