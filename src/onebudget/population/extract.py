"""A linked extract held for checking (its tables read, conformed, in DuckDB), and a finding.

A data folder holds one ``<table>.parquet`` per table of ``schema`` (as ``onebudget synth``
writes them, or as an ICB's data service might). A real extract can carry extra columns, put
them in another order or store a type a little differently (an int32 id as int64, a timestamp
at midnight for a date); it is conformed to the schema here, so every check can rely on the
names and types. Anything that cannot be conformed is an ``ExtractError`` naming the file and
what is wrong, rather than an error from deep inside a query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from onebudget.population import schema
from onebudget.population.cips import with_cips
from onebudget.population.defined_lists import Release, fold

EXAMPLES = 5
# One example row: (column, value) pairs, only pseudonymous fields (see checks.py).
Example = tuple[tuple[str, Any], ...]
Severity = Literal["problem", "note"]
Unit = Literal["rows", "people"]
# table: (the column that identifies its rows, what one row is)
WHAT = {
    "persons": "a person",
    "apc_spells": "a hospital spell",
    "ae_attendances": "an A&E attendance",
    "op_appointments": "an outpatient appointment",
    "community_contacts": "a community contact",
    "asc_cld": "a social care event",
}
ROWS = {t.name: (t.row_id, WHAT[t.name]) for t in schema.TABLES}
CASTING = (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError)
# One row per person even when persons repeats a person_id (a check of its own): the earliest
# birth and latest death, so a duplicate never makes an event look before birth or after death.
PEOPLE = """
CREATE TEMP VIEW people AS
SELECT person_id, min(date_of_birth) AS date_of_birth, max(date_of_death) AS date_of_death
FROM persons WHERE person_id IS NOT NULL GROUP BY person_id
"""


class ExtractError(ValueError):
    """An extract that cannot be checked at all: a missing or unreadable file or column."""


def read_extract(folder: Path) -> dict[str, pa.Table]:
    """Every table of the schema from ``folder``, conformed; an ``ExtractError`` otherwise."""
    if not folder.is_dir():
        raise ExtractError(f"{folder}: no such folder")
    files = {t.name: folder / f"{t.name}.parquet" for t in schema.TABLES}
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        raise ExtractError(f"{folder}: no {', '.join(missing)}")
    return {t.name: conform(t, _read(files[t.name]), str(files[t.name])) for t in schema.TABLES}


def _read(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise ExtractError(f"{path}: not a readable Parquet file ({error})") from None


def conform(table: schema.Table, data: pa.Table, source: str | None = None) -> pa.Table:
    """``data`` with exactly the schema's columns, in order and of the schema's types.

    Extra columns are dropped; a column the layout gained later is empty in an older
    extract. A missing or repeated column, or a value that cannot be cast safely (an id too
    large for its type, text that is not a date), is an ``ExtractError``.
    """
    source = source or table.name
    if table is schema.APC:
        data = _without_derived(data)
    data = _with_later_columns(table, data)
    names = data.column_names
    missing = [c.name for c in table.columns if c.name not in names]
    if missing:
        raise ExtractError(f"{source}: no column {', '.join(missing)}{_near(missing, names)}")
    twice = sorted({c.name for c in table.columns if names.count(c.name) > 1})
    if twice:
        raise ExtractError(f"{source}: column {', '.join(twice)} appears more than once")
    arrays = [_cast(data.column(c.name), c, source) for c in table.columns]
    conformed = pa.Table.from_arrays(arrays, schema=table.arrow_schema())
    return with_cips(conformed) if table is schema.APC else conformed


def _with_later_columns(table: schema.Table, data: pa.Table) -> pa.Table:
    """An older extract without a column the layout gained later (``Column.since``), with
    it empty: the rows are theirs as they were recorded, and the measures that need the
    column find it blank rather than the extract refused."""
    for column in table.columns:
        if column.since and column.name not in data.column_names:
            data = data.append_column(column.name, pa.nulls(data.num_rows, column.type))
    return data


def _without_derived(data: pa.Table) -> pa.Table:
    """Admitted care with its derived ``cips_`` columns empty, whatever the extract held:
    ``with_cips`` fills them from the provider spells."""
    data = data.drop_columns([n for n in schema.CIPS_COLUMNS if n in data.column_names])
    for name in schema.CIPS_COLUMNS:
        field = schema.APC.arrow_schema().field(name)
        data = data.append_column(field, pa.nulls(data.num_rows, field.type))
    return data


def _near(missing: Sequence[str], names: Sequence[str]) -> str:
    """A hint when a column is only differently capitalised (column names are exact)."""
    by_fold = {fold(n): n for n in names}
    near = [f"{by_fold[fold(m)]} for {m}" for m in missing if fold(m) in by_fold]
    return f" (found {', '.join(near)}: column names are case-sensitive)" if near else ""


def _cast(column: pa.ChunkedArray, spec: schema.Column, source: str) -> pa.ChunkedArray:
    if column.type == spec.type:
        return column
    try:
        return column.cast(spec.type, safe=True)
    except CASTING as error:
        raise ExtractError(
            f"{source}: column {spec.name} is {column.type}, not {spec.type} ({error})"
        ) from None


class Extract:
    """The conformed tables, registered in an in-memory DuckDB under their schema names.

    Each table gains a ``_row`` number so that a check can tell two rows apart even when
    their ids repeat (itself a finding). ``people`` has one row per person_id.
    """

    def __init__(self, tables: Mapping[str, pa.Table], cld_release: Release = 2) -> None:
        absent = [t.name for t in schema.TABLES if t.name not in tables]
        if absent:
            raise ExtractError(f"no {', '.join(absent)} table")
        self.cld_release = cld_release
        self.tables = {t.name: conform(t, tables[t.name]) for t in schema.TABLES}
        self.con = duckdb.connect()
        for name, table in self.tables.items():
            rows = pa.array(np.arange(table.num_rows, dtype=np.int64))
            self.con.register(name, table.append_column("_row", rows))
        self.con.execute(PEOPLE)
        self._values: dict[tuple[str, str], dict[str, int]] = {}

    def __enter__(self) -> Extract:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.con.close()

    def found(self, sql: str, params: Sequence[object] = ()) -> tuple[int, tuple[Example, ...]]:
        """How many rows the query ``sql`` returns, and the first few in order of their values.

        One row of ``sql`` is one offending thing (a row, or a person), so its count is the
        finding's; only the columns it selects can reach an example.
        """
        query = f"SELECT *, count(*) OVER () AS _n FROM ({sql}) ORDER BY ALL LIMIT {EXAMPLES}"  # noqa: S608 (checks' own SQL)
        cursor = self.con.execute(query, list(params))
        names = [d[0] for d in cursor.description][:-1]
        rows = cursor.fetchall()
        examples = tuple(tuple(zip(names, row[:-1], strict=True)) for row in rows)
        return (int(rows[0][-1]) if rows else 0), examples

    def values(self, table: str, column: str) -> dict[str, int]:
        """The distinct values of a text column as found, with how many rows hold each."""
        if (table, column) not in self._values:
            rows = self.con.execute(
                f'SELECT "{column}", count(*) FROM {table} '  # noqa: S608 (schema names)
                f'WHERE "{column}" IS NOT NULL GROUP BY 1'
            ).fetchall()
            self._values[table, column] = {str(v): int(n) for v, n in rows}
        return dict(self._values[table, column])

    def spellings(self, table: str, column: str, folded: Iterable[str]) -> list[str]:
        """Every spelling found in ``column`` of the values ``folded`` (compared with ``fold``),
        so that SQL can match them exactly as DHSC's collation would match them."""
        wanted = set(folded)
        return sorted(v for v in self.values(table, column) if fold(v) in wanted)


@dataclass(frozen=True)
class Finding:
    """Rows (or people) that break one rule in one table, with up to five examples."""

    check: str
    table: str
    rule: str
    severity: Severity
    count: int
    examples: tuple[Example, ...] = ()
    unit: Unit = "rows"

    def as_json(self) -> dict[str, Any]:
        examples = [{k: _plain(v) for k, v in example} for example in self.examples]
        fields = ("check", "table", "rule", "severity", "count", "unit")
        return {**{k: getattr(self, k) for k in fields}, "examples": examples}


@dataclass(frozen=True)
class CheckReport:
    """Every finding, problems first; ``rows`` is how many rows of each table were checked."""

    findings: tuple[Finding, ...]
    rows: tuple[tuple[str, int], ...]
    cld_release: Release

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "problem")

    @property
    def notes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "note")

    def as_json(self) -> dict[str, Any]:
        return {
            "cld_release": self.cld_release,
            "rows": dict(self.rows),
            "problems": len(self.problems),
            "notes": len(self.notes),
            "findings": [f.as_json() for f in self.findings],
        }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def finding(
    x: Extract,
    check: str,
    table: str,
    rule: str,
    sql: str,
    params: Sequence[object] = (),
    *,
    severity: Severity = "problem",
    unit: Unit = "rows",
) -> list[Finding]:
    """The finding of one rule: ``sql`` returns one row per offending row (or person)."""
    count, examples = x.found(sql, params)
    return [Finding(check, table, rule, severity, count, examples, unit)] if count else []


def key(table: str, alias: str = "") -> str:
    """The pseudonymous columns that identify a row: person_id and the row's own id."""
    column = ROWS[table][0]
    names = ["person_id"] if column == "person_id" else ["person_id", column]
    return ", ".join(f"{alias}{n}" for n in names)
