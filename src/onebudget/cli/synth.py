"""``onebudget synth``: write synthetic linked data for a place; ``data-dictionary``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from onebudget.cli.progress import steps
from onebudget.cli.tables import print_table
from onebudget.population.synth.generate import STEPS, SynthConfig, generate
from onebudget.population.synth.place import UnknownPlaceError
from onebudget.population.synth.writer import data_dictionary, write

console = Console()
err = Console(stderr=True)
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def parse_years(text: str) -> tuple[int, int]:
    match = _YEARS.match(text.strip())
    if not match:
        raise typer.BadParameter(f"{text!r} is not a year (expected 2024, say, or 2023-2025)")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last:
        raise typer.BadParameter(f"{text!r}: {first} is after {last} (expected first before last)")
    if not 2000 <= first <= last <= 2100:
        raise typer.BadParameter(f"{text!r}: outside 2000-2100 (expected years from 2000 to 2100)")
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
        _fail(f"{out}: the folder is not empty; choose another or --overwrite")
    config = SynthConfig(persons=persons, seed=seed, first_year=first, last_year=last, like=like)
    with steps(console, label_width=12) as bar:
        task = bar.add_task("starting", total=len(STEPS) + 1)
        try:
            data = generate(
                config, progress=lambda step: bar.update(task, advance=1, description=step)
            )
        except UnknownPlaceError as error:
            bar.stop()
            _fail(str(error))
        bar.update(task, description="writing")
        files = write(data, out, finance=finance)
        bar.update(task, advance=1)
    _report(data.place.label, {name: t.num_rows for name, t in data.tables.items()}, out, files)


def _fail(message: str) -> NoReturn:
    """The problem on stderr, as text (a path or code given may hold ``[/red]``); exit 2."""
    err.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _report(label: str, rows: dict[str, int], out: Path, files: list[Path]) -> None:
    print_table(console, label, ["table", "rows"], [[n, f"{c:,}"] for n, c in rows.items()])
    console.print(f"Wrote {len(files)} files to {out} (synthetic data: no real person).")


def dictionary(
    out: Path | None = typer.Option(None, help="Write to this file, not the screen."),
) -> None:
    """Print (or write) the data dictionary of the linked person-level dataset, as Markdown:
    written as it is, never wrapped, so `onebudget data-dictionary > dd.md` is a valid file."""
    text = data_dictionary()
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n")
        console.print(f"Wrote {out}", markup=False, highlight=False)
