"""A saved scenario as its page shows it: plain data from the stored tables (money read back
as exact ``Decimal``), and its charts drawn from the same figures the tables give."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onebudget.io import yamlio
from onebudget.scenarios import charts
from onebudget_web.scenarios.models import SavedScenario

Row = dict[str, Any]
SPREAD = {"deterministic": "Deterministic", "median": "Median", "p10": "10th percentile",
          "p90": "90th percentile"}  # fmt: skip
MONEY_SPREAD = {"deterministic": "deterministic", "median": "median", "p10": "10th percentile",
                "p90": "90th percentile"}  # fmt: skip
PARTNER_WORDS = {"council": "Council", "icb": "Integrated care board", "all": "All partners"}


def tables(saved: SavedScenario) -> dict[str, list[Row]]:
    return saved.tables


def summary(saved: SavedScenario) -> Row:
    """What the list shows of a scenario: its headline over the horizon."""
    found = tables(saved)
    headline = found.get("Summary", [])
    later = headline[1:]
    total = sum((r["Net saving, deterministic (£)"] for r in later), Decimal("0.00"))
    return {
        "number": saved.number, "name": saved.name, "owner": saved.owner.name,
        "saved_by": saved.saved_by.full_name or saved.saved_by.username,
        "saved_at": saved.saved_at, "years": _span(headline), "net_saving": total,
        "withdrawn": getattr(saved, "withdrawal", None),
    }  # fmt: skip


def _span(headline: list[Row]) -> str:
    if len(headline) < 2:
        return ""
    return f"{headline[1]['Year']} to {headline[-1]['Year']}"


def page(saved: SavedScenario) -> Row:
    """Everything the scenario's page shows, in the order it shows it, named for the page."""
    found = tables(saved)
    headline = found.get("Summary", [])
    assumptions = [_assumption(a) for a in found.get("Assumptions", [])]
    return {
        "span": _span(headline),
        "baseline": headline[0]["Year"] if headline else "",
        "runs": _runs(saved),
        "headline": [_headline(r) for r in headline[1:]],
        "fan": _fan(headline[1:]),
        "indicator": [_spread(r) for r in found.get("Indicator", [])],
        "activity": [_activity(r) for r in _last_year(found.get("Activity", []))],
        "portfolio": found.get("Portfolio", []),
        "optimisation": _optimisation(found),
        "frontier": _frontier(found),
        "shifts": [_shift(r) for r in found.get("Who pays, who gains", [])],
        "tornado": _tornado(found.get("Sensitivity", [])),
        "sensitivity": [_bar(r) for r in found.get("Sensitivity", [])[:12]],
        "assumptions": assumptions,
        "illustrative": [a for a in assumptions if a["illustrative"]],
        "proposal": saved.proposal,
    }


def _runs(saved: SavedScenario) -> int:
    return int(yamlio.load(saved.text, source="scenario").get("runs", 1000))


def _headline(r: Row) -> Row:
    money = {k: r[f"Net saving, {label} (£)"] for k, label in MONEY_SPREAD.items()}
    return {"year": r["Year"], "ratio": r["Acute to community spend, median"]} | money


def _spread(r: Row) -> Row:
    """A count's or rate's year, deterministic run, median and 10th and 90th percentiles."""
    return {"year": r["Year"]} | {k: r[label] for k, label in SPREAD.items()}


def _activity(r: Row) -> Row:
    return _spread(r) | {"pod": str(r["Point of delivery"]).capitalize(), "unit": r["Unit"],
                             "avoided": r["Avoided (median)"]}  # fmt: skip


def _bar(r: Row) -> Row:
    return {"figure": r["Figure"], "low": r["Net saving at low (£)"],
            "high": r["Net saving at high (£)"], "swing": r["Swing (£)"]}  # fmt: skip


def _assumption(a: Row) -> Row:
    return {"what": str(a["Assumption"]).capitalize(), "value": a["Value"], "source": a["Source"],
            "illustrative": str(a["Illustrative"]).startswith("yes")}  # fmt: skip


def _optimisation(found: dict[str, list[Row]]) -> Row | None:
    rows = found.get("Optimisation") or []
    if not rows:
        return None
    r = rows[0]
    return {
        "objective": r["Objective"], "solved": r["Solved"] == "yes", "message": r["Message"],
        "budget": r["Budget, first year (£)"], "unit": r.get("Unit"),
        "value": r.get("Value (£)", r.get("Value")),
        "next": r.get("Next pound buys (£)", r.get("Next £1,000 buys")),
    }  # fmt: skip


def _shift(r: Row) -> Row:
    return {"year": r["Year"], "partner": PARTNER_WORDS.get(r["Partner"], r["Partner"]),
            "bears": r["Bears (£)"], "saves": r["Saves (£)"],
            "pays": r["Pays, funding following the gain (£)"], "moves": r["Moves (£)"]}  # fmt: skip


def _fan(headline: list[Row]) -> str | None:
    if not headline:
        return None
    return charts.fan_svg(
        "Net saving by year",
        [r["Year"] for r in headline],
        [r["Net saving, 10th percentile (£)"] for r in headline],
        [r["Net saving, median (£)"] for r in headline],
        [r["Net saving, 90th percentile (£)"] for r in headline],
        [r["Net saving, deterministic (£)"] for r in headline],
    )


def _last_year(rows: list[Row]) -> list[Row]:
    """The activity of the horizon's last year, each point of delivery once."""
    if not rows:
        return []
    last = rows[-1]["Year"]
    return [r for r in rows if r["Year"] == last]


def _frontier(found: dict[str, list[Row]]) -> str | None:
    rows = found.get("Frontier", [])
    if not rows:
        return None
    points = [(r["Budget a year (£)"], _amount(r.get("Value (£)", r.get("Value")))) for r in rows]
    best = _optimisation(found) or {}
    chosen = None
    if best.get("value") is not None and best.get("budget") is not None:
        chosen = (best["budget"], _amount(best["value"]))
    title = "Best value at each budget a year"
    return charts.frontier_svg(title, points, chosen, rows[0].get("Unit"))


def _amount(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _tornado(rows: list[Row]) -> str | None:
    if not rows:
        return None
    bars = [(r["Figure"], r["Net saving at low (£)"], r["Net saving at high (£)"]) for r in rows]
    central = rows[0]["Net saving, every figure central (£)"]
    return charts.tornado_svg(
        "Net saving over the years: the figures that matter most", central, bars
    )
