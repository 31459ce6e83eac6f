"""The error summary's problems in the one shape ``includes/error_summary.html`` reads, so
that every form (the agreement form, the budget form, the place builder, an upload) hands
it the same list: the words, and a link to the field they are beside."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict


class Problem(TypedDict):
    """One line of the summary: ``href`` the field's anchor ("" for a problem that concerns
    no one field, shown without a link) and ``text`` the words shown beside it too."""

    href: str
    text: str


def problem(text: str, at: str = "") -> Problem:
    """A problem beside the field whose id is ``at`` (none: a problem of the whole form)."""
    return {"href": f"#{at}" if at else "", "text": text}


def problems(
    by_field: Mapping[str, Sequence[str]], ids: Mapping[str, str] | None = None
) -> list[Problem]:
    """Every field's problems in turn; ``ids``: a field's id where it is not its name."""
    at = ids or {}
    return [problem(m, at.get(name, name)) for name, said in by_field.items() for m in said]
