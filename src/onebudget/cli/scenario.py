"""``onebudget scenario``: five-year demand and cost scenarios for a place, and the best
portfolio of community interventions under a budget (issue 18).

The baseline is the place's linked data (``--data``, counted by cell through the outcomes
engine: ``outcomes.cells``); the population is projected from it by cohort-component ageing
with national rates, or read from an ONS subnational projection the file names; the
interventions are the reviewed definitions (``definitions/interventions``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from onebudget.cli.indicators import data_span_of, engine_for
from onebudget.io.excel import write_sheets
from onebudget.io.yamlio import dump, read_text
from onebudget.outcomes.calendar import Period
from onebudget.outcomes.cells import cells, population_by_age
from onebudget.scenarios import report
from onebudget.scenarios.baseline import from_cells, unit_cost_source, unit_costs
from onebudget.scenarios.config import ConfigError, ScenarioConfig, load_config
from onebudget.scenarios.engine import Baseline, Runs, Scenario, simulate
from onebudget.scenarios.interventions import Intervention, InterventionError, read_interventions
from onebudget.scenarios.optimise import Limits, frontier, marginal_value, optimise
from onebudget.scenarios.portfolio import chosen, options
from onebudget.scenarios.projection import (
    FEMALE,
    MALE,
    Population,
    band_growth,
    national_projection_rates,
    project,
)
from onebudget.scenarios.shift import RULE, proposed_scheme, shifts
from onebudget.scenarios.snpp import SnppError, read_snpp
from onebudget.scenarios.summary import central, pence

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
    """The scenario, the interventions it may choose, the baseline from the data and the
    demographic growth by age band and sex; every problem named, exit 2."""
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
    baseline = from_cells(cells(engine.con, year), found.baseline_year)
    return found, shipped, baseline, _growth(found, engine.con, year.start)


def _growth(found: ScenarioConfig, con: Any, start: date) -> np.ndarray:
    if found.population == "national":
        persons = np.zeros((2, 101))
        for sex, age, people in population_by_age(con, start):
            persons[FEMALE if sex == "female" else MALE, age] += people
        projection = project(
            Population(start.year, persons), found.years, national_projection_rates()
        )
    else:
        try:
            projection = read_snpp(Path(found.population.snpp), found.population.area)
        except SnppError as error:
            raise _fail([str(p) for p in error.problems]) from None
        projection = projection.since(start.year, found.years)
    return band_growth(projection)


def _scenario(
    found: ScenarioConfig,
    shipped: dict[str, Intervention],
    growth: np.ndarray,
    runs: int | None,
    seed: int | None,
) -> Scenario:
    return Scenario(
        years=found.years, growth=growth, non_demographic=found.growth.by_every_pod(),
        inflation=found.growth.inflation,
        interventions=tuple(chosen(shipped[c.id], c.scale) for c in found.interventions),
        runs=runs or found.runs, seed=found.seed if seed is None else seed,
    )  # fmt: skip


@app.command("run")
def run_command(
    config: Path = CONFIG,
    data: Path = DATA,
    runs: int | None = typer.Option(None, "--runs", help="Runs (the file's, if not given)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed (the file's, if not given)."),
    out: Path | None = typer.Option(None, "--out", help="Write the results (.xlsx)."),
) -> None:
    """Activity and cost by year under the scenario: the deterministic run and, over the
    runs, each figure's median and 10th to 90th percentile; money by partner and budget."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise _fail([f"{out}: results are written to a .xlsx file"])
    found, shipped, baseline, growth = _read(config, data)
    scenario = _scenario(found, shipped, growth, runs, seed)
    with console.status(f"{scenario.runs:,} runs over {scenario.years} years..."):
        many, once = simulate(baseline, scenario), simulate(baseline, central(scenario))
    _show(found, many, once)
    if out is not None:
        chosen_ones = [shipped[c.id] for c in found.interventions]
        write_sheets(out, _sheets(found, many, once, chosen_ones))
        console.print(f"{out}: written.", markup=False)


def _sheets(
    found: ScenarioConfig, many: Runs, once: Runs, chosen_ones: list[Intervention]
) -> dict[str, list[dict[str, Any]]]:
    first = found.baseline_year
    return {
        "Summary": report.headline_rows(many, once, first),
        "Activity": report.activity_rows(many, once, first),
        "Cost by partner": report.money_rows("cost", many.cost, once.cost, first),
        "Savings by partner": report.money_rows("saving", many.saving, once.saving, first),
        "Assumptions": report.assumption_rows(chosen_ones, unit_costs(), unit_cost_source()),
    }


def _show(found: ScenarioConfig, many: Runs, once: Runs) -> None:
    table = Table(title=f"{found.name}: net saving and the acute-to-community spend ratio")
    rows = report.headline_rows(many, once, found.baseline_year)
    shown = ("Year", "Net saving, median (£)", "Net saving, 10th percentile (£)",
             "Net saving, 90th percentile (£)", "Acute to community spend, median")  # fmt: skip
    for column in shown:
        table.add_column(column, justify="left" if column == "Year" else "right")
    for r in rows:
        table.add_row(*(_cell(r[c]) for c in shown))
    console.print(table)
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
    found, shipped, baseline, growth = _read(config, data)
    if found.budget is None and not found.by_partner:
        raise _fail([f"{config}: budget: give a budget a year (or by_partner) to optimise within"])
    scenario = _scenario(found, shipped, growth, runs, None)
    picked = [shipped[c.id] for c in found.interventions]
    limits_by_id = {c.id: (c.least, c.most) for c in found.interventions}
    with console.status("Each intervention alone, then the best portfolio..."):
        choices = options(baseline, scenario, picked, limits_by_id)
        limits = Limits(
            budget=None if found.budget is None else [float(b) for b in found.budget],
            by_partner={p: [float(b) for b in v] for p, v in found.by_partner.items()},
        )
        best = optimise(choices, limits, found.objective)
    if not best.solved:
        raise _fail([f"{config}: no portfolio meets the limits: {best.message}"])
    value = pence(best.value) + 0  # no "-0.00"
    console.print(f"Best portfolio ({found.objective}): value £{value:,}", markup=False)
    for name, scale in best.scales.items():
        console.print(f"  {name}: {abs(round(scale, 4)):.0%} of full scale", markup=False)
    if found.budget is not None:
        rate = marginal_value(choices, limits, found.objective)
        console.print(f"The next pound of budget a year buys £{rate:,.2f} of value.", markup=False)
    _shift(found, shipped, baseline, scenario, best.scales, scheme)
    if out is not None:
        points = frontier(
            choices,
            [float(found.budget[0]) * k / 4 for k in range(9)] if found.budget else [],
            found.objective,
        )
        rows = [
            {
                "Budget a year (£)": round(b, 2),
                "Value (£)": round(p.value, 2),
                **p.scales,
            }
            for b, p in points
        ]
        write_sheets(
            out,
            {
                "Portfolio": [{"Intervention": k, "Scale": v} for k, v in best.scales.items()],
                "Frontier": rows,
            },
        )
        console.print(f"{out}: written.", markup=False)


def _shift(
    found: ScenarioConfig,
    shipped: dict[str, Intervention],
    baseline: Baseline,
    scenario: Scenario,
    scales: dict[str, float],
    scheme: Path | None,
) -> None:
    """The chosen portfolio run once (deterministic): who pays and who gains, year by year."""
    portfolio = tuple(chosen(shipped[k], v) for k, v in scales.items() if v > 0)
    once = simulate(baseline, central(replace(scenario, interventions=portfolio)))
    bearers = {k: shipped[k].cost_bearer.partner for k in scales}
    years = shifts(once, bearers, ("council", "icb"))
    console.print(f"Who pays, who gains ({RULE}):", markup=False)
    for y in years:
        moved = ", ".join(f"{p} {v:+,}" for p, v in y.moved.items())
        console.print(f"  {report.year_label(found.baseline_year, y.year)}: {moved}", markup=False)
    if scheme is not None and years:
        codes = {"council": "COUNCIL", "icb": "ICB"}
        block = proposed_scheme(
            years[0], "SHIFT", f"{found.name} (funding follows the gain)", codes
        )
        note = "# Replace COUNCIL and ICB with the partners' codes in the agreement.\n"
        scheme.write_text(note + dump({"schemes": [block]}), encoding="utf-8")
        console.print(f"{scheme}: written.", markup=False)
