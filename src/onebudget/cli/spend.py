"""``onebudget spend``: every partner's ledger, mapped, eliminated and reconciled."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from onebudget.cli.progress import steps
from onebudget.cli.tables import print_across
from onebudget.io.excel import write_sheets
from onebudget.io.tables import TableError
from onebudget.spend import report
from onebudget.spend.engine import SpendView, identify
from onebudget.spend.mapping import LedgerFileError, MappingError, read_ledger, read_mapping
from onebudget.spend.places import NoPracticesError, apportion, shares_for

console = Console()
err = Console(stderr=True)


def spend(
    ledgers: Path = typer.Option(..., help="Folder of the partners' ledger extracts."),
    mapping: Path = typer.Option(..., help="Folder of mapping files, one <partner>.yaml each."),
    out: Path = typer.Option(..., help="Write the spend workbook (.xlsx)."),
    place: str = typer.Option(
        "", help="A local authority district (GSS code): add its share of every ledger."
    ),
) -> None:
    """One view of the spend: by service and partner, pooled or aligned, reconciled.

    The terminal shows the reconciliation; --out has every line, mapped and unmapped."""
    if out.suffix != ".xlsx":
        raise typer.BadParameter(f"{out}: not a workbook (expected a file ending .xlsx)")
    files = sorted(mapping.glob("*.yaml"))
    if not files:
        raise typer.BadParameter(
            f"{mapping}: no mapping files (expected <partner>.yaml for each partner)"
        )
    problems: list[str] = []
    mappings, lines = [], []
    with steps(console, label_width=30) as bar:
        task = bar.add_task("ledgers", total=len(files))
        for path in files:
            bar.update(task, description=path.name)
            try:
                found = read_mapping(path)
                mappings.append(found)
                lines += read_ledger(ledgers, found)
            except (MappingError, LedgerFileError, TableError) as error:
                problems += [str(p) for p in getattr(error, "problems", [error])]
            bar.update(task, advance=1)
    if problems:
        for line in problems:
            err.print(line, markup=False, highlight=False, soft_wrap=True)
        err.print(f"{len(problems)} problems: nothing was loaded.", style="red")
        raise typer.Exit(2)
    view = identify(lines, {m.partner: m.rules for m in mappings})
    sheets = report.sheets(view)
    if place:
        try:
            population, shares = shares_for(place, [m.partner for m in mappings])
        except NoPracticesError as error:
            raise typer.BadParameter(str(error)) from None
        sheets["Spend for place"] = apportion(view, place, population, shares)
    write_sheets(out, sheets)
    _summary(view)
    console.print(
        f"Wrote {out}: {len(lines):,} lines, {len(view.unmapped):,} unmapped, "
        f"{len(view.unresolved):,} unresolved transfers."
    )


def _summary(view: SpendView) -> None:
    print_across(console, "Reconciliation (to the penny)", report.reconciliation_rows(view))
