"""Printing tables of figures in a terminal: money with thousands separators, never cut short.

Rich narrows a table that is wider than the terminal and ends a cell it cannot fit with "…",
which turned -1,192.50 into "-1,192.…". Here every column is at least as wide as its longest
word (a sum of money, a count or a code is one word), names wrap at their spaces, and a table
that still does not fit is printed in parts, its first column repeated in each. Cells are text,
not markup: a name read from a file may hold ``[/red]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

# Columns apart by a space, a rule and a space; no edges, so a table is as narrow as it can be.
GAP = 3


def cell(value: Any) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)


def print_rows(console: Console, title: str, rows: list[dict[str, Any]]) -> None:
    """One line per row, a column per figure."""
    if not rows:
        return
    header = [name.replace("_", " ") for name in rows[0]]
    print_table(console, title, header, [[cell(v) for v in row.values()] for row in rows])


def print_across(console: Console, title: str, rows: list[dict[str, Any]]) -> None:
    """One column per row (a partner, say) and one line per figure: fits a terminal."""
    if not rows:
        return
    first, *names = list(rows[0])
    header = ["", *(str(row[first]) for row in rows)]
    body = [[name.replace("_", " "), *(cell(row[name]) for row in rows)] for name in names]
    print_table(console, title, header, body)


def print_table(
    console: Console, title: str, header: Sequence[str], body: Sequence[Sequence[str]]
) -> None:
    """Names in the first column, on the left; figures in the others, on the right. In as
    many parts as the console's width needs, each headed by the title."""
    columns = [[name, *(row[i] for row in body)] for i, name in enumerate(header)]
    for n, part in enumerate(parts(console.width, columns)):
        named = Text(title if n == 0 else f"{title} (continued)")
        table = Table(title=named, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        room = console.width - GAP * (len(part) - 1)
        for i, width in zip(part, widths([columns[i] for i in part], room), strict=True):
            justify: JustifyMethod = "left" if i == 0 else "right"
            table.add_column(Text(header[i]), justify=justify, width=width, overflow="fold")
        for row in body:
            table.add_row(*(Text(row[i]) for i in part))
        console.print(table)


def parts(width: int, columns: Sequence[Sequence[str]]) -> list[list[int]]:
    """The columns (by position) of each part: the first, then as many of the next as fit
    with none narrower than its longest word; at least one more in each part."""
    least = [_longest_word(c) for c in columns]
    found: list[list[int]] = []
    for i in range(1, len(columns)):
        room = width - GAP * len(found[-1]) if found else 0
        if found and sum(least[j] for j in found[-1]) + least[i] <= room:
            found[-1].append(i)
        else:
            found.append([0, i])
    return found or [[0]]


def widths(columns: Sequence[Sequence[str]], room: int) -> list[int]:
    """Each column's width: its longest line if all fit in ``room``; otherwise its longest
    word, and what room is left shared out in proportion to how much more each would take."""
    least = [_longest_word(c) for c in columns]
    most = [max(w, _longest_line(c)) for w, c in zip(least, columns, strict=True)]
    spare = room - sum(least)
    if sum(most) <= room:
        return most
    if spare <= 0:
        return least  # a figure wider than the terminal: Rich folds it onto the next line
    wanted = [m - w for m, w in zip(most, least, strict=True)]
    return [w + spare * more // sum(wanted) for w, more in zip(least, wanted, strict=True)]


def _longest_word(texts: Sequence[str]) -> int:
    return max([1, *(cell_len(word) for text in texts for word in text.split())])


def _longest_line(texts: Sequence[str]) -> int:
    return max([1, *(cell_len(line) for text in texts for line in text.splitlines())])
