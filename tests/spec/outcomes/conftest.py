"""Every spec runs on every engine: the in-memory reference and DuckDB."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from onebudget.outcomes.calendar import Period
from onebudget.outcomes.definitions import indicators
from onebudget.outcomes.engines import Engine
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.engines.memory import MemoryEngine
from onebudget.population import schema
from onebudget.population.cips import with_cips

DEFAULTS: dict[str, Any] = {
    "sex": 2,
    "date_of_birth": date(1950, 6, 15),
    "lsoa21": "E01000001",
    "local_authority": "E06099001",
    "gp_practice_code": "Z00001",
    "imd_decile": 5,
    "frailty": "fit",
    "procode3": "RZZ",
    "admimeth": "21",
    "admisorc": "19",
    "classpat": 1,
    "disdest": "19",
    "dismeth": "1",
    "epitype": "1",
    "mainspef": "300",
    "tretspef": "300",
    "diag_4_01": "R074",
    "speldur": 0,
    "cost": Decimal("0.00"),
    "LA_Code": "E06099001",
    "Gender": "Female",
    "LA_Person_Unique_Identifier": "LA1",
    "Primary_Support_Reason": "Physical support: Personal care support",
    "Client_Type": "Service user",
}


def _filler(column: schema.Column, i: int) -> Any:
    if pa.types.is_string(column.type):
        return f"{column.name}-{i + 1}"
    if pa.types.is_date(column.type):
        return date(2024, 1, 1)
    return i + 1


def _complete(table: schema.Table, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    filled = []
    for i, row in enumerate(rows):
        full: dict[str, Any] = {}
        for column in table.columns:
            default = DEFAULTS.get(column.name, None if column.nullable else _filler(column, i))
            if column.name.startswith("ltc_"):
                default = False
            full[column.name] = row.get(column.name, default)
        if table.name == "apc_spells" and "speldur" not in row and full["disdate"] is not None:
            full["speldur"] = (full["disdate"] - full["admidate"]).days
        filled.append(full)
    built = pa.Table.from_pylist(filled, schema=table.arrow_schema())
    return with_cips(built) if table is schema.APC else built


def make_tables(**rows: Sequence[Mapping[str, Any]]) -> dict[str, pa.Table]:
    """Arrow tables following the schema, from a few rows each (unnamed columns default)."""
    return {t.name: _complete(t, rows.get(t.name, ())) for t in schema.TABLES}


SPARK = os.environ.get("ONEBUDGET_TEST_SPARK") == "1"


def _spark(tables: dict[str, pa.Table]) -> Engine:
    from onebudget.outcomes.engines.spark import SparkEngine

    return SparkEngine(tables)


ENGINES: dict[str, Callable[[dict[str, pa.Table]], Engine]] = {
    "memory": lambda tables: MemoryEngine({k: v.to_pylist() for k, v in tables.items()}),
    "duckdb": DuckDBEngine,
    "spark": _spark,
}
# Spark runs as its own step (make test-spark): without ONEBUDGET_TEST_SPARK=1 its
# parameter is not generated at all, rather than skipped.
PARAMS = [pytest.param("memory"), pytest.param("duckdb")]
if SPARK:
    PARAMS.append(pytest.param("spark", marks=pytest.mark.spark))


@pytest.fixture(params=PARAMS)
def engine_for(request: pytest.FixtureRequest) -> Callable[[dict[str, pa.Table]], Engine]:
    return ENGINES[request.param]


def parts(engine: Engine, name: str, period: Period) -> tuple[int, int]:
    """The shipped indicator ``name``'s numerator and denominator in one period (0 where
    the engine finds none), as the spec tests compare them."""
    indicator = indicators()[name]
    found = (
        engine.evaluate(getattr(indicator, part), [period], []).get((period.label,), 0)
        for part in ("numerator", "denominator")
    )
    numerator, denominator = found
    return numerator, denominator
