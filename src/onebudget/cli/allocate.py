"""``onebudget allocate``: NHS England's need indices for an ICB and a place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import typer

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.indices import PlaceError, icb_indices, place_indices
from onebudget.allocation.populations import YEARS, YearError
from onebudget.allocation.targets import AllocationError
from onebudget.io.excel import write_sheets

app = typer.Typer(help="Needs-based allocation.", no_args_is_help=True)


def parse_place(text: str) -> tuple[str, list[str]]:
    """``"Name=B85005,B85022"`` -> ("Name", ["B85005", "B85022"])."""
    name, sep, codes = text.partition("=")
    found = [c.strip().upper() for c in codes.split(",") if c.strip()]
    if not sep or not name.strip() or not found:
        raise typer.BadParameter('a place is "Name=PRACTICE,PRACTICE,..."')
    return name.strip(), found


@app.command("indices")
def indices(
    year: str = typer.Option(..., help=f"Allocation year: {', '.join(YEARS)}."),
    icb: str = typer.Option(..., help="ICB code, e.g. QWO."),
    place: str = typer.Option(..., help='The place: "Name=B85005,B85022,..." (its practices).'),
    whole_people: bool = typer.Option(
        False, "--whole-people", help="Round each sum to whole people before dividing."
    ),
    out: Path | None = typer.Option(None, help="Also write the table to a CSV file."),
) -> None:
    """The nine need indices as CSV (index,icb,place): the ICB's relative to England, the
    place's relative to its ICB, rounded half up to three decimals."""
    _, codes = parse_place(place)
    try:
        of_icb = icb_indices(year, icb.upper(), whole_people=whole_people)
        of_place = place_indices(year, icb.upper(), codes, whole_people=whole_people)
    except (PlaceError, YearError) as error:
        raise typer.BadParameter(str(error)) from None
    rows = [(index, of_icb[index], of_place[index]) for index in of_icb]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["index", "icb", "place"])
    writer.writerows((i, f"{a:.3f}", f"{b:.3f}") for i, a, b in rows)
    if out is not None:
        out.write_text(buffer.getvalue(), encoding="utf-8")
    typer.echo(buffer.getvalue(), nl=False)


@app.command("budget")
def budget(
    config: Path = typer.Option(..., help="The allocation, as YAML (see the example shipped)."),
    out: Path = typer.Option(..., help="Write the allocation workbook (.xlsx)."),
) -> None:
    """Allocate a budget to places by need, with pace of change, to the penny."""
    try:
        spec = load_budget(config.read_text(encoding="utf-8"), source=config.name)
        result = allocate_budget(spec)
    except (BudgetError, AllocationError, OSError) as error:
        for line in [str(p) for p in getattr(error, "problems", [])] or [str(error)]:
            typer.echo(line, err=True)
        raise typer.Exit(2) from None
    rows = result.rows()
    write_sheets(out, {"Allocation": rows})
    typer.echo(f"Allocated {spec.budget:,} to {len(rows)} places; wrote {out}")
