"""``onebudget data``: look at a folder of linked data before computing anything from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from onebudget.cli.progress import steps
from onebudget.population.checks import CHECKS, CheckReport, Finding, check_extract
from onebudget.population.defined_lists import Release
from onebudget.population.extract import ExtractError, read_extract

app = typer.Typer(help="Linked person-level data.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
STYLE = {"problem": "red", "note": "yellow"}


@app.command("check")
def check(
    data: Path = typer.Option(..., help="Folder of linked data: one <table>.parquet per table."),
    cld_release: int = typer.Option(
        2, "--cld-release", min=1, max=2, help="The CLD release whose defined lists apply."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Consistency checks: dates against birth and death, overlapping stays and placements,
    linkage, duplicate ids, CLD values and SUS codes. Exits 1 on any problem, 2 if the data cannot
    be read. --json prints the report as JSON, unwrapped, for a file or another program."""
    with steps(err, label_width=24) as bar:
        task = bar.add_task("reading", total=len(CHECKS) + 1)
        try:
            tables = read_extract(data)
        except ExtractError as error:
            bar.stop()
            err.print(f"[red]{escape(str(error))}[/red]", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

        def progress(name: str) -> None:
            bar.update(task, description=name, advance=1)

        report = check_extract(tables, cld_release=cast(Release, cld_release), progress=progress)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        _print(report)
    raise typer.Exit(1 if report.problems else 0)


def _print(report: CheckReport) -> None:
    """The findings as a table. A count is never narrowed (its column does not wrap and is as
    wide as the widest); a check's or table's name too long for a narrow terminal is folded
    onto the next line, never cut short with "…"."""
    if report.findings:
        cells = [_cells(f) for f in report.findings]
        table = Table(title=f"Checks against CLD Release {report.cld_release}", show_lines=True)
        table.add_column("Check", overflow="fold")
        table.add_column("Table", overflow="fold")
        table.add_column("Rule", ratio=1, overflow="fold")
        counts = max(cell_len(c[3]) for c in cells)
        table.add_column("Rows", justify="right", no_wrap=True, min_width=counts)
        table.add_column("Examples", overflow="fold", ratio=1)
        for row in cells:
            table.add_row(*row)
        console.print(table)
    console.print(_summary(report), highlight=False)


def _cells(f: Finding) -> tuple[str, ...]:
    """One row of the report; the examples under a dim line naming their columns."""
    check = f"[{STYLE[f.severity]}]{f.severity}[/]\n{f.check}"
    columns = " · ".join(k for k, _ in f.examples[0]) if f.examples else ""
    lines = [" · ".join(_text(v) for _, v in e) for e in f.examples]
    examples = f"[dim]{escape(columns)}[/dim]\n" + escape("\n".join(lines))
    count = f"{f.count:,}" + (" people" if f.unit == "people" else "")
    return check, f.table, escape(f.rule), count, examples


def _text(value: Any) -> str:
    return "(empty)" if value is None else str(value)


def _summary(report: CheckReport) -> str:
    rows = sum(n for _, n in report.rows)
    problems, notes = len(report.problems), len(report.notes)
    found = (
        f"{problems} problem{'' if problems == 1 else 's'}, {notes} note{'' if notes == 1 else 's'}"
        if report.findings
        else "no problems or notes"
    )
    return f"Checked {len(report.rows)} tables, {rows:,} rows: {found}."
