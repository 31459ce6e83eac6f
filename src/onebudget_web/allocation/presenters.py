"""Plain data for the allocation pages and workbook: indices by ICB and year, and the latest
budget's allocation and pace of change."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from onebudget.allocation.budget import BudgetResult, allocate_budget, load_budget
from onebudget.allocation.charts import indices_svg
from onebudget.allocation.indices import icb_indices, place_indices
from onebudget.allocation.places import icbs, practices_by_code
from onebudget.io import yamlio
from onebudget_web.allocation.models import AllocationPlace, BudgetConfiguration


def index_groups(saved: Iterable[AllocationPlace], *, chart: bool = True) -> list[dict[str, Any]]:
    """One group per year and ICB: the ICB's indices and each place's, relative to the ICB."""
    groups: dict[tuple[str, str], list[AllocationPlace]] = {}
    for s in saved:
        groups.setdefault((s.year, s.icb), []).append(s)
    out = []
    for (year, icb), members in groups.items():
        of_icb = icb_indices(year, icb)
        columns = {s.name: place_indices(year, icb, s.practices) for s in members}
        icb_name = _icb_name(year, icb)
        rows = [
            {"index": i, "icb": of_icb[i], "places": [columns[s.name][i] for s in members]}
            for i in of_icb
        ]
        title = f"Need indices relative to {icb_name}, {year}"
        out.append(
            {
                "year": year,
                "icb": icb,
                "icb_name": icb_name,
                "places": members,
                "rows": rows,
                "chart": indices_svg(title, columns) if chart else None,
            }
        )
    return out


def _icb_name(year: str, icb: str) -> str:
    return next((a.name for a in icbs(year) if a.code == icb), icb)


def budget_result(config: BudgetConfiguration | None) -> BudgetResult | None:
    """The saved configuration allocated again (it was checked when it was saved)."""
    if config is None:
        return None
    return _allocated(config.text)


@lru_cache(maxsize=32)
def _allocated(text: str) -> BudgetResult:
    """Kept by the configuration's text: the same budget is not allocated on every view."""
    return allocate_budget(load_budget(text, source="saved budget"))


def budget_tables(result: BudgetResult) -> dict[str, Any]:
    components = [c.name for c in result.config.components]
    rows = result.rows()
    return {
        "components": components,
        "rows": [{**r, "parts": [r[c] for c in components]} for r in rows],
        "total": sum((r["target"] for r in rows), Decimal(0)),
        "paced": result.paced is not None,
        "year": result.config.year,
        "icb_name": _icb_name(result.config.year, result.config.icb),
    }


def deleting(saved: AllocationPlace, config: BudgetConfiguration | None) -> dict[str, Any]:
    """What deleting a saved place does to the latest budget allocation, if that shares
    money to a place of the same name: the allocation keeps its own definition of the
    place, so it stands, but the form will not offer the place for the next one."""
    result = budget_result(config)
    if config is None or result is None or saved.name not in result.config.places:
        return {"budget": None}
    rows = result.rows()
    return {
        "budget": {
            "total": result.config.budget,
            "year": result.config.year,
            "places": len(rows),
            "target": next(r["target"] for r in rows if r["place"] == saved.name),
            "set_by": config.saved_by.display_name(),
            "set_at": config.saved_at,
        }
    }


def workbook(saved: list[AllocationPlace], result: BudgetResult | None) -> dict[str, list[Any]]:
    sheets: dict[str, list[Any]] = {
        "Indices": [row for g in index_groups(saved, chart=False) for row in _long(g)],
        "Places": [
            {
                "place": s.name,
                "year": s.year,
                "icb": s.icb,
                "practice": c,
                "name": practices_by_code(s.year)[c].name,
            }
            for s in saved
            for c in s.practices
        ],
    }
    if result is not None:
        sheets["Allocation"] = result.rows()
    return sheets


def _long(group: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per area and index: the ICB's relative to England, each place's to the ICB.
    Indices are numbers in the workbook (three decimals survive a float exactly as shown)."""
    out = []
    for r in group["rows"]:
        head = {"year": group["year"], "icb": group["icb"], "index": r["index"]}
        icb = {"area": group["icb_name"], "relative_to": "England", "value": float(r["icb"])}
        out.append(head | icb)
        for place, value in zip(group["places"], r["places"], strict=True):
            out.append(
                head | {"area": place.name, "relative_to": group["icb_name"], "value": float(value)}
            )
    return out


STARTER_COMPONENTS = [
    {"name": "Core NHS services", "share": Decimal("0.85"), "index": "Overall core"},
    {"name": "Primary medical care", "share": Decimal("0.10"), "index": "Primary medical care"},
    {"name": "Public health", "share": Decimal("0.05"), "population": "registered",
     "deprivation_weight": Decimal(1)},
]  # fmt: skip


def starter_budget(saved: list[AllocationPlace]) -> str:
    """A configuration to start from: the saved places of the latest year and its first ICB."""
    if not saved:
        return ""
    year = max(s.year for s in saved)
    icb = next(s.icb for s in saved if s.year == year)
    config = {
        "year": year,
        "budget": Decimal("100000000.00"),
        "icb": icb,
        "places": {
            s.name: {"practices": s.practices} for s in saved if (s.year, s.icb) == (year, icb)
        },
        "components": STARTER_COMPONENTS,
    }
    return yamlio.dump(config)
