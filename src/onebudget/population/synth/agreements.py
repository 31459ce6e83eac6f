"""The Section 75 agreement behind the synthetic pooled fund, one file per financial year.

It matches the monitoring return the synthetic ledgers write: the same schemes, each
funded by one partner with the annual budget the return shows, and the return's own monthly
budget profile. The clauses are a common pattern: the council hosts; overspends go through
a cascade (other schemes' underspends, then a risk reserve of 1% from each partner) and
are then shared 50:50; underspends go back to the partner that paid in; aligned schemes
stay each partner's own.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from onebudget.io import yamlio
from onebudget.money import ZERO, allocate
from onebudget.population.synth import ledger_layouts as lay

DELEGATED = (
    "Adult social care functions of the council (Care Act 2014), for the pooled schemes",
    "NHS community health services commissioned by the ICB, for the pooled schemes",
)


def write_agreements(out_dir: Path, place: Any, rows: list[lay.SchemeMonth]) -> list[Path]:
    by_year: dict[int, list[lay.SchemeMonth]] = defaultdict(list)
    for row in rows:
        by_year[row.month.financial_year].append(row)
    paths = []
    for year, months in sorted(by_year.items()):
        path = out_dir / f"agreement_{year}-{(year + 1) % 100:02d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yamlio.dump(agreement_data(place, year, months)), encoding="utf-8")
        paths.append(path)
    return paths


def agreement_data(place: Any, year: int, months: list[lay.SchemeMonth]) -> dict[str, Any]:
    schemes: dict[str, dict[str, Any]] = {}
    for row in sorted(months, key=lambda r: (r.scheme.code, r.month.period)):
        scheme = schemes.setdefault(row.scheme.code, _scheme(place, row))
        scheme["profile"].append(row.budget)
    totals = {place.council_code: ZERO, place.icb_code: ZERO}
    for s in schemes.values():
        for partner, amount in s["contributions"].items():
            totals[partner] += amount
    reserve = {p: allocate(t, [1, 99])[0] for p, t in totals.items() if t}
    return {
        "id": f"S75-{place.council_code}-{year}",
        "name": f"{place.name} integrated care pooled fund {year}/{(year + 1) % 100:02d}",
        "financial_year": year,
        "host": place.council_code,
        "pool_manager": f"Head of Integrated Commissioning, {place.council_name}",
        "partners": [
            {"code": place.council_code, "name": place.council_name},
            {"code": place.icb_code, "name": place.icb_name},
        ],
        "delegated_functions": list(DELEGATED),
        "instalments": "monthly",
        "notice": {"withdrawal_months": 12, "reduction_months": 3},
        "risk_reserve": reserve,
        "cascade": True,
        "schemes": list(schemes.values()),
    }


def _scheme(place: Any, row: lay.SchemeMonth) -> dict[str, Any]:
    pooled = row.scheme.pooled
    shares = {place.council_code: 50, place.icb_code: 50}
    return {
        "code": row.scheme.code,
        "name": row.scheme.name,
        "budget": "pooled" if pooled else "aligned",
        "contributions": {row.partner_code: row.annual_budget},
        "overspend": {"rule": "fixed", "shares": shares} if pooled else {"rule": "own"},
        "underspend": {"treatment": "return"},
        "profile": [],
    }
