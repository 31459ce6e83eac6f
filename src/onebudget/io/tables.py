"""Reading a table of rows from a CSV or XLSX file a person has uploaded.

Values come back as text exactly as the file holds them (a spreadsheet's numbers as their
shortest decimal form), so the caller parses and validates every cell and can name the row
and column of each problem. Only .csv and .xlsx are read; files over a size limit, workbooks
that would unpack to too much (zip bombs) and workbooks declaring XML entities are refused
before any parser opens them.
"""

from __future__ import annotations

import csv
import lzma
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 512 * 1024 * 1024


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong type, too big, not a workbook)."""


@dataclass(frozen=True)
class RawTable:
    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line or row number in the file, cells)


def read_table(path: Path, *, sheet: str | None = None, header_row: int | None = None) -> RawTable:
    """The table in a file; ``header_row`` (1-based) when title rows sit above the header."""
    if not path.is_file():
        raise TableError(f"{path.name}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise TableError(f"{path.name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv(path, header_row)
    if suffix == ".xlsx":
        return _xlsx(path, sheet, header_row)
    raise TableError(f"{path.name}: a table is a .csv or .xlsx file")


def _csv(path: Path, header_row: int | None) -> RawTable:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            lines = [tuple(cell.strip() for cell in row) for row in csv.reader(handle)]
    except (UnicodeDecodeError, csv.Error) as error:
        raise TableError(f"{path.name}: not a UTF-8 CSV file ({error})") from None
    return _table(path.name, lines, header_row)


# What reading a damaged zip raises: a bad header, checksum or compressed stream, a cut
# file, a member encrypted (RuntimeError) or compressed a way zipfile cannot read
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


def check_workbook(path: Path) -> None:
    """Refuse a workbook that is not a zip (or a damaged one), unpacks to more than
    ``MAX_UNPACKED`` bytes (a zip bomb), or declares XML entities or a DOCTYPE (external
    entities): before any parser reads it."""
    try:
        book = zipfile.ZipFile(path)
    except _DAMAGED_ZIP:
        raise TableError(f"{path.name}: not an XLSX workbook") from None
    with book:
        members = book.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED:
            size = unpacked // (1024 * 1024)
            raise TableError(f"{path.name}: unpacks to {size} MB, over the limit; refused")
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                try:
                    with book.open(member) as handle:
                        head = handle.read(65536)
                except _DAMAGED_ZIP:
                    rule = "not an XLSX workbook: the file is damaged (cut short or changed)"
                    raise TableError(f"{path.name}: {member.filename}: {rule}") from None
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise TableError(f"{path.name}: declares XML entities; refused")


def _xlsx(path: Path, sheet: str | None, header_row: int | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    check_workbook(path)

    try:
        book = CalamineWorkbook.from_path(str(path))
        name = sheet or book.sheet_names[0]
        values = book.get_sheet_by_name(name).to_python()
    except Exception as error:  # calamine raises its own types for bad files
        raise TableError(f"{path.name}: not a readable XLSX workbook ({error})") from None
    return _table(path.name, [tuple(cell_text(v) for v in row) for row in values], header_row)


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        # A spreadsheet's number as it shows it: 15 significant digits, so 0.1 + 0.2 is 0.3,
        # in plain digits (0.00001, not 1e-05: exponents are not how money is written)
        if value.is_integer():
            return str(int(value))
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _table(source: str, lines: list[tuple[str, ...]], header_row: int | None = None) -> RawTable:
    numbered = [(i, line) for i, line in enumerate(lines, start=1) if any(line)]
    if header_row is not None:
        numbered = [(i, line) for i, line in numbered if i >= header_row]
        if not numbered or numbered[0][0] != header_row:
            raise TableError(f"{source}: row {header_row} should be the header, and is empty")
    if not numbered:
        raise TableError(f"{source}: the file is empty")
    header = tuple(h.strip() for h in numbered[0][1])
    width = len(header)
    rows = tuple((i, tuple((*row, *("",) * (width - len(row)))[:width])) for i, row in numbered[1:])
    return RawTable(source, header, rows)
