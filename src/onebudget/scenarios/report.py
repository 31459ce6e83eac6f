"""A scenario's results as tables (for the CLI's screen and workbook, and the service's pages):
activity by point of delivery, money by partner and budget, each intervention's cost and
the saving it brings, and the assumptions, each with its source, illustrative ones marked.

Each table gives a figure's median with its 10th and 90th percentile over the runs, and the
deterministic run beside it. Money is in exact pence; in the deterministic run each
partner's amounts add up to the total to the penny.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from onebudget.scenarios.config import ScenarioConfig
from onebudget.scenarios.engine import POD_LIST, Runs, acute_to_community
from onebudget.scenarios.interventions import Intervention
from onebudget.scenarios.model import POD_NAMES, PODS
from onebudget.scenarios.portfolio import net_saving
from onebudget.scenarios.summary import money_spread, nearest_rank, pence, run_money


def year_label(first: int, offset: int) -> str:
    """Financial years: 2025 and 1 -> ``2026/27``."""
    start = first + offset
    return f"{start}/{(start + 1) % 100:02d}"


def activity_rows(runs: Runs, once: Runs, first: int) -> list[dict[str, Any]]:
    rows = []
    for i, pod in enumerate(POD_LIST):
        for y in range(runs.activity.shape[1]):
            values = list(runs.activity[:, y, i])
            rows.append(
                {
                    "Point of delivery": POD_NAMES[pod],
                    "Unit": PODS[pod],
                    "Year": year_label(first, y),
                    "Deterministic": round(float(once.activity[0, y, i]), 1),
                    "Median": round(nearest_rank(values, 50), 1),
                    "10th percentile": round(nearest_rank(values, 10), 1),
                    "90th percentile": round(nearest_rank(values, 90), 1),
                    "Avoided (median)": round(nearest_rank(list(runs.avoided[:, y, i]), 50), 1),
                }
            )
    return rows


def money_rows(
    what: str,
    by_payer: Mapping[tuple[str, str], np.ndarray],
    once: Mapping[tuple[str, str], np.ndarray],
    first: int,
) -> list[dict[str, Any]]:
    """Each (partner, budget)'s amounts by year, then the total of the deterministic run's
    rounded amounts (which its parts add up to exactly)."""
    rows = []
    exact = run_money(once, 0)
    for key in sorted(by_payer):
        spread = money_spread(by_payer[key])
        for y in range(len(spread.median)):
            rows.append(
                {
                    "What": what,
                    "Partner": key[0],
                    "Budget": key[1],
                    "Year": year_label(first, y),
                    "Deterministic (£)": exact.parts[key][y] if key in exact.parts else None,
                    "Median (£)": spread.median[y],
                    "10th percentile (£)": spread.p10[y],
                    "90th percentile (£)": spread.p90[y],
                }
            )
    for y, total in enumerate(exact.total):
        rows.append({"What": what, "Partner": "all", "Budget": "total",
                     "Year": year_label(first, y), "Deterministic (£)": total})  # fmt: skip
    return rows


def headline_rows(runs: Runs, once: Runs, first: int) -> list[dict[str, Any]]:
    """By year: net saving (savings less interventions' costs) and the acute-to-community
    spend ratio."""
    saving, ratio = net_saving(runs), acute_to_community(runs)
    once_saving, once_ratio = net_saving(once), acute_to_community(once)
    rows = []
    for y in range(saving.shape[1]):
        spread = money_spread(saving[:, y : y + 1])
        finite = [float(v) for v in ratio[:, y] if np.isfinite(v)]
        rows.append(
            {
                "Year": year_label(first, y),
                "Net saving, deterministic (£)": pence(float(once_saving[0, y])),
                "Net saving, median (£)": spread.median[0],
                "Net saving, 10th percentile (£)": spread.p10[0],
                "Net saving, 90th percentile (£)": spread.p90[0],
                "Acute to community spend, deterministic": _ratio(once_ratio[0, y]),
                "Acute to community spend, median": _ratio(nearest_rank(finite, 50))
                if finite
                else None,
            }
        )
    return rows


def _ratio(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 3)


def assumption_rows(
    interventions: Sequence[Intervention], unit_costs: Mapping[str, Any], source: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"Assumption": f"unit cost: {POD_NAMES[pod]}", "Value": str(cost),
         "Source": source if pod != "bed_day" else "none: a bed day's cost is in its admission's",
         "Illustrative": "no"}
        for pod, cost in unit_costs.items()
    ]  # fmt: skip
    for i in interventions:
        for e in i.effects:
            rows.append(
                {
                    "Assumption": f"{i.name}: change in {POD_NAMES[e.pod]}",
                    "Value": _figure(e.change),
                    "Source": e.source.strip(),
                    "Illustrative": "yes: shown as such on every output"
                    if e.illustrative
                    else "no",
                }
            )
    return rows


NATIONAL = (
    "the place's own people, aged on each year by national rates of birth and death (no migration)",
    "England's rates as the synthetic data uses them: ONS mid-2023 population estimates and "
    "2024 deaths, the mortality age shape modelled",
)
OWN = "the scenario's own planning assumption"


def planning_rows(config: ScenarioConfig) -> list[dict[str, Any]]:
    """The scenario's own assumptions, before the shipped ones: how its population is
    projected, the growth in demand beyond it (each point of delivery's own, if given) and
    inflation, as the file gives them."""
    population, source = NATIONAL
    if config.population != "national":
        population = f"ONS subnational population projection, area {config.population.area}"
        source = f"ONS, the file {', '.join(config.population.files)}"
    growth = config.growth
    rows = [("population", population, source),
            ("growth in demand a year beyond population change",
             _figure(growth.non_demographic), OWN)]  # fmt: skip
    rows += [
        (f"growth a year beyond population change: {POD_NAMES[pod]}", _figure(f), OWN)
        for pod, f in growth.by_pod.items()
    ]
    rows.append(("inflation in costs a year", _figure(growth.inflation), OWN))
    return [{"Assumption": a, "Value": v, "Source": s, "Illustrative": "no"} for a, v, s in rows]


def _figure(figure: Any) -> str:
    if figure.triangular is not None:
        low, mode, high = figure.triangular
        return f"triangular {low:g} to {high:g} (mode {mode:g})"
    if figure.uniform is not None:
        return "uniform {:g} to {:g}".format(*figure.uniform)
    return f"{figure.central:g}"
