"""``onebudget contract``: check a provider contract, and work out a period's statement."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from onebudget.contracts.inputs import InputsError, read_inputs
from onebudget.contracts.load import ContractError, read_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.periods import WRITTEN, Period, parse_period
from onebudget.contracts.statement import PaymentError, Statement, as_data, rows, statements
from onebudget.io.excel import write_sheets
from onebudget.io.problems import Problem
from onebudget.io.tables import TableError

app = typer.Typer(help="Provider contracts and their payments.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
CONTRACT = typer.Option(..., "--contract", help="The contract, as YAML.")


def _fail(source: str, problems: list[Problem] | None = None, error: str = "") -> typer.Exit:
    """Every problem on stderr, one line each (path, line, value, rule), exit 2. Not markup:
    a value in a file may hold ``[/red]``."""
    for line in [f"{source}: {p}" for p in problems or []] or [error]:
        err.print(line, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _contract(path: Path) -> Contract:
    try:
        return read_contract(path)
    except ContractError as error:
        raise _fail(error.source, error.problems) from None
    except OSError as error:
        raise _fail(str(path), error=f"{path}: cannot be read: {error.strerror}") from None


@app.command("check")
def check(contract: Path = CONTRACT) -> None:
    """Check a contract file: every problem with its place in the file (exit 2 if any)."""
    found = _contract(contract)
    providers = ", ".join(p.code for p in found.providers)
    console.print(
        f"{found.id}: {found.mechanism.kind} contract paying {providers} {found.periods}: valid.",
        markup=False,
        highlight=False,
    )


@app.command("pay")
def pay_command(
    contract: Path = CONTRACT,
    period: str = typer.Option(..., "--period", help="2025-Q1 (April-June 2025) or 2025-04."),
    inputs: Path = typer.Option(..., "--inputs", help="The period's figures: YAML, CSV or XLSX."),
    as_json: bool = typer.Option(False, "--json", help="Print the statement as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Write the statement (.xlsx)."),
) -> None:
    """A period's payment statement, one per provider paid (each alliance member, a prime
    and its subcontractors): each step with its inputs, rule and amount, and the total (the
    sum of the steps). Any problem (a figure missing, a period outside the term) is named,
    exit 2."""
    found = _contract(contract)
    when = _period(period)
    try:
        found_statements = statements(found, when, read_inputs(inputs, when))
    except (InputsError, PaymentError) as error:
        raise _fail(error.source, error.problems) from None
    except (TableError, OSError) as error:
        raise _fail(str(inputs), error=str(error)) from None
    if out is not None:
        if out.suffix.lower() != ".xlsx":
            raise _fail(str(out), error=f"{out}: a statement is written to a .xlsx file")
        sheets = {"Statement": rows(found_statements[0])}
        if len(found_statements) > 1:  # a sheet for each provider, named by its code
            sheets = {s.provider.code: rows(s) for s in found_statements}
        write_sheets(out, sheets)
    if as_json:
        data = [as_data(s) for s in found_statements]
        typer.echo(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
        return
    for statement in found_statements:
        _print(statement)


def _period(text: str) -> Period:
    found = parse_period(text)
    if found is None:
        raise _fail("--period", [Problem(path="period", value=text, rule=WRITTEN)])
    return found


def _print(statement: Statement) -> None:
    """Words on the left, wrapped to fit; amounts on the right, never cut short. Cells are
    text, not markup: a line's name may hold ``[/red]``."""
    title = (
        f"{statement.contract_name} ({statement.contract}), {statement.period}: "
        f"{statement.provider.name} ({statement.provider.code})"
    )
    table = Table(title=Text(title), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in ("step", "inputs", "rule"):
        table.add_column(name, overflow="fold", ratio=1)
    table.add_column("amount", justify="right", no_wrap=True)
    for r in rows(statement):
        table.add_row(Text(r["step"]), Text(r["inputs"]), Text(r["rule"]), f"{r['amount']:,.2f}")
    console.print(table)
