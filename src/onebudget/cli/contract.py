"""``onebudget contract``: check a provider contract, work out a period's statement, and model
its payments under scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from onebudget.cli.contract_data import with_results
from onebudget.cli.indicators import data_span_of, engine_for
from onebudget.cli.progress import steps
from onebudget.contracts import modelling_chart as shown
from onebudget.contracts.inputs import Inputs, InputsError, read_inputs
from onebudget.contracts.load import ContractError, read_contract
from onebudget.contracts.model import Contract
from onebudget.contracts.modelling import Modelled, model
from onebudget.contracts.modelling_load import Scenarios, ScenariosError, read_scenarios
from onebudget.contracts.periods import Period, PeriodError, read_period
from onebudget.contracts.statement import PaymentError, Statement, as_data, rows, statements
from onebudget.io.excel import write_sheets
from onebudget.io.problems import Problem
from onebudget.io.tables import TableError

app = typer.Typer(help="Provider contracts and their payments.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
CONTRACT = typer.Option(..., "--contract", help="The contract, as YAML.")
PERIOD = typer.Option(..., "--period", help="2025-Q1 (April-June 2025) or 2025-04.")
CHARTS = (".svg", ".png", ".html")
MANY_RUNS = 500  # a progress bar from this many drawn runs


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
def check(
    contract: Path = CONTRACT,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Check a contract file: every problem with its place in the file (exit 2 if any)."""
    if as_json:
        raise _check_json(contract)
    found = _contract(contract)
    providers = ", ".join(p.code for p in found.providers)
    console.print(
        f"{found.id}: {found.mechanism.kind} contract paying {providers} {found.periods}: valid.",
        markup=False,
        highlight=False,
    )


def _check_json(path: Path) -> typer.Exit:
    """``{"file", "valid", "problems": [{path, line, value, rule}]}`` on stdout; exit 2 if
    any problem, as the text form."""
    try:
        found: list[Problem] = []
        read_contract(path)
    except ContractError as error:
        found = list(error.problems)
    except OSError as error:
        found = [Problem(path="(file)", value=None, rule=f"cannot be read: {error.strerror}")]
    rows = [p.model_dump(mode="json", include={"path", "line", "value", "rule"}) for p in found]
    typer.echo(json.dumps({"file": str(path), "valid": not found, "problems": rows}, indent=2))
    return typer.Exit(2 if found else 0)


@app.command("pay")
def pay_command(
    contract: Path = CONTRACT,
    period: str = PERIOD,
    inputs: Path | None = typer.Option(
        None, "--inputs", help="The period's figures: YAML, CSV or XLSX."
    ),
    data: Path | None = typer.Option(
        None, "--data", help="A place's linked data: outcome indicators' results from it."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="With --data: duckdb or memory."),
    as_json: bool = typer.Option(False, "--json", help="Print the statement as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Write the statement (.xlsx)."),
) -> None:
    """A period's payment statement, one per provider paid (each alliance member, a prime
    and its subcontractors): each step with its inputs, rule and amount, and the total (the
    sum of the steps). With --data, an outcome-based contract's indicator results (and 95%
    intervals) are the outcomes engine's, published for the period from the place's linked
    data. Any problem (a figure missing, a period outside the term, a suppressed result) is
    named, exit 2."""
    found = _contract(contract)
    when = _period(period)
    if inputs is None and data is None:
        raise _fail("pay", error="give the period's figures (--inputs), its data (--data) or both")
    try:
        figures = read_inputs(inputs, when) if inputs is not None else Inputs()
        if data is not None:
            figures = _from_data(found, when, figures, data, engine)
        found_statements = statements(found, when, figures)
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
        shown = [as_data(s) for s in found_statements]
        typer.echo(json.dumps(shown[0] if len(shown) == 1 else shown, indent=2, ensure_ascii=False))
        return
    for statement in found_statements:
        _print(statement)


def _from_data(found: Contract, when: Period, figures: Inputs, data: Path, engine: str) -> Inputs:
    """The figures with the contract's indicator results from the linked data."""
    if engine not in ("duckdb", "memory"):
        raise typer.BadParameter(f"{engine!r}: --engine is duckdb or memory")
    with_data, problems = with_results(
        found, when, figures, engine_for(engine, data), data_span_of(data)
    )
    if problems:
        raise _fail(str(data), problems)
    return with_data


def _period(text: str) -> Period:
    try:
        return read_period(text)
    except PeriodError as error:
        raise _fail("--period", error.problems) from None


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


@app.command("model")
def model_command(
    contract: Path = CONTRACT,
    period: str = PERIOD,
    scenarios: Path = typer.Option(..., "--scenarios", help="The scenarios, as YAML."),
    as_json: bool = typer.Option(False, "--json", help="Print the model as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Write the model (.xlsx)."),
    chart: Path | None = typer.Option(None, "--chart", help="Draw it (.svg, .png or .html)."),
) -> None:
    """The period's payments under each scenario (and a distribution's drawn runs): each
    provider's, the commissioners' exposure (the most they pay, and the range), and who
    bears a swing in cost. Any problem (a figure a scenario lacks, a bad range) is named,
    exit 2."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise _fail(str(out), error=f"{out}: a model is written to a .xlsx file")
    if chart is not None and chart.suffix.lower() not in CHARTS:
        raise _fail(str(chart), error=f"{chart}: a chart is drawn to a .svg, .png or .html file")
    found, when = _contract(contract), _period(period)
    try:
        modelled = _modelled(found, when, read_scenarios(scenarios))
    except (ScenariosError, PaymentError) as error:
        raise _fail(error.source, error.problems) from None
    except OSError as error:
        raise _fail(
            str(scenarios), error=f"{scenarios}: cannot be read: {error.strerror}"
        ) from None
    if out is not None:
        write_sheets(out, shown.sheets(modelled))
    if chart is not None:
        _draw(chart, modelled)
    if as_json:
        typer.echo(json.dumps(shown.as_data(modelled), indent=2, ensure_ascii=False))
        return
    _print_model(modelled)


def _modelled(contract: Contract, period: Period, scenarios: Scenarios) -> Modelled:
    """The model, with a progress bar (on stderr, so --json stays clean) for many runs."""
    runs = scenarios.distribution.runs if scenarios.distribution else 0
    if runs < MANY_RUNS:
        return model(contract, period, scenarios)
    with steps(err, label_width=12) as bar:
        task = bar.add_task("drawn runs", total=runs)
        return model(contract, period, scenarios, lambda done: bar.update(task, completed=done))


def _draw(path: Path, modelled: Modelled) -> None:
    suffix = path.suffix.lower()
    if suffix == ".png":
        path.write_bytes(shown.chart_png(modelled))
    else:
        draw = shown.chart_svg if suffix == ".svg" else shown.chart_html
        path.write_text(draw(modelled), encoding="utf-8")


def _print_model(modelled: Modelled) -> None:
    """Scenarios (and the runs' statistics) by provider, then the exposure and the risk.
    Cells are text, not markup."""
    title = f"{modelled.contract_name} ({modelled.contract}), {modelled.period}: payments"
    table = Table(title=Text(title), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("scenario", overflow="fold")
    table.add_column("cost", justify="right", no_wrap=True)
    for p in modelled.providers:
        table.add_column(Text(f"{p.code}\n{p.name}"), justify="right", overflow="fold")
    table.add_column("commissioners\npay", justify="right", no_wrap=True)
    codes = [p.code for p in modelled.providers]
    for row in shown.scenario_rows(modelled):
        table.add_row(Text(row["scenario"]), *_amounts(row, ["cost", *codes, shown.OUTLAY]))
    if modelled.drawn is not None:
        runs = f"{len(modelled.drawn.runs):,} runs:"
        table.add_section()
        table.add_row(Text(runs, style="italic"))
        for row in shown.distribution_rows(modelled):
            cells = _amounts(row, [*codes, shown.OUTLAY])
            table.add_row(Text(f"  {row['statistic']}"), "", *cells)
    console.print(table)
    for line in shown.words(modelled):
        console.print(Text(line), soft_wrap=True)


def _amounts(row: dict[str, object], keys: list[str]) -> list[str]:
    return [f"{row[k]:,.2f}" if row.get(k) is not None else "" for k in keys]
