"""Reading a Better Care Fund plan from its workbook (the layout of ``bcf.workbook``).

Every problem is collected, each with its sheet, row, column, the value found and the rule,
and no plan is given unless all is well. The workbook is refused before any parser opens it
if it is too large, a zip bomb or declares XML entities (``io.tables.check_workbook``).
Cells become text as ``io.tables`` reads them (a number as a spreadsheet shows it, so a
float cell gives the pence typed), money is then read exactly by the plan's own rules, and
the plan is validated by the same model as its YAML, so both give the same problems. Rows
with nothing in them are skipped; a value under no known column is a problem, never dropped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from onebudget.bcf.checks import PlanProblem
from onebudget.bcf.plan import Plan, PlanError
from onebudget.bcf.workbook_cells import Built, Place, place_problem
from onebudget.bcf.workbook_sheets import build
from onebudget.io.problems import Problem, validation_problems
from onebudget.io.tables import MAX_BYTES, TableError, check_workbook
from onebudget.io.tables import cell_text as shown


@dataclass(frozen=True)
class FromWorkbook:
    """The plan read (None if any problem), every problem, and each place's cell."""

    plan: Plan | None
    problems: tuple[Problem, ...]
    places: Mapping[str, Place] = field(default_factory=dict)


def plan_from_workbook(data: Path | bytes, *, source: str | None = None) -> FromWorkbook:
    """The plan in a workbook file or its bytes; never raises for what the file holds."""
    name = source or (data.name if isinstance(data, Path) else "plan.xlsx")
    if isinstance(data, Path):
        return _read(data, name)
    with tempfile.TemporaryDirectory() as folder:  # the safety checks read a file
        path = Path(folder) / "plan.xlsx"
        path.write_bytes(data)
        return _read(path, name)


def read_workbook(path: Path) -> tuple[Plan, Mapping[str, Place]]:
    """As ``plan.read_plan`` for YAML: the plan and its places, or ``PlanError``."""
    found = plan_from_workbook(path, source=str(path))
    if found.plan is None:
        raise PlanError(str(path), list(found.problems))
    return found.plan, found.places


def at_cells(problems: list[Problem], places: Mapping[str, Place]) -> list[Problem]:
    """Each problem at the cell of its place, or of the nearest place around it."""
    placed: list[Problem] = []
    for p in problems:
        path = p.path
        while path not in places and "." in path:
            path = path.rsplit(".", 1)[0]
        placed.append(place_problem(p, places[path]) if path in places else p)
    return placed


def _read(path: Path, name: str) -> FromWorkbook:
    try:
        found = _cells(path)
    except TableError as error:
        rule = str(error).removeprefix(f"{path.name}: ")
        return FromWorkbook(None, (PlanProblem(path="(file)", value=name, rule=rule),))
    built = build(found)
    problems = [*built.problems, *_validated(built)]
    if problems:
        return FromWorkbook(None, tuple(problems), built.places)
    return FromWorkbook(Plan.model_validate(built.data), (), built.places)


def _validated(built: Built) -> list[Problem]:
    """The plan model's problems, at their cells; none where a cell is already faulted."""
    try:
        Plan.model_validate(built.data)
    except ValidationError as error:
        found = validation_problems(error)
        return [p for p in at_cells(found, built.places) if not _under(p.path, built.faulted)]
    return []


def _under(path: str, faulted: set[str]) -> bool:
    parts = path.split(".")
    return any(".".join(parts[:i]) in faulted for i in range(1, len(parts) + 1))


def _cells(path: Path) -> dict[str, list[list[str]]]:
    """Each sheet's cells as text, from row 1 and column A; ``TableError`` for a file
    that is not a workbook this reader opens."""
    if not path.is_file():
        raise TableError(f"{path.name}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise TableError(f"{path.name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    check_workbook(path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return {
            name: [[cell(v) for v in row] for row in _rows(book, name)] for name in book.sheet_names
        }
    except Exception as error:  # calamine raises its own types for damaged workbooks
        raise TableError(f"{path.name}: not a readable XLSX workbook ({error})") from None


def _rows(book: Any, name: str) -> list[list[Any]]:
    rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return rows


def cell(value: Any) -> str:
    """A cell as text: text as typed less one leading apostrophe (``bcf.workbook``), any
    other value as ``io.tables`` reads it."""
    if isinstance(value, str):
        return value[1:] if value.startswith("'") else value
    return shown(value)
