"""A write refused for the problems the library found, and those problems in words.

The library names each problem by path, value and rule (``onebudget.io.problems``); an
action raises them together as ``RefusedError`` and the page says each one beside the field
or file it concerns (``said_of``), with its line in the file where it has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from onebudget.io.problems import Problem


class RefusedError(ValidationError):
    """Refused for the problems the library found, kept as data so that each page can put
    them beside its own fields."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([str(p) for p in problems])


def said_of(error: ValidationError) -> list[str]:
    """What to tell the person: each problem in a sentence, or the error's own messages."""
    if isinstance(error, RefusedError):
        return [placed(p) for p in error.problems]
    return list(error.messages)


def placed(p: Any) -> str:
    where = getattr(p, "place", None) or (f"line {p.line}, {p.path}" if p.line else p.path)
    value = "" if p.value is None else f" (found: {p.value})"
    return f"{where}: {p.rule}{value}"


def by_field(
    problems: list[Any], field_of: Mapping[str, str], default: str
) -> dict[str, list[str]]:
    """The library's problems with a form's file, each beside the form's field its path
    belongs to (``field_of``: a path, or the start of one, to a field; else ``default``)."""
    errors: dict[str, list[str]] = {}
    for p in problems:
        path = str(p.path)
        field = next((f for k, f in field_of.items() if path == k or path.startswith(k)), default)
        value = "" if p.value is None else f" (found: {p.value})"
        words = path.replace("_", " ").replace(".", " ")
        errors.setdefault(field, []).append(f"{words}: {p.rule}{value}")
    return errors
