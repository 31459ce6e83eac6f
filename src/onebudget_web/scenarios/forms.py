"""The scenario form: a scenario written by a person, saved as the YAML the CLI reads (through
``actions.save_scenario``, so the library checks it exactly as it checks an uploaded file).

The form writes what most scenarios need: a name, the baseline year, the horizon, runs and
seed, growth and inflation as a low, central and high rate (a triangular range), each
intervention at a share of its full scale (for the optimiser, the most it may choose: a
capacity limit) and the least (a minimum spend), and for the optimiser a budget a year (the
same each year), what the council and the ICB can each pay of it, and the objective.
Budgets that differ by year and an ONS projection are written in YAML.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from onebudget.io import yamlio
from onebudget.scenarios.interventions import Intervention
from onebudget_web.core.refused import by_field

# Where a problem at a path of the scenario file is shown: the field holding it
FIELD_OF = {
    "name": "name", "baseline_year": "baseline_year", "years": "years", "runs": "runs",
    "seed": "seed", "growth.non_demographic": "growth", "growth.inflation": "inflation",
    "growth": "growth", "interventions": "interventions", "budget": "budget",
    "by_partner.council": "council_budget", "by_partner.icb": "icb_budget",
    "by_partner": "council_budget", "objective": "objective", "population": "name",
}  # fmt: skip
ORDER = ("name", "baseline_year", "years", "runs", "seed", "growth", "inflation",
         "interventions", "budget", "council_budget", "icb_budget", "objective")  # fmt: skip
PARTNERS = {"council_budget": "council", "icb_budget": "icb"}
PENNY, MOST = Decimal("0.01"), Decimal(10) ** 12  # a budget in pounds and pence, < £1tn
OBJECTIVES = ("expected", "risk-averse", "bed-days", "emergency-admissions")
RANGES = {"growth": "non-demographic growth", "inflation": "inflation"}
WHOLE = {"years": (1, 10), "runs": (100, 10_000), "seed": (0, 2**31 - 1)}


def initial(years: list[int], interventions: dict[str, Intervention]) -> dict[str, Any]:
    """A new scenario's fields: the latest year the data cover whole, five years, 1,000
    runs, growth 0–1–2% and inflation 1.5–2.5–4%, every intervention at half scale."""
    fields: dict[str, Any] = {
        "name": "", "baseline_year": str(years[-1]) if years else "", "years": "5",
        "runs": "1000", "seed": "2026", "growth_low": "0", "growth_central": "1",
        "growth_high": "2", "inflation_low": "1.5", "inflation_central": "2.5",
        "inflation_high": "4", "budget": "", "council_budget": "", "icb_budget": "",
        "objective": "expected",
    }  # fmt: skip
    return fields | {f"scale_{k}": "50" for k in interventions}


def read(
    sent: QueryDict, years: list[int], interventions: dict[str, Intervention]
) -> tuple[str | None, dict[str, list[str]]]:
    """The scenario as YAML, or the problems the form itself can see, by field."""
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {"name": _text(sent, "name")}
    if not data["name"]:
        errors["name"] = ["Enter a name for the scenario"]
    year = _whole(sent, "baseline_year", errors, (min(years or [0]), max(years or [0])))
    data["baseline_year"] = year
    for name, bounds in WHOLE.items():
        data[name] = _whole(sent, name, errors, bounds)
    data["growth"] = {"non_demographic": _range(sent, "growth", errors),
                      "inflation": _range(sent, "inflation", errors)}  # fmt: skip
    data["population"] = "national"
    data["interventions"] = _chosen(sent, interventions, errors)
    _budgets(sent, data, errors)
    chosen = str(sent.get("objective", ""))
    data["objective"] = chosen if chosen in OBJECTIVES else "expected"
    return (None, errors) if errors else (yamlio.dump(data), {})


def _text(sent: QueryDict, name: str) -> str:
    return str(sent.get(name, "")).strip()


def _whole(
    sent: QueryDict, name: str, errors: dict[str, list[str]], bounds: tuple[int, int]
) -> int | None:
    text = _text(sent, name).replace(",", "")
    low, high = bounds
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = [f"Enter a whole number from {low:,} to {high:,}"]
        return None
    return int(text)


def _number(text: str) -> Decimal | None:
    try:
        found = Decimal(text.replace(",", "").replace("%", "").replace("£", "").strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def _range(sent: QueryDict, name: str, errors: dict[str, list[str]]) -> Any:
    """Low, central and high rates (per cent a year) as a triangular range of fractions."""
    found = [_number(_text(sent, f"{name}_{p}")) for p in ("low", "central", "high")]
    if any(f is None or not -20 <= f <= 50 for f in found):
        errors[name] = [f"Enter the {RANGES[name]} a year as three percentages, like 1.5"]
        return None
    if not found[0] <= found[1] <= found[2]:  # type: ignore[operator]
        errors[name] = [f"Enter the {RANGES[name]}'s low, central and high rates in that order"]
        return None
    rates = [float(f / 100) for f in found]  # type: ignore[operator]
    return rates[0] if rates[0] == rates[2] else {"triangular": rates}


def _chosen(
    sent: QueryDict, interventions: dict[str, Intervention], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    chosen = []
    for key, intervention in interventions.items():
        text, least = _text(sent, f"scale_{key}"), _text(sent, f"least_{key}")
        if not text and not least:
            continue
        problem, choice = _choice(key, text, least)
        if problem:
            errors.setdefault("interventions", []).append(f"{intervention.name}: {problem}")
        else:
            chosen.append(choice)
    if not chosen and "interventions" not in errors:
        errors["interventions"] = ["Choose at least one intervention, at a share of full scale"]
    return chosen


def _choice(key: str, text: str, least_text: str) -> tuple[str, dict[str, Any]]:
    """One service's share (its scale, and the most the optimiser may choose) and the least
    the optimiser must choose, as fractions; or what is wrong with them, in words."""
    scale = _number(text) if text else None
    least = _number(least_text) if least_text else Decimal(0)
    if scale is None or not 0 <= scale <= 100:
        return "enter a share of full scale from 0 to 100, or leave both empty to leave it out", {}
    if least is None or not 0 <= least <= scale:
        return f"enter the least share as a number from 0 to its share, {scale}", {}
    share = float(scale / 100)
    found = {"id": key, "scale": share, "most": share}
    return "", found | ({"least": float(least / 100)} if least else {})


def _budgets(sent: QueryDict, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """A budget a year (the same every year) for the optimiser, and what the council and the
    ICB can each pay of it, if given."""
    years = data.get("years") or 0
    for name in ("budget", *PARTNERS):
        text = _text(sent, name)
        if not text:
            continue
        amount = _number(text)
        if amount is None or not 0 <= amount < MOST or amount != amount.quantize(PENNY):
            errors[name] = ["Enter an amount in pounds and pence, like 450000 or 450000.00"]
        elif name == "budget":
            data["budget"] = [amount.quantize(PENNY)] * years  # written as 450000.00
        else:
            data.setdefault("by_partner", {})[PARTNERS[name]] = [amount.quantize(PENNY)] * years


def placed(problems: list[Any]) -> dict[str, list[str]]:
    """The library's problems with the form's file, each beside its field."""
    return by_field(problems, FIELD_OF, "name")


def as_sent(sent: QueryDict) -> dict[str, Any]:
    return dict(sent.dict().items())


def in_order(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        k: errors[k] for k in sorted(errors, key=lambda k: ORDER.index(k) if k in ORDER else 99)
    }
