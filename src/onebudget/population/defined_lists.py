"""The defined lists of adult social care Client Level Data, as reviewed data.

Each CLD release's lists live in ``definitions/cld/release-<n>.yaml`` with their owner and
source, and are validated on load: every field must be a CLD column of ``schema``, and no
value may be listed twice. Values match as DHSC's ASCOF code matches them on SQL Server:
ignoring case and trailing spaces, never punctuation (``NFA - Deceased`` is not ``NFA:
Deceased``), so an extract that a council's system wrote in other capitals still reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from onebudget.io import yamlio
from onebudget.io.problems import ProblemsError, validation_problems
from onebudget.population import schema

CLD_COLUMNS = frozenset(c.name for c in schema.CLD.columns)
Release = Literal[1, 2]
RELEASES: tuple[Release, ...] = (1, 2)


def fold(value: str) -> str:
    """The form two CLD values are compared in: lower case, trailing spaces dropped (as
    ``fold_column`` does to a whole column)."""
    return value.rstrip().lower()


def fold_column(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    return pc.utf8_rtrim_whitespace(pc.utf8_lower(values))


def canonical_cld(table: pa.Table, release: Release = 2) -> pa.Table:
    """The CLD table with every value that matches a defined list (ignoring case and
    trailing spaces) in the list's own spelling, so the indicators' conditions, which
    compare exactly, see a council's ``SERVICE USER`` as ``Service user``. Values on no
    list are left as they are (``onebudget data check`` names them)."""
    for name, defined in defined_lists(release).fields.items():
        folded = pa.array([fold(v) for v in defined.values])
        at = pc.index_in(fold_column(table.column(name)), value_set=folded)
        table = _replaced(table, name, at, list(defined.values))
    return table


def _replaced(
    table: pa.Table, name: str, at: pa.ChunkedArray | pa.Array, values: list[str | None]
) -> pa.Table:
    """The table with each value of column ``name`` found (``at``: its index into
    ``values``, empty where not found) replaced by that value; the column's field kept."""
    column = table.column(name)
    fixed = pc.if_else(pc.is_null(at), column, pc.take(pa.array(values, pa.string()), at))
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(index), fixed)


class _FieldFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    complete: bool
    values: list[str]

    @field_validator("values")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        seen = [fold(v) for v in values]
        twice = sorted({v for v in values if seen.count(fold(v)) > 1})
        if twice:
            raise ValueError(f"listed twice: {twice}")
        return values


class _Reviewed(BaseModel):
    """What every file of reviewed data says of itself: who owns it, where it comes from,
    when it was reviewed and when it must be again."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    owner: str
    source: str
    reviewed: date
    review_by: date

    @model_validator(mode="after")
    def _review_later(self) -> _Reviewed:
        if self.review_by <= self.reviewed:
            raise ValueError("review_by must come after the review date")
        return self


Reviewed = TypeVar("Reviewed", bound=_Reviewed)


class _ListsFile(_Reviewed):
    release: Release
    fields: dict[str, _FieldFile]

    @field_validator("fields")
    @classmethod
    def _cld_fields(cls, fields: dict[str, _FieldFile]) -> dict[str, _FieldFile]:
        unknown = sorted(set(fields) - CLD_COLUMNS)
        if unknown:
            raise ValueError(f"not CLD columns: {unknown}")
        return fields


@dataclass(frozen=True)
class DefinedList:
    """One field's allowed values. ``complete`` is False where the published sources list
    only some of them: a value outside such a list is a note to check, not a problem."""

    field: str
    values: tuple[str, ...]
    complete: bool

    def canonical(self, value: str) -> str | None:
        """The listed spelling of ``value``, or None when it is not on the list."""
        folded = fold(value)
        return next((v for v in self.values if fold(v) == folded), None)


@dataclass(frozen=True)
class DefinedLists:
    release: Release
    source: str
    fields: dict[str, DefinedList]


class DefinedListsError(ValueError):
    pass


def _validated(model: type[Reviewed], text: str, source: str) -> Reviewed:
    """The file read by the one YAML reader and validated by ``model``; every problem in
    one ``DefinedListsError`` naming ``source``."""
    try:
        return model.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        found = (
            f"{p.rule} (at {p.path}{f', line {p.line}' if p.line else ''})" for p in error.problems
        )
        raise DefinedListsError(f"{source}: " + "; ".join(found)) from None
    except ValidationError as error:
        found = (f"{p.path}: {p.rule}" for p in validation_problems(error, top="file"))
        raise DefinedListsError(f"{source}: " + "; ".join(found)) from None


def _shipped(name: str) -> str:
    return (resources.files("onebudget") / "definitions" / "cld" / name).read_text("utf-8")


def parse_lists(text: str, *, source: str) -> DefinedLists:
    spec = _validated(_ListsFile, text, source)
    fields = {
        name: DefinedList(name, tuple(f.values), f.complete) for name, f in spec.fields.items()
    }
    return DefinedLists(spec.release, spec.source, fields)


@cache
def defined_lists(release: Release = 2) -> DefinedLists:
    """The shipped defined lists of a CLD release (2, the current one, by default)."""
    if release not in RELEASES:
        raise DefinedListsError(f"CLD release {release!r}: one of {RELEASES}")
    name = f"release-{release}.yaml"
    lists = parse_lists(_shipped(name), source=name)
    if lists.release != release:
        raise DefinedListsError(f"{name}: says release {lists.release}")
    return lists


class _ForwardFile(_Reviewed):
    status: Literal["inferred", "checked"]
    fields: dict[str, dict[str, str | None]]


@cache
def release_1_to_2() -> dict[str, dict[str, str | None]]:
    """The reviewed Release 1 -> Release 2 pairs, each checked against both releases' lists
    on load (a Release 1 value must be on its list, a Release 2 value on its own)."""
    name = "release-1-to-2.yaml"
    spec = _validated(_ForwardFile, _shipped(name), name)
    problems = []
    for name, pairs in spec.fields.items():
        old, new = defined_lists(1).fields.get(name), defined_lists(2).fields.get(name)
        for was, becomes in pairs.items():
            if old is None or old.canonical(was) != was:
                problems.append(f"{name}: {was!r} is not a Release 1 value")
            if becomes is not None and (new is None or new.canonical(becomes) != becomes):
                problems.append(f"{name}: {becomes!r} is not a Release 2 value")
    if problems:
        raise DefinedListsError(f"{name}: " + "; ".join(problems))
    return spec.fields


def forward_to_release_2(table: pa.Table) -> pa.Table:
    """A Release 1 CLD table in Release 2 values: each value in Release 1's spelling, then
    mapped by ``release-1-to-2.yaml`` (inferred pairs), then in Release 2's spelling."""
    table = canonical_cld(table, 1)
    for name, pairs in release_1_to_2().items():
        at = pc.index_in(table.column(name), value_set=pa.array(list(pairs)))
        table = _replaced(table, name, at, list(pairs.values()))
    return canonical_cld(table, 2)
