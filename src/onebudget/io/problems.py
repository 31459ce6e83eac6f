"""Problems found in what a person gave us, as data: each names where, what and which rule.

``Problem`` is for structured files (a path inside YAML, say); ``ImportProblem`` for tables
(file, row, column). Both print as one line a person can act on, with the value shortened:
a message that repeats a whole uploaded value can be larger than the upload itself.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

SHORT = 80


class _Short(reprlib.Repr):
    """A repr that stops early: a value built from a large file is not walked in full."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxdict, self.maxlist, self.maxtuple, self.maxset = 3, 8, 8, 8, 8
        self.maxstring, self.maxlong, self.maxother = SHORT, SHORT, SHORT

    def repr_Decimal(self, x: Decimal, level: int) -> str:  # noqa: N802 (reprlib's naming)
        return str(x)  # as the file has it: 1.10, not Decimal('1.10')

    def repr_date(self, x: date, level: int) -> str:
        return x.isoformat()

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 256:  # repr() of 5,000 digits is a ValueError
            return f"<a whole number of about {x.bit_length() * 3 // 10} digits>"
        return super().repr_int(x, level)


_REPR = _Short()


def shorten(value: object, limit: int = SHORT) -> str:
    """``repr(value)`` in at most ``limit`` characters, an ellipsis marking what is left out."""
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problem(BaseModel):
    """One problem in a structured file: the dotted path to it (``(file)`` for the whole
    file), its line when known, the value found (None when there is none) and the rule."""

    model_config = ConfigDict(frozen=True)
    path: str
    value: Any
    rule: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path} (line {self.line})"
        if self.value is None:
            return f"{where}: {self.rule}"
        return f"{where}: {shorten(self.value)}: {self.rule}"


class ProblemsError(ValueError):
    """Every problem found in one source (a file, or an option): raised with all of them."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


def validation_problems(error: ValidationError, *, top: str = "(file)") -> list[Problem]:
    """Pydantic's errors as problems: the dotted path in the file (``top`` for the file as
    a whole), the value given and pydantic's rule, so every format reports them alike."""
    return [
        Problem(
            path=".".join(str(part) for part in e["loc"]) or top,
            value=None if e["type"] == "missing" else e.get("input"),
            rule=e["msg"].removeprefix("Value error, "),  # our validators' own words
        )
        for e in error.errors(include_url=False)
    ]


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}, column {self.column}"
        return f"{where}: {shorten(self.value)}: {self.rule}"
