"""``onebudget indicators``: compute the outcomes framework over a folder of linked data."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import typer
from rich.console import Console

from onebudget.cli.extras import load, not_installed
from onebudget.cli.progress import steps
from onebudget.cli.synth import parse_years
from onebudget.io.excel import write_rows
from onebudget.outcomes.calendar import PERIOD_KINDS, Period, periods_of
from onebudget.outcomes.compute import BreakdownError, compute
from onebudget.outcomes.definitions import indicators as all_indicators
from onebudget.outcomes.disclosure import StatTable, marked
from onebudget.outcomes.engines import Engine
from onebudget.outcomes.engines.duckdb import DuckDBEngine
from onebudget.outcomes.engines.memory import MemoryEngine
from onebudget.outcomes.segments import segmentation
from onebudget.population.extract import ExtractError, read_extract
from onebudget.population.prepare import for_indicators

console = Console()
FORMATS = (".csv", ".xlsx", ".parquet")
Rows = Sequence[Mapping[str, Any]]


SPARK = "The Spark engine"
CLD_RELEASE = typer.Option(
    2, "--cld-release", min=1, max=2, help="The CLD release of the extract's social care data."
)


def engine_for(name: str, folder: Path, release: int = 2) -> Engine:
    """The extract read and conformed to the schema (CLD values in Release 2's spelling,
    a Release 1 extract mapped forward), in the chosen engine; an unreadable extract is a
    clear error. An engine whose extra is not installed says so before the data is read."""
    if name == "spark":
        load("spark", SPARK)
    try:
        prepared = for_indicators(read_extract(folder), 2 if release == 2 else 1)
    except ExtractError as error:
        raise typer.BadParameter(str(error)) from None
    for note in prepared.notes:
        console.print(note, markup=False, highlight=False)
    tables = prepared.tables
    if name == "memory":
        return MemoryEngine({k: v.to_pylist() for k, v in tables.items()})
    if name == "spark":
        return _spark(tables)
    return DuckDBEngine(tables)


def _spark(tables: Mapping[str, pa.Table]) -> Engine:
    """The Spark engine; one line and exit 2, not a traceback, if it cannot start."""
    try:
        from onebudget.outcomes.engines.spark import SparkEngine

        return SparkEngine(tables)
    except ImportError:
        raise not_installed(SPARK, "spark") from None
    except RuntimeError as error:  # pyspark.sql that will not import; no Java, or a broken one
        if isinstance(error.__cause__, ImportError):
            raise not_installed(SPARK, "spark") from None
        typer.echo(f"{SPARK} did not start (it needs Java 17 or later): {error}", err=True)
        raise typer.Exit(2) from None


def _rows(indicator_id: str, name: str, table: StatTable, by: list[str]) -> list[Rows]:
    """The table's rows as published (a suppressed cell None) and as written to a CSV or
    workbook (``[c]``, as the pages show it)."""
    columns = ["period", *by, "numerator", "denominator", "value", "lower", "upper"]
    return [
        [
            {"indicator": indicator_id, "name": name, **{c: row.get(c) for c in columns}}
            for row in rows
        ]
        for rows in (table.rows, marked(table))
    ]


def _write(published: Rows, with_markers: Rows, out: Path) -> None:
    """Parquet keeps a suppressed cell as null (a typed column); CSV and XLSX say ``[c]``."""
    if out.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(list(published)), out)
    elif out.suffix == ".csv":
        with out.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=list(with_markers[0]) if with_markers else [])
            writer.writeheader()
            writer.writerows(with_markers)
    else:
        write_rows(out, "Indicators", with_markers)


def indicators(
    data: Path = typer.Option(..., help="Folder of linked data (as `onebudget synth` writes)."),
    out: Path = typer.Option(..., help="Output file: .csv, .xlsx or .parquet."),
    engine: str = typer.Option(
        "duckdb",
        help="duckdb (default), spark (needs the spark extra: pip install 'onebudget[spark]'),"
        " or memory (small data).",
    ),
    by: str = typer.Option(
        "",
        help="Breakdowns, comma separated: local_authority, gp_practice_code, sex, age_band,"
        " imd_quintile.",
    ),
    years: str = typer.Option("2023-2025", help="Calendar years, e.g. 2023-2025."),
    period: str = typer.Option(
        "calendar-year",
        help="calendar-year, financial-year (those starting in the years), quarter or month.",
    ),
    only: str = typer.Option("", help="Indicator ids, comma separated (default: all)."),
    cld_release: int = CLD_RELEASE,
) -> None:
    """Compute every indicator (disclosure control applied) and write one table."""
    _check_format(out)
    if engine not in ("duckdb", "spark", "memory"):
        raise typer.BadParameter(f"{engine!r} is not an engine (expected duckdb, spark or memory)")
    first, last = parse_years(years)
    if period not in PERIOD_KINDS:
        kinds = ", ".join(PERIOD_KINDS)
        raise typer.BadParameter(f"{period!r} is not a kind of period (expected one of {kinds})")
    periods = periods_of(period, first, last)
    breakdowns = [b for b in by.split(",") if b]
    chosen = _chosen(only)
    runner = engine_for(engine, data, cld_release)
    data_end = data_end_of(data)
    rows: list[Mapping[str, Any]] = []
    files: list[Mapping[str, Any]] = []
    with steps(console, label_width=34) as bar:
        task = bar.add_task("indicators", total=len(chosen))
        for indicator in chosen:
            bar.update(task, description=indicator.id)
            allowed = [b for b in breakdowns if b in indicator.spec.breakdowns]
            try:
                table = compute(indicator, runner, periods, allowed, data_end=data_end)
            except BreakdownError as error:
                console.print(str(error), style="yellow", markup=False, highlight=False)
                continue
            published, with_markers = _rows(indicator.id, indicator.spec.name, table, breakdowns)
            rows += published
            files += with_markers
            bar.update(task, advance=1)
    _write(rows, files, out)
    console.print(
        f"Wrote {len(rows)} rows for {len(chosen)} indicators to {out} "
        "(counts of 1-7 suppressed, others rounded to the nearest 5)."
    )


def _check_format(out: Path) -> None:
    if out.suffix not in FORMATS:
        found = f"{out.suffix!r} is not" if out.suffix else "a name without a suffix is not"
        expected = ", ".join(FORMATS)
        raise typer.BadParameter(f"{out}: {found} an output format (expected one of {expected})")


def _chosen(only: str) -> list[Any]:
    known = all_indicators()
    wanted = [i for i in only.split(",") if i] or list(known)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        ids = ", ".join(sorted(known))
        raise typer.BadParameter(f"no indicator has the id {', '.join(unknown)} (expected {ids})")
    return [known[i] for i in wanted]


def data_end_of(folder: Path) -> date | None:
    """The day after the data's last day, from the manifest `onebudget synth` writes."""
    span = data_span_of(folder)
    return None if span is None else span[1]


def data_span_of(folder: Path) -> tuple[date, date] | None:
    """The data's first day and the day after its last, from the manifest, if it has one."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    first, last = json.loads(manifest.read_text())["years"][:2]
    return date(int(first), 1, 1), date(int(last) + 1, 1, 1)


def segments(
    data: Path = typer.Option(..., help="Folder of linked data (as `onebudget synth` writes)."),
    out: Path = typer.Option(..., help="Output file: .csv, .xlsx or .parquet."),
    years: str = typer.Option("2023-2025", help="Calendar years, e.g. 2023-2025."),
    cld_release: int = CLD_RELEASE,
) -> None:
    """People and whole-person cost by Bridges to Health segment (disclosure-controlled)."""
    _check_format(out)
    first, last = parse_years(years)
    engine = engine_for("duckdb", data, cld_release)
    assert isinstance(engine, DuckDBEngine)  # noqa: S101 (chosen just above)
    table = segmentation(engine.con, [Period.calendar_year(y) for y in range(first, last + 1)])
    rows = [dict(row) for row in table.rows]
    _write(rows, marked(table), out)
    console.print(
        f"Wrote {len(rows)} rows to {out} (counts of 1-7 suppressed, others rounded "
        "to the nearest 5)."
    )
