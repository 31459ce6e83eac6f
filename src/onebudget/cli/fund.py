"""``onebudget fund``: check a Section 75 agreement, settle a year, report a quarter."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from onebudget.cli.tables import print_across, print_rows
from onebudget.funds import report
from onebudget.funds.actuals import (
    Actuals,
    ActualsError,
    left_out_in_words,
    missing_actuals,
    read_actuals,
)
from onebudget.funds.agreement import Agreement, AgreementError
from onebudget.funds.monitoring import forecast_settlement, positions, year_end_outturn
from onebudget.funds.settlement import SettlementError, settle
from onebudget.funds.validation import read_agreement
from onebudget.io.excel import write_sheets
from onebudget.io.tables import TableError

app = typer.Typer(help="Section 75 pooled funds.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
AGREEMENT = typer.Option(..., "--agreement", help="The agreement, as YAML.")
ACTUALS = typer.Option(..., "--actuals", help="Monthly actuals, CSV or XLSX.")
NIL = typer.Option(
    [],
    "--nil",
    help="A scheme that spent nothing this year (or scheme:partner for an aligned scheme); "
    "repeat for each. Any other scheme without actuals is a problem.",
)


def _fail(error: Exception) -> typer.Exit:
    """Every problem on stderr, one line each however wide the terminal (so a problem can be
    found with grep), exit 2. Not markup: a value in a file may hold ``[/red]``."""
    problems = getattr(error, "problems", None)
    for line in [str(p) for p in problems] if problems else [str(error)]:
        err.print(line, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _load(agreement: Path, actuals: Path | None = None) -> tuple[Agreement, Actuals]:
    """The agreement and its actuals; rows of other years left out are named on stderr."""
    try:
        found = read_agreement(agreement)
        figures = read_actuals(actuals, found) if actuals else Actuals(())
    except (AgreementError, ActualsError, TableError, OSError) as error:
        raise _fail(error) from None
    for line in left_out_in_words(figures.left_out):
        err.print(line, style="yellow", markup=False, highlight=False, soft_wrap=True)
    return found, figures


@app.command("check")
def check(agreement: Path = AGREEMENT) -> None:
    """Validate an agreement file: every problem, with its place in the file."""
    found, _ = _load(agreement)
    console.print(
        f"{found.id}: {len(found.schemes)} schemes, {len(found.partners)} partners: valid.",
        markup=False,
    )


@app.command("settle")
def settle_command(
    agreement: Path = AGREEMENT,
    actuals: Path = ACTUALS,
    out: Path | None = typer.Option(None, help="Write the settlement workbook (.xlsx)."),
    as_json: bool = typer.Option(False, "--json", help="Print the settlement as JSON."),
    nil: list[str] = NIL,
) -> None:
    """Settle the year: each partner's memorandum account and the payments between them.

    The tables fit the terminal; --json prints every figure as JSON and --out writes them to
    a workbook."""
    found, read = _load(agreement, actuals)
    reported = {(f.scheme, f.partner) for f in read.figures}
    missing = missing_actuals(found, reported, nil)
    if missing:
        raise _fail(AgreementError(str(actuals), missing))
    try:
        result = settle(found, year_end_outturn(found, read.figures, nil))
    except SettlementError as error:
        raise _fail(error) from None
    sheets = report.sheets(result)
    if out is not None:
        write_sheets(out, sheets)
    if as_json:
        typer.echo(json.dumps(sheets, default=_money, indent=2))
        return
    print_across(console, f"{found.name}: year-end settlement", sheets["Partners"])
    for p in sheets["Payments"]:
        console.print(f"{p['from']} pays {p['to']} £{p['amount']:,}", markup=False)


@app.command("report")
def quarter_report(
    agreement: Path = AGREEMENT,
    actuals: Path = ACTUALS,
    quarter: int = typer.Option(..., min=1, max=4, help="Quarter of the financial year."),
    out: Path | None = typer.Option(None, help="Write the report workbook (.xlsx)."),
) -> None:
    """The pool manager's quarterly report: variance to date, forecast and forecast shares.

    The tables fit the terminal (in parts, if it is narrow); --out writes them to a workbook."""
    found, read = _load(agreement, actuals)
    month = 3 * quarter
    rows = report.position_rows(positions(found, read.figures, month))
    forecast = report.partner_rows(forecast_settlement(found, read.figures, month))
    if out is not None:
        write_sheets(out, {"Schemes": rows, "Forecast by partner": forecast})
    print_rows(console, f"{found.name}: quarter {quarter}", rows)
    print_across(console, "Forecast settlement", forecast)


def _money(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(type(value).__name__)
