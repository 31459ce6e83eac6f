"""Problems found in what a person gave us, as data: each names where, what and which rule.

``Problem`` is for structured files (a path inside YAML, say); ``ImportProblem`` for tables
(file, row, column). Both print as one line a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)
    path: str
    value: Any
    rule: str

    def __str__(self) -> str:
        return f"{self.path}: {self.value!r}: {self.rule}"


class ProblemsError(ValueError):
    """Every problem found in one source (a file, or an option): raised with all of them."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.value!r}: {self.rule}"
