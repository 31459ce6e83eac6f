"""Writing tables to Excel for people who work in spreadsheets.

xlsxwriter in constant-memory mode; a bold, frozen header row; numbers as numbers (Decimal
money written as its exact value); a fixed document date, so the same rows give the same file.
Text is written as text, and text that starts like a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

FIXED_CREATED = datetime(2000, 1, 1)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet could take for a formula starts with an apostrophe instead."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


def write_rows(path: Path, sheet: str, rows: Sequence[Mapping[str, Any]]) -> Path:
    """Write ``rows`` (all with the same keys) to one sheet of a new workbook at ``path``."""
    return write_sheets(path, {sheet: rows})


def write_sheets(path: Path, sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> Path:
    """One sheet per entry, in order. Text is always written as text, never as a formula."""
    _write_book(xlsxwriter.Workbook(str(path), {"constant_memory": True}), sheets)
    return path


def workbook_bytes(sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """The same workbook in memory, for a download (no file on disk)."""
    buffer = io.BytesIO()
    _write_book(xlsxwriter.Workbook(buffer, {"in_memory": True}), sheets)
    return buffer.getvalue()


def _write_book(workbook: Any, sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    workbook.set_properties({"created": FIXED_CREATED, "author": "OneBudget"})
    bold = workbook.add_format({"bold": True})
    for sheet, rows in sheets.items():
        _write_sheet(workbook.add_worksheet(sheet[:31]), rows, bold)
    workbook.close()


def _write_sheet(worksheet: Any, rows: Sequence[Mapping[str, Any]], bold: Any) -> None:
    columns = list(rows[0]) if rows else []
    worksheet.freeze_panes(1, 0)
    for c, name in enumerate(columns):
        worksheet.write_string(0, c, name, bold)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(columns):
            value = _cell(row.get(name))
            if value is None:
                worksheet.write_blank(r, c, None)
            elif isinstance(value, str):
                worksheet.write_string(r, c, value)
            else:
                worksheet.write(r, c, value)
