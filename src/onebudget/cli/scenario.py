"""``onebudget scenario``: five-year demand and cost scenarios for a place, and the best
portfolio of community interventions under a budget (issue 18).

The baseline is the place's linked data (``--data``, counted by cell through the outcomes
engine: ``outcomes.cells``); the population is projected from it by cohort-component ageing
with national rates, or read from an ONS subnational projection the file names; the
interventions are the reviewed definitions (``definitions/interventions``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from onebudget.cli.indicators import data_span_of, engine_for
from onebudget.figures import pounds, whole_pounds
from onebudget.io.excel import write_sheets
from onebudget.io.tables import read_table
from onebudget.io.yamlio import dump, read_text
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.cells import cells, population_by_age, rounded
from onebudget.scenarios import report, results
from onebudget.scenarios.baseline import from_cells
from onebudget.scenarios.config import ConfigError, ScenarioConfig, load_config
from onebudget.scenarios.engine import Baseline
from onebudget.scenarios.interventions import Intervention, InterventionError, read_interventions
from onebudget.scenarios.shift import RULE, proposed_scheme
from onebudget.scenarios.snpp import SnppError, parse_snpp_tables
from onebudget.scenarios.study import Study, demographic_growth, study, unit_of
from onebudget.scenarios.summary import pence

app = typer.Typer(help="Demand and cost scenarios, and the best portfolio.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)
CONFIG = typer.Option(..., "--config", help="The scenario, as YAML.")
DATA = typer.Option(..., "--data", help="The place's linked data (as `onebudget synth` writes).")


def _fail(lines: list[str]) -> typer.Exit:
    for line in lines:
        err.print(line, style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _read(
    config: Path, data: Path
) -> tuple[ScenarioConfig, dict[str, Intervention], Baseline, np.ndarray]:
    """The scenario, the interventions it may choose, the baseline from the data (its cells
    rounded, as every published scenario's are) and the demographic growth by age band and
    sex; every problem named, exit 2."""
    try:
        shipped = read_interventions()
        found = load_config(read_text(config, ConfigError), str(config), set(shipped))
    except (ConfigError, InterventionError) as error:
        raise _fail([f"{error.source}: {p}" for p in error.problems]) from None
    year = Period.financial_year(found.baseline_year)
    span = data_span_of(data)
    if span is not None and not (span[0] <= year.start and year.end <= span[1]):
        last = span[1] - timedelta(days=1)
        raise _fail([f"{config}: baseline_year: {found.baseline_year}: a financial year the data "
                     f"cover: they run from {span[0]:%-d %B %Y} to {last:%-d %B %Y}"])  # fmt: skip
    engine: Any = engine_for("duckdb", data)
    baseline = from_cells(rounded(cells(engine.con, year)), found.baseline_year)
    return found, shipped, baseline, _growth(found, engine.con, year.start)


def _growth(found: ScenarioConfig, con: Any, start: date) -> np.ndarray:
    snpp = None
    if found.population != "national":
        try:
            tables = [read_table(Path(f)) for f in found.population.files]
            snpp = parse_snpp_tables(tables, found.population.area)
            return demographic_growth(found, [], start, snpp)
        except SnppError as error:
            raise _fail([str(p) for p in error.problems]) from None
        except ValueError as error:
            raise _fail([f"{', '.join(found.population.files)}: {error}"]) from None
    return demographic_growth(found, population_by_age(con, start), start)


def _studied(config: Path, data: Path, runs: int | None, seed: int | None) -> Study:
    found, shipped, baseline, growth = _read(config, data)
    with console.status(f"{runs or found.runs:,} runs, the portfolio and its sensitivity..."):
        return study(found, shipped, baseline, growth, runs, seed)


@app.command("run")
def run_command(
    config: Path = CONFIG,
    data: Path = DATA,
    runs: int | None = typer.Option(None, "--runs", help="Runs (the file's, if not given)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed (the file's, if not given)."),
    out: Path | None = typer.Option(None, "--out", help="Write the results (.xlsx)."),
) -> None:
    """Activity and cost by year under the scenario: the deterministic run and, over the
    runs, each figure's median and 10th to 90th percentile; money by partner and budget;
    the emergency admissions of people aged 65 and over per 100,000; which figures matter
    most; and, when the file gives a budget, the best portfolio within it."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise _fail([f"{out}: results are written to a .xlsx file"])
    found = _studied(config, data, runs, seed)
    _show(found)
    if out is not None:
        write_sheets(out, results.sheets(found))
        console.print(f"{out}: written.", markup=False)


def _show(found: Study) -> None:
    config = found.config
    table = Table(title=f"{config.name}: net saving and the acute-to-community spend ratio")
    rows = report.headline_rows(found.many, found.once, config.baseline_year)
    shown = ("Year", "Net saving, median (£)", "Net saving, 10th percentile (£)",
             "Net saving, 90th percentile (£)", "Acute to community spend, median")  # fmt: skip
    for column in shown:
        table.add_column(column, justify="left" if column == "Year" else "right")
    for r in rows:
        table.add_row(*(_cell(r[c]) for c in shown))
    console.print(table)
    if found.tornado.bars:
        top = found.tornado.bars[0]
        swing = f"{whole_pounds(top.low)} to {whole_pounds(top.high)}"
        console.print(
            f"The figure that matters most: {top.name} (net saving over the years {swing}).",
            markup=False,
        )
    console.print(
        "Effects marked illustrative in the definitions are assumptions, not published "
        "figures: the workbook's Assumptions sheet names each one.",
        markup=False,
    )


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, str):
        return value
    return f"{value:,}"


@app.command("optimise")
def optimise_command(
    config: Path = CONFIG,
    data: Path = DATA,
    runs: int | None = typer.Option(None, "--runs", help="Runs (the file's, if not given)."),
    out: Path | None = typer.Option(None, "--out", help="Write the portfolio (.xlsx)."),
    scheme: Path | None = typer.Option(
        None, "--scheme", help="Write its first year as a pooled scheme (.yaml)."
    ),
) -> None:
    """The scale of each of the file's interventions that maximises its objective within its
    budgets (a year, and by partner), capacity limits and minimum scales; the efficient
    frontier of spend against benefit; what the next pound would buy; and the shift of money
    between partners it implies (funding follows the gain), as a pooled scheme."""
    found = _studied(config, data, runs, None)
    if found.optimised is None:
        raise _fail([f"{config}: budget: give a budget a year (or by_partner) to optimise within"])
    best = found.optimised.best
    if not best.solved:
        raise _fail([f"{config}: no portfolio meets the limits: {best.message}"])
    unit = unit_of(found.config.objective)
    value = pounds(pence(best.value)) if unit is None else f"{best.value:,.1f} {unit}"
    console.print(f"Best portfolio ({found.config.objective}): value {value}", markup=False)
    for name, scale in best.scales.items():
        console.print(f"  {name}: {abs(round(scale, 4)):.0%} of full scale", markup=False)
    rate = found.optimised.next_pound
    if rate is not None and unit is None:
        buys = pounds(pence(rate))
        console.print(f"The next pound of budget a year buys {buys} of value.", markup=False)
    elif rate is not None:
        console.print(f"The next £1,000 of budget a year buys {rate * 1000:,.2f} {unit}.")
    _shift(found, scheme)
    if out is not None:
        tables = results.sheets(found)
        write_sheets(out, {k: tables[k] for k in ("Portfolio", "Frontier") if k in tables})
        console.print(f"{out}: written.", markup=False)


def _shift(found: Study, scheme: Path | None) -> None:
    """Who pays and who gains under the chosen portfolio, year by year."""
    console.print(f"Who pays, who gains ({RULE}):", markup=False)
    for y in found.shifts:
        moved = ", ".join(f"{p} {v:+,}" for p, v in y.moved.items())
        label = report.year_label(found.config.baseline_year, y.year)
        console.print(f"  {label}: {moved}", markup=False)
    if scheme is not None and found.shifts:
        codes = {"council": "COUNCIL", "icb": "ICB"}
        name = f"{found.config.name} (funding follows the gain)"
        block = proposed_scheme(found.shifts[0], "SHIFT", name, codes)
        note = "# Replace COUNCIL and ICB with the partners' codes in the agreement.\n"
        scheme.write_text(note + dump({"schemes": [block]}), encoding="utf-8")
        console.print(f"{scheme}: written.", markup=False)
