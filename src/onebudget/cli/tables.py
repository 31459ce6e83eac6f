"""Printing rows of figures in a terminal, money with thousands separators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table


def cell(value: Any) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)


def print_rows(console: Console, title: str, rows: list[dict[str, Any]]) -> None:
    """One line per row, a column per figure."""
    table = Table(title=title)
    for name in rows[0] if rows else []:
        table.add_column(name.replace("_", " "), justify="right")
    for row in rows:
        table.add_row(*(cell(v) for v in row.values()))
    console.print(table)


def print_across(console: Console, title: str, rows: list[dict[str, Any]]) -> None:
    """One column per row (a partner, say) and one line per figure: fits a terminal."""
    if not rows:
        return
    first = next(iter(rows[0]))
    table = Table(title=title)
    table.add_column("")
    for row in rows:
        table.add_column(str(row[first]), justify="right")
    for name in list(rows[0])[1:]:
        table.add_row(name.replace("_", " "), *(cell(row[name]) for row in rows))
    console.print(table)
