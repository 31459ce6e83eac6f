"""A study's figures as named tables: the workbook's sheets, and what the service stores and
draws its pages and charts from. Money is exact pence (``Decimal``); each row is plain data.

The outcome indicator a scenario moves is the Better Care Fund's **emergency admissions to
hospital of people aged 65 and over, per 100,000 people aged 65 and over** (BCF planning
requirements 2025-26, metric "emergency admissions 65+"): the modelled admissions of the
cells aged 65 and over over their projected people. The national metric's denominator is
the ONS mid-year estimate; here it is the place's own people, projected, which the sheet
says. (Admissions after a fall, the BCF's falls metric, are not told apart in the cells.)
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from onebudget.scenarios import report
from onebudget.scenarios.baseline import unit_cost_source, unit_costs
from onebudget.scenarios.engine import POD_LIST, Runs
from onebudget.scenarios.shift import RULE
from onebudget.scenarios.study import Study, unit_of
from onebudget.scenarios.summary import nearest_rank, pence

Row = dict[str, Any]
PER = 100_000
INDICATOR = "Emergency admissions, people aged 65 and over, per 100,000 people aged 65 and over"
INDICATOR_SOURCE = (
    "Better Care Fund planning requirements 2025-26, metric: emergency admissions to hospital "
    "for people aged 65 and over per 100,000 population (denominator here: the place's own "
    "people aged 65 and over, projected, not the ONS mid-year estimate)"
)


def sheets(study: Study) -> dict[str, list[Row]]:
    """Every table of the study, by sheet name, in the order a reader wants them."""
    first, many, once = study.config.baseline_year, study.many, study.once
    found = {
        "Summary": report.headline_rows(many, once, first),
        "Indicator": indicator_rows(many, once, first),
        "Activity": report.activity_rows(many, once, first),
        "Cost by partner": report.money_rows("cost", many.cost, once.cost, first),
        "Savings by partner": report.money_rows("saving", many.saving, once.saving, first),
        "Portfolio": portfolio_rows(study),
        "Optimisation": optimisation_rows(study),
        "Frontier": frontier_rows(study),
        "Who pays, who gains": shift_rows(study),
        "Sensitivity": tornado_rows(study),
        "Assumptions": report.planning_rows(study.config)
        + report.assumption_rows(
            list(study.interventions.values()), unit_costs(), unit_cost_source()
        ),
    }
    return {name: rows for name, rows in found.items() if rows}


def _rate(runs: Runs, run: int, year: int) -> float:
    people = float(runs.older_people[year])
    admissions = float(runs.older[run, year, POD_LIST.index("emergency_admission")])
    return admissions / people * PER if people else 0.0


def indicator_rows(many: Runs, once: Runs, first: int) -> list[Row]:
    rows = []
    for y in range(many.activity.shape[1]):
        rates = [_rate(many, r, y) for r in range(many.activity.shape[0])]
        rows.append(
            {"Indicator": INDICATOR, "Year": report.year_label(first, y),
             "Deterministic": round(_rate(once, 0, y), 1),
             "Median": round(nearest_rank(rates, 50), 1),
             "10th percentile": round(nearest_rank(rates, 10), 1),
             "90th percentile": round(nearest_rank(rates, 90), 1),
             "Source": INDICATOR_SOURCE}
        )  # fmt: skip
    return rows


def portfolio_rows(study: Study) -> list[Row]:
    """The chosen portfolio: each intervention's scale and where it came from; when the
    optimiser chose it, the least and most scale it could choose (a minimum spend, a
    capacity limit), so that a reader sees why a service is where it is."""
    how, limits = "the file's scale", {c.id: c for c in study.config.interventions}
    optimised = study.optimised is not None and study.optimised.best.solved
    if optimised:
        how = f"optimised ({study.config.objective})"
    rows: list[Row] = []
    for k, scale in study.scales.items():
        row: Row = {"Intervention": study.interventions[k].name, "Id": k, "Scale": scale}
        if optimised:
            row |= {"Least": limits[k].least, "Most": limits[k].most}
        rows.append(row | {"Chosen by": how})
    return rows


def optimisation_rows(study: Study) -> list[Row]:
    """The optimiser's answer: its objective, the portfolio's value and what more budget a
    year would buy (none when the file gives no budget). Value is money, or activity
    avoided in the objective's unit (a "Unit" column says which)."""
    found = study.optimised
    if found is None:
        return []
    config, unit = study.config, unit_of(study.config.objective)
    first = None if config.budget is None else config.budget[0]
    row: Row = {"Objective": config.objective, "Solved": "yes" if found.best.solved else "no",
                "Message": found.best.message, "Budget, first year (£)": first}  # fmt: skip
    if found.best.solved:
        row |= _value(found.best.value, unit)
    if found.next_pound is not None:
        row |= _next(found.next_pound, unit)
    return [row]


def _value(value: float, unit: str | None) -> Row:
    if unit is None:
        return {"Value (£)": pence(value) + 0}
    return {"Value": round(value, 1), "Unit": unit}


def _next(rate: float, unit: str | None) -> Row:
    """What the next pound buys; for activity, the next £1,000 (a pound buys a sliver)."""
    if unit is None:
        return {"Next pound buys (£)": pence(rate) + 0}
    return {"Next £1,000 buys": round(rate * 1000, 3), "Unit": unit}


def frontier_rows(study: Study) -> list[Row]:
    if study.optimised is None:
        return []
    unit = unit_of(study.config.objective)
    return [
        {"Budget a year (£)": pence(budget), **_value(p.value, unit),
         **{study.interventions[k].name: round(v, 4) for k, v in p.scales.items()}}
        for budget, p in study.optimised.frontier
    ]  # fmt: skip


def shift_rows(study: Study) -> list[Row]:
    rows = []
    for shift in study.shifts:
        for partner in shift.share:
            rows.append(
                {"Year": report.year_label(study.config.baseline_year, shift.year),
                 "Partner": partner, "Bears (£)": shift.borne.get(partner, Decimal("0.00")),
                 "Saves (£)": shift.saved.get(partner, Decimal("0.00")),
                 "Pays, funding following the gain (£)": shift.share[partner],
                 "Moves (£)": shift.moved[partner], "Rule": RULE}
            )  # fmt: skip
    return rows


def tornado_rows(study: Study) -> list[Row]:
    t = study.tornado
    return [
        {"Figure": b.name, "Low value": round(b.low_value, 6), "High value": round(b.high_value, 6),
         "Net saving at low (£)": b.low, "Net saving at high (£)": b.high,
         "Net saving, every figure central (£)": t.central, "Swing (£)": b.swing}
        for b in t.bars
    ]  # fmt: skip


def stored(tables: Mapping[str, list[Row]]) -> list[dict[str, Any]]:
    """The tables as JSON keeps them, in order: each a sheet with its columns and its rows as
    lists (a JSON object's keys have no order in every store: PostgreSQL's jsonb sorts
    them), money as its exact decimal text."""
    found = []
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for row in rows for k in row))
        cells = [[_text(row.get(c)) for c in columns] for row in rows]
        found.append({"sheet": name, "columns": columns, "rows": cells})
    return found


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def read_back(kept: list[dict[str, Any]]) -> dict[str, list[Row]]:
    """``stored`` undone: the tables in their order, each money column (its heading ends
    "(£)") as ``Decimal``."""
    return {
        table["sheet"]: [
            {c: _money(c, v) for c, v in zip(table["columns"], row, strict=True)}
            for row in table["rows"]
        ]
        for table in kept
    }


def _money(column: str, value: Any) -> Any:
    return Decimal(value) if column.endswith("(£)") and isinstance(value, str) else value
