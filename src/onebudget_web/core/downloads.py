"""File downloads the pages offer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

from onebudget.io.excel import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(name: str, sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> HttpResponse:
    """A workbook of ``sheets`` as an attachment called ``name``.xlsx."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
