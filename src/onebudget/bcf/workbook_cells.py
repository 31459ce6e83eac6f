"""Where a problem sits in a plan's workbook: sheet, row and column, as a person looks."""

from __future__ import annotations

from dataclasses import dataclass

from onebudget.bcf.checks import PlanProblem
from onebudget.io.problems import Problem, shorten

WORKBOOK = "(workbook)"  # the path of a problem in the workbook's layout, not the plan


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
