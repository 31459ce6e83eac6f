"""Reading the Capacity and demand sheet of a plan's workbook (the layout of ``bcf.workbook``).

A line of the plan is two rows, its Demand and its Capacity, found by their Category and
Service or route (the plan has each pair once), so a person may sort the rows without
breaking a line. Each measure is given once a line, and the unit is the same on both rows.
The months' cells are left as text for the plan's own rule for a count, so a workbook and a
YAML file meet the same rules.
"""

from __future__ import annotations

from typing import Any

from onebudget.bcf.plan import MONTHS
from onebudget.bcf.workbook import CAPACITY, CAPACITY_COLUMNS, MEASURE, MEASURES
from onebudget.bcf.workbook_cells import WORKBOOK, Built, Place, Record, named_once

WORDS = {word.casefold(): name for word, name in MEASURES}
CHOICE = " or ".join(word for word, _ in MEASURES)
(CATEGORY, _), (SERVICE, _), (UNIT, _) = CAPACITY_COLUMNS


def read_capacity(records: list[Record], built: Built) -> None:
    """The plan's ``capacity_demand`` lines, in the order each is first met."""
    lines: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}
    seen: dict[str, int] = {}
    for r, cells in records:
        named = [_given(built, r, cells, column) for column in (CATEGORY, SERVICE)]
        measure = _measure(built, r, cells[MEASURE])
        if not all(named) or measure is None:
            continue
        key = (cells[CATEGORY], cells[SERVICE])
        i = index.setdefault(key, len(lines))
        if i == len(lines):
            lines.append(_line(built, i, r, key))
        path = f"capacity_demand.{i}.{measure}"
        if named_once(built, seen, path, Place(CAPACITY, r, MEASURE), cells[MEASURE]):
            _unit(built, lines[i], f"capacity_demand.{i}.unit", r, cells[UNIT])
            _months(built, lines[i], path, r, cells)
    built.data["capacity_demand"] = lines


def _given(built: Built, r: int, cells: dict[str, str], column: str) -> bool:
    if cells[column]:
        return True
    built.fault(WORKBOOK, Place(CAPACITY, r, column), None, f"missing: the row names its {column}")
    return False


def _measure(built: Built, r: int, word: str) -> str | None:
    found = WORDS.get(word.strip().casefold())
    if found is None:
        built.fault(WORKBOOK, Place(CAPACITY, r, MEASURE), word, CHOICE)
    return found


def _line(built: Built, i: int, r: int, key: tuple[str, str]) -> dict[str, Any]:
    base = f"capacity_demand.{i}"
    built.at(base, CAPACITY, r, CATEGORY)
    for header, name in CAPACITY_COLUMNS:
        built.at(f"{base}.{name}", CAPACITY, r, header)
    return {"category": key[0], "label": key[1]}


def _unit(built: Built, line: dict[str, Any], path: str, r: int, unit: str) -> None:
    """The line's unit from the first row that gives it; another unit is a problem."""
    if not unit:
        return
    if "unit" not in line:
        line["unit"] = unit
        built.at(path, CAPACITY, r, UNIT)
    elif unit != line["unit"]:
        rule = f"the same unit on the line's {CHOICE} rows: {line['unit']}"
        built.fault(path, Place(CAPACITY, r, UNIT), unit, rule)


def _months(built: Built, line: dict[str, Any], path: str, r: int, cells: dict[str, str]) -> None:
    built.at(path, CAPACITY, r, MEASURE)
    for m in MONTHS:
        built.at(f"{path}.{m}", CAPACITY, r, m)
    line[path.rsplit(".", 1)[1]] = {m: cells[m] for m in MONTHS if cells[m]}
