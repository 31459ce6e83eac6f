"""Where a problem sits in a plan's workbook: sheet, row and column, as a person looks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onebudget.bcf.checks import PlanProblem
from onebudget.io.problems import Problem, shorten

WORKBOOK = "(workbook)"  # the path of a problem in the workbook's layout, not the plan
Record = tuple[int, dict[str, str]]  # a row's number and its cells by column


@dataclass(frozen=True)
class Place:
    """A cell (row 1 is the first row; column by its header), or a whole sheet or row."""

    sheet: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [f"sheet {self.sheet}"]
        parts += [] if self.row is None else [f"row {self.row}"]
        parts += [] if self.column is None else [f"column {self.column}"]
        return ", ".join(parts)


class CellProblem(PlanProblem):
    """A problem at a place in a workbook: the plan's path (``schemes.2.spend``) or
    ``(workbook)`` for the layout, and the sheet, row and column a person finds it at."""

    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def place(self) -> str:
        return str(Place(self.sheet or "?", self.row, self.column))

    def __str__(self) -> str:
        where = self.place if self.path == WORKBOOK else f"{self.place} ({self.path})"
        if self.value is None:
            return f"{where}: {self.rule}"
        return f"{where}: {shorten(self.value)}: {self.rule}"


@dataclass
class Built:
    """The plan's data as read, each path's place, the problems, and the paths faulted."""

    data: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    faulted: set[str] = field(default_factory=set)

    def at(self, path: str, sheet: str, row: int | None, column: str | None) -> None:
        self.places[path] = Place(sheet, row, column)

    def fault(self, path: str, where: Place, value: str | None, rule: str) -> None:
        problem = CellProblem(path=path, value=value or None, rule=rule, **where.__dict__)
        self.problems.append(problem)
        self.faulted.add(path)


def named_once(built: Built, seen: dict[str, int], path: str, where: Place, key: str) -> bool:
    """Whether a row's key is given, and given once in its sheet."""
    if not key:
        built.fault(WORKBOOK, where, None, f"missing: the row names its {where.column}")
        return False
    if path in seen:
        built.fault(WORKBOOK, where, key, f"given twice: first on row {seen[path]}")
        return False
    seen[path] = where.row or 0
    return True


def place_problem(problem: Problem, place: Place) -> CellProblem:
    """The same problem (its path, value, rule and any shortfall) at a cell."""
    fields = {name: getattr(problem, name) for name in type(problem).model_fields}
    fields.update(sheet=place.sheet, row=place.row, column=place.column, line=None)
    return CellProblem(**fields)


def letter(index: int) -> str:
    """A column's letters from its 0-based index: 0 is A, 26 is AA."""
    found = ""
    index += 1
    while index:
        index, left = divmod(index - 1, 26)
        found = chr(ord("A") + left) + found
    return found
