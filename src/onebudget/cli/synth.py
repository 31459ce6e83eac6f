"""``onebudget synth``: write synthetic linked data for a place; ``data-dictionary``."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from onebudget.cli.progress import steps
from onebudget.population.synth.generate import STEPS, SynthConfig, generate
from onebudget.population.synth.place import UnknownPlaceError
from onebudget.population.synth.writer import data_dictionary, write

console = Console()
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def parse_years(text: str) -> tuple[int, int]:
    match = _YEARS.match(text.strip())
    if not match:
        raise typer.BadParameter(f"{text!r}: give a year or a range, e.g. 2023-2025")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not 2000 <= first <= last <= 2100:
        raise typer.BadParameter(f"{text!r}: years run from 2000 to 2100, first before last")
    return first, last


def synth(
    persons: int = typer.Option(..., min=1, max=20_000_000, help="People living in the place."),
    seed: int = typer.Option(..., min=0, help="The same seed always gives the same data."),
    out: Path = typer.Option(..., help="Folder to write to (must be empty or new)."),
    like: str | None = typer.Option(None, help="GSS code of a real council to shape the place on."),
    years: str = typer.Option("2023-2025", help="Calendar years of activity, e.g. 2023-2025."),
    finance: bool = typer.Option(True, help="Also write general-ledger and pooled-fund files."),
    overwrite: bool = typer.Option(False, help="Allow writing into a folder that has files."),
) -> None:
    """Write synthetic linked health and social care data for one place, as Parquet."""
    first, last = parse_years(years)
    if out.exists() and any(out.iterdir()) and not overwrite:
        console.print(f"[red]{out}: the folder is not empty; choose another or --overwrite[/red]")
        raise typer.Exit(2)
    config = SynthConfig(persons=persons, seed=seed, first_year=first, last_year=last, like=like)
    with steps(console, label_width=12) as bar:
        task = bar.add_task("starting", total=len(STEPS) + 1)
        try:
            data = generate(
                config, progress=lambda step: bar.update(task, advance=1, description=step)
            )
        except UnknownPlaceError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from None
        bar.update(task, description="writing")
        files = write(data, out, finance=finance)
        bar.update(task, advance=1)
    _report(data.place.label, {name: t.num_rows for name, t in data.tables.items()}, out, files)


def _report(label: str, rows: dict[str, int], out: Path, files: list[Path]) -> None:
    table = Table(title=label)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in rows.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"Wrote {len(files)} files to {out} (synthetic data: no real person).")


def dictionary(
    out: Path | None = typer.Option(None, help="Write to this file, not the screen."),
) -> None:
    """Print (or write) the data dictionary of the linked person-level dataset."""
    text = data_dictionary()
    if out is None:
        console.print(text, markup=False, highlight=False)
    else:
        out.write_text(text + "\n")
        console.print(f"Wrote {out}")
